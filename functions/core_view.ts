/**
 * What the HTTP functions need from the core, as an interface. The core process implements it
 * over its live state; a stand-alone `deno serve` can implement it over snapshots in Deno KV.
 */
import type {
  BarJson,
  BookJson,
  FillJson,
  HealthJson,
  InstrumentJson,
  ManualOrderBody,
  OrderJson,
  PnlJson,
  PositionJson,
} from "../schemas/http.ts";

/** Outcome of a bars query. */
export type BarsResult =
  | { readonly kind: "ok"; readonly bars: BarJson[] }
  | { readonly kind: "unknown_symbol" }
  | { readonly kind: "unknown_timeframe"; readonly timeframes: readonly string[] };

/** Read-only view of the core for HTTP handlers. */
export interface CoreView {
  /** Health report. */
  health(): HealthJson;
  /** Prometheus text exposition. */
  metrics(): string;
  /** Instruments in index order. */
  instruments(): InstrumentJson[];
  /** The book of `symbol` to `depth` levels; undefined for an unknown symbol. */
  book(symbol: string, depth: number): BookJson | undefined;
  /** Closed bars (plus the open one when `partial`), oldest first. */
  bars(symbol: string, timeframe: string, limit: number, partial: boolean): BarsResult;
}

/** Outcome of a manual order: submitted to the venue, or refused (by parsing, risk or slippage). */
export type PlaceOrderResult =
  | { readonly kind: "submitted"; readonly order: OrderJson }
  | {
    readonly kind: "refused";
    readonly status: 400 | 404 | 409 | 422;
    readonly code: string;
    readonly message: string;
    readonly field?: string;
  };

/** The trading state and controls, for the trading routes. */
export interface TradingView {
  /** True for a symbol the core trades. */
  knowsSymbol(symbol: string): boolean;
  /** Non-flat positions. */
  positions(): PositionJson[];
  /** Orders newest first; status "open" means not terminal. */
  orders(filter: { status?: string; symbol?: string; limit: number }): OrderJson[];
  /** Fills newest first. */
  fills(filter: { symbol?: string; limit: number }): FillJson[];
  /** Cash, equity and P&L. */
  pnl(): PnlJson;
  /** Limits, usage, rejections by reason, kill switch. */
  risk(): Record<string, unknown>;
  /** Sets the kill switch; resolves once the new state is durable. */
  setKillSwitch(
    state: "active" | "reducing" | "halted",
    reason: string,
  ): Promise<Record<string, unknown>>;
  /** Places a manual order through risk. */
  placeOrder(body: ManualOrderBody): Promise<PlaceOrderResult>;
}

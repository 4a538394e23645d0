/**
 * What the HTTP functions need from the core, as an interface. The core process implements it
 * over its live state; a stand-alone `deno serve` can implement it over snapshots in Deno KV.
 */
import type { BarJson, BookJson, HealthJson, InstrumentJson } from "../schemas/http.ts";

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

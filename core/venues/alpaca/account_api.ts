/**
 * The rest of Alpaca's Trading API beside what the engine's TradingClient needs: order lists and
 * lookups, cancel-all, single positions and closing them, the market clock and assets. For tools,
 * notebooks and operators; the engine itself closes positions through its own signals (so risk,
 * the journal and the portfolio see every order), not through DELETE /v2/positions.
 */
import { formatQty, type InstrumentTable } from "../../domain/instrument.ts";
import { decimalToUnits } from "../../domain/decimal_units.ts";
import { parseScaled } from "../../domain/fixed_point.ts";
import { type Cash, parseCash } from "../../domain/money.ts";
import { parseTimestampMicros } from "../../domain/timestamp.ts";
import type { VenueOrder } from "../../execution/trading_client.ts";
import { VenueError } from "../../execution/venue_error.ts";
import { AlpacaJsonError, orderFromJson, pairSymbol, stringField } from "./order_json.ts";
import type { AlpacaRest } from "./rest.ts";

/** A position as Alpaca reports it, in exact units. */
export interface AlpacaPosition {
  readonly symbol: string;
  /** Signed lots. */
  readonly qty: number;
  /** Average entry price in ticks (rounded to the instrument). */
  readonly avgEntryPrice: number;
  readonly marketValue: Cash;
  readonly costBasis: Cash;
  readonly unrealizedPl: Cash;
}

/** Alpaca's market clock, epoch µs. */
export interface AlpacaClock {
  readonly isOpen: boolean;
  readonly timestamp: number;
  readonly nextOpen: number;
  readonly nextClose: number;
}

/** An asset, as much of it as deno_rt reads. */
export interface AlpacaAsset {
  readonly id: string;
  readonly symbol: string;
  readonly assetClass: string;
  readonly tradable: boolean;
  readonly fractionable: boolean;
  readonly shortable: boolean;
  readonly status: string;
}

type Json = Record<string, unknown>;

/** Order lists, positions, clock and assets over an AlpacaRest client. */
export class AlpacaAccountApi {
  /** Reads units with `instruments`' precision. */
  constructor(readonly rest: AlpacaRest, readonly instruments: InstrumentTable) {}

  /** GET /v2/orders: orders of known instruments, newest first unless `direction` is asc. */
  async listOrders(
    filter: {
      status?: "open" | "closed" | "all";
      limit?: number;
      direction?: "asc" | "desc";
      symbols?: readonly string[];
    } = {},
  ): Promise<VenueOrder[]> {
    const q = new URLSearchParams({
      status: filter.status ?? "open",
      limit: String(filter.limit ?? 50),
      direction: filter.direction ?? "desc",
    });
    if (filter.symbols !== undefined) q.set("symbols", filter.symbols.join(","));
    const list = await this.rest.request("GET", `/v2/orders?${q}`);
    return this.#array(list).filter((o) => this.#known(o)).map((o) =>
      orderFromJson(o, this.instruments)
    );
  }

  /** GET /v2/orders/{id}; undefined when Alpaca has no such order. */
  async getOrder(venueOrderId: string): Promise<VenueOrder | undefined> {
    try {
      const o = await this.rest.request("GET", `/v2/orders/${encodeURIComponent(venueOrderId)}`);
      return orderFromJson(o, this.instruments);
    } catch (e) {
      if (e instanceof VenueError && e.kind === "not_found") return undefined;
      throw e;
    }
  }

  /** DELETE /v2/orders: asks Alpaca to cancel every open order; returns the HTTP status per order id. */
  async cancelAllOrders(): Promise<Array<{ id: string; status: number }>> {
    const list = await this.rest.request("DELETE", "/v2/orders");
    return this.#array(list).map((r) => ({ id: String(r.id), status: Number(r.status) }));
  }

  /** GET /v2/positions/{symbol}; undefined when flat. */
  async position(symbol: string): Promise<AlpacaPosition | undefined> {
    try {
      const p = await this.rest.request("GET", `/v2/positions/${encodeURIComponent(symbol)}`);
      return this.#position(p as Json);
    } catch (e) {
      if (e instanceof VenueError && e.kind === "not_found") return undefined;
      throw e;
    }
  }

  /**
   * DELETE /v2/positions/{symbol}: Alpaca sends a market order closing the position (all of it, or
   * `qty` lots); resolves with that order. The engine does not know the order: use this from tools,
   * not beside a running core (whose reconciliation would then adopt it).
   */
  async closePosition(symbol: string, qty?: number): Promise<VenueOrder> {
    const inst = this.instruments.get(symbol);
    if (inst === undefined) throw new RangeError(`Cannot close ${symbol}: not an instrument`);
    const query = qty === undefined ? "" : `?qty=${encodeURIComponent(formatQty(inst, qty))}`;
    const o = await this.rest.request(
      "DELETE",
      `/v2/positions/${encodeURIComponent(symbol)}${query}`,
    );
    return orderFromJson(o, this.instruments);
  }

  /** GET /v2/clock. */
  async clock(): Promise<AlpacaClock> {
    const c = await this.rest.request("GET", "/v2/clock") as Json;
    const time = (f: string) => {
      const t = parseTimestampMicros(stringField(c, f));
      if (Number.isNaN(t)) throw new AlpacaJsonError(`clock '${f}' is not a time`);
      return t;
    };
    return {
      isOpen: c.is_open === true,
      timestamp: time("timestamp"),
      nextOpen: time("next_open"),
      nextClose: time("next_close"),
    };
  }

  /** GET /v2/assets (optionally one asset class). */
  async assets(assetClass?: "us_equity" | "crypto"): Promise<AlpacaAsset[]> {
    const q = assetClass === undefined ? "" : `?asset_class=${assetClass}`;
    return this.#array(await this.rest.request("GET", `/v2/assets${q}`)).map(asset);
  }

  /** GET /v2/assets/{symbol}; undefined when Alpaca does not list it. */
  async asset(symbol: string): Promise<AlpacaAsset | undefined> {
    try {
      return asset(
        await this.rest.request("GET", `/v2/assets/${encodeURIComponent(symbol)}`) as Json,
      );
    } catch (e) {
      if (e instanceof VenueError && e.kind === "not_found") return undefined;
      throw e;
    }
  }

  #position(p: Json): AlpacaPosition {
    const symbol = pairSymbol(stringField(p, "symbol"));
    const inst = this.instruments.get(symbol);
    if (inst === undefined) throw new AlpacaJsonError(`position in unknown symbol ${symbol}`);
    // An average carries more decimals than the instrument: rounded, like every venue price.
    const avg = decimalToUnits(stringField(p, "avg_entry_price"), inst.priceDecimals);
    if (!Number.isSafeInteger(avg) || avg < 0) {
      throw new AlpacaJsonError(`position avg_entry_price ${String(p.avg_entry_price)} unreadable`);
    }
    return {
      symbol,
      // Alpaca signs a short's qty; parseQty refuses the minus, parseScaled keeps it.
      qty: parseScaled(stringField(p, "qty"), inst.qtyDecimals, "qty"),
      avgEntryPrice: avg,
      marketValue: parseCash(stringField(p, "market_value"), "market_value"),
      costBasis: parseCash(stringField(p, "cost_basis"), "cost_basis"),
      unrealizedPl: parseCash(stringField(p, "unrealized_pl"), "unrealized_pl"),
    };
  }

  #array(list: unknown): Json[] {
    if (!Array.isArray(list)) {
      throw new VenueError("server_error", "Alpaca list response is not an array", {
        maybeReceived: false,
      });
    }
    return list as Json[];
  }

  #known(o: Json): boolean {
    return typeof o.symbol === "string" && this.instruments.get(pairSymbol(o.symbol)) !== undefined;
  }
}

function asset(a: Json): AlpacaAsset {
  return {
    id: stringField(a, "id"),
    symbol: stringField(a, "symbol"),
    assetClass: stringField(a, "class"),
    tradable: a.tradable === true,
    fractionable: a.fractionable === true,
    shortable: a.shortable === true,
    status: stringField(a, "status"),
  };
}

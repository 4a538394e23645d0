/**
 * Alpaca's trading side as a TradingClient: orders, positions and account over the REST API
 * (rest.ts), order reports over the trade_updates stream (trade_updates.ts).
 *
 * fillsSince reads Alpaca's FILL account activities (fill_activities.ts), so executions that
 * happened while trade_updates was down, or while this process was not running, are recovered;
 * `onGap` tells the owner when that is needed.
 */
import type { Clock } from "../../clock/clock.ts";
import type { InstrumentTable } from "../../domain/instrument.ts";
import { parseScaled } from "../../domain/fixed_point.ts";
import { parseCash } from "../../domain/money.ts";
import type { Fill, OrderRequest } from "../../domain/order.ts";
import type {
  TradeUpdate,
  TradingClient,
  VenueAccount,
  VenueOrder,
  VenuePosition,
} from "../../execution/trading_client.ts";
import { VenueError } from "../../execution/venue_error.ts";
import { newOrderJson, orderFromJson, replaceJson, stringField } from "./order_json.ts";
import { AlpacaRest } from "./rest.ts";
import { AlpacaAccountApi } from "./account_api.ts";
import { AlpacaTradeUpdates } from "./trade_updates.ts";
import { fillActivitiesPath, fillActivityFromJson, isFullPage } from "./fill_activities.ts";

/** Where and as whom to trade. */
export interface AlpacaTradingSettings {
  /** REST base, e.g. `https://paper-api.alpaca.markets`. */
  readonly baseUrl: string;
  /** trade_updates URL; default: the base URL with ws(s):// and `/stream`. */
  readonly streamUrl?: string;
  readonly key: string;
  readonly secret: string;
  /** Per-request timeout, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Stream reconnect delays (default 500 ms doubling to 30 s). */
  readonly reconnect?: { readonly baseMs: number; readonly maxMs: number };
  /** Seed of the reconnect jitter. */
  readonly seed?: number;
}

// Alpaca lists at most 500 orders per page; more open orders than that are not expected of one
// engine, and a truncated list would be caught by reconciliation.
const OPEN_ORDERS_PATH = "/v2/orders?status=open&limit=500&direction=asc";
// Activities are queried from this long before the last fill the engine holds: clocks of the
// venue and of the journal's fill times agree, but an activity may be stamped slightly earlier
// than its trade_updates report. Duplicates are dropped by id.
const RECOVERY_SLACK_MICROS = 60_000_000;
// A recovery reads at most this many pages (10 000 fills): a longer gap is a reconciliation job.
const MAX_PAGES = 100;

/**
 * TradingClient over Alpaca's Trading API.
 * @example
 * ```ts
 * import { WallClock } from "../../clock/wall_clock.ts";
 * import { InstrumentTable } from "../../domain/instrument.ts";
 * import { AlpacaTrading } from "./trading.ts";
 * const trading = new AlpacaTrading(
 *   { clock: new WallClock(), instruments: new InstrumentTable(["AAPL"], "ALPACA") },
 *   { baseUrl: "https://paper-api.alpaca.markets", key: "KEY", secret: "SECRET" },
 * );
 * // await trading.connect(); ... await trading.close();
 * void trading;
 * ```
 */
export class AlpacaTrading implements TradingClient {
  readonly rest: AlpacaRest;
  readonly stream: AlpacaTradeUpdates;
  /** Order lists, positions, clock and assets beyond what the engine needs. */
  readonly api: AlpacaAccountApi;
  readonly #handlers: Array<(u: TradeUpdate) => void> = [];
  /** clientOrderId → Alpaca order id, so cancel and replace skip a lookup. */
  readonly #ids = new Map<string, string>();
  /** Alpaca order id → clientOrderId, for fills recovered from activities. */
  readonly #cids = new Map<string, string>();

  /** Builds the REST client and the (not yet connected) stream. */
  constructor(
    readonly deps: { readonly clock: Clock; readonly instruments: InstrumentTable },
    settings: AlpacaTradingSettings,
  ) {
    this.rest = new AlpacaRest(deps.clock, {
      baseUrl: settings.baseUrl,
      key: settings.key,
      secret: settings.secret,
      timeoutMs: settings.timeoutMs ?? 10_000,
    });
    this.api = new AlpacaAccountApi(this.rest, deps.instruments);
    const streamUrl = settings.streamUrl ??
      settings.baseUrl.replace(/^http/, "ws").replace(/\/+$/, "") + "/stream";
    this.stream = new AlpacaTradeUpdates(deps, {
      url: streamUrl,
      key: settings.key,
      secret: settings.secret,
      reconnect: settings.reconnect ?? { baseMs: 500, maxMs: 30_000 },
      seed: settings.seed,
    }, (u) => this.#onUpdate(u));
  }

  /** True while the stream is authorized and listening: reports will not be missed. */
  get ready(): boolean {
    return this.stream.isReady;
  }

  /** Starts the stream; resolves once it is authorized and listening (hold orders until then). */
  connect(): Promise<void> {
    this.stream.start();
    return this.stream.ready();
  }

  /** Closes the stream for good. */
  async close(): Promise<void> {
    await this.stream.stop();
  }

  /** Subscribes to order reports. */
  onTradeUpdate(handler: (update: TradeUpdate) => void): void {
    this.#handlers.push(handler);
  }

  /** POST /v2/orders; resolves with Alpaca's order. */
  async submitOrder(request: OrderRequest): Promise<VenueOrder> {
    const body = newOrderJson(request, this.deps.instruments);
    return this.#remember(await this.rest.request("POST", "/v2/orders", body));
  }

  /** DELETE /v2/orders/{id}; the outcome arrives as a trade update. */
  async cancelOrder(clientOrderId: string): Promise<void> {
    const id = await this.#orderId(clientOrderId);
    await this.rest.request("DELETE", `/v2/orders/${encodeURIComponent(id)}`);
  }

  /** PATCH /v2/orders/{id}; resolves with the new order Alpaca creates. */
  async replaceOrder(clientOrderId: string, next: OrderRequest): Promise<VenueOrder> {
    const id = await this.#orderId(clientOrderId);
    const body = replaceJson(next, this.deps.instruments);
    return this.#remember(
      await this.rest.request("PATCH", `/v2/orders/${encodeURIComponent(id)}`, body),
    );
  }

  /** GET /v2/orders:by_client_order_id; undefined on 404 (Alpaca never received it). */
  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | undefined> {
    const q = encodeURIComponent(clientOrderId);
    try {
      const json = await this.rest.request(
        "GET",
        `/v2/orders:by_client_order_id?client_order_id=${q}`,
      );
      return this.#remember(json);
    } catch (e) {
      if (e instanceof VenueError && e.kind === "not_found") return undefined;
      throw e;
    }
  }

  /** Working orders of instruments in the table (others are not this engine's to manage). */
  async openOrders(): Promise<VenueOrder[]> {
    const list = await this.rest.request("GET", OPEN_ORDERS_PATH);
    return this.#known(list).map((o) => this.#remember(o));
  }

  /** Non-flat positions of instruments in the table, signed lots. */
  async positions(): Promise<VenuePosition[]> {
    const list = await this.rest.request("GET", "/v2/positions");
    return this.#known(list).map((p) => {
      const symbol = stringField(p, "symbol");
      const inst = this.deps.instruments.get(symbol)!;
      // Alpaca signs a short position's qty; parseQty would refuse the minus.
      return { symbol, qty: parseScaled(stringField(p, "qty"), inst.qtyDecimals, "qty") };
    }).filter((p) => p.qty !== 0);
  }

  /** GET /v2/account: cash, buying power and equity as exact Cash. */
  async account(): Promise<VenueAccount> {
    const a = await this.rest.request("GET", "/v2/account") as Record<string, unknown>;
    return {
      cash: parseCash(stringField(a, "cash"), "cash"),
      buyingPower: parseCash(stringField(a, "buying_power"), "buying_power"),
      equity: parseCash(stringField(a, "equity"), "equity"),
    };
  }

  /** Called when order reports may have been missed (trade_updates reconnected, or a report was unreadable). */
  set onGap(handler: () => void) {
    this.stream.onGap = handler;
  }

  /**
   * Fills of instruments in the table executed after `sinceMicros` (less a minute of slack), oldest
   * first, from Alpaca's FILL activities; with no time (nothing traded yet) there is nothing to
   * recover and the answer is empty. Ids match the stream's, so the caller drops ones it holds.
   */
  async fillsSince(_afterFillId: string | undefined, sinceMicros?: number): Promise<Fill[]> {
    if (sinceMicros === undefined) return [];
    const fills: Fill[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const path = fillActivitiesPath(sinceMicros - RECOVERY_SLACK_MICROS, token);
      const list = await this.rest.request("GET", path);
      if (!Array.isArray(list)) {
        throw new VenueError("server_error", "Alpaca activities response is not an array", {
          maybeReceived: false,
        });
      }
      const now = this.deps.clock.nowMicros();
      for (const json of list) {
        const a = fillActivityFromJson(json, this.deps.instruments, now);
        token = a?.id ?? (json as { id?: string }).id;
        if (a === undefined) continue;
        fills.push({ ...a.fill, clientOrderId: await this.#clientOrderId(a.venueOrderId) });
      }
      if (!isFullPage(list.length)) break;
    }
    return fills;
  }

  #onUpdate(u: TradeUpdate): void {
    this.#note(u.order);
    for (const h of this.#handlers) h(u);
  }

  /** The client order id of an Alpaca order id: remembered, else GET /v2/orders/{id}. */
  async #clientOrderId(venueOrderId: string): Promise<string> {
    const known = this.#cids.get(venueOrderId);
    if (known !== undefined) return known;
    const json = await this.rest.request("GET", `/v2/orders/${encodeURIComponent(venueOrderId)}`);
    return this.#remember(json).clientOrderId;
  }

  #note(order: VenueOrder): void {
    this.#ids.set(order.clientOrderId, order.venueOrderId);
    this.#cids.set(order.venueOrderId, order.clientOrderId);
  }

  /** Reads an order and remembers its Alpaca id. */
  #remember(json: unknown): VenueOrder {
    const order = orderFromJson(json, this.deps.instruments);
    this.#note(order);
    return order;
  }

  /** The Alpaca id of an order: remembered, else looked up; not_found when Alpaca lacks it. */
  async #orderId(clientOrderId: string): Promise<string> {
    const known = this.#ids.get(clientOrderId);
    if (known !== undefined) return known;
    const order = await this.getOrderByClientId(clientOrderId);
    if (order === undefined) {
      throw new VenueError("not_found", `Alpaca has no order ${clientOrderId}`, {
        maybeReceived: false,
      });
    }
    return order.venueOrderId;
  }

  /** The objects of a JSON array whose symbol is in the instrument table. */
  #known(list: unknown): Record<string, unknown>[] {
    if (!Array.isArray(list)) {
      throw new VenueError("server_error", "Alpaca list response is not an array", {
        maybeReceived: false,
      });
    }
    return list.filter((x): x is Record<string, unknown> =>
      typeof x === "object" && x !== null &&
      this.deps.instruments.get((x as Record<string, unknown>).symbol as string) !== undefined
    );
  }
}

/**
 * The simulated venue's trading side: a TradingClient over the shared matching engine, matching
 * against the same books the engine sees. Acknowledgements and order reports arrive after a
 * configurable latency, on the injected clock, like a real broker's. The venue keeps its own
 * account (cash and positions from its own fills) and persists every fill in KV before reporting
 * it, so after a crash the venue still knows what it executed and the engine can reconcile.
 * Resting orders do not survive a restart of the process: the venue starts with none working.
 */
import type { Clock } from "../../clock/clock.ts";
import type { InstrumentTable } from "../../domain/instrument.ts";
import type { Cash } from "../../domain/money.ts";
import type { Fill, OrderRequest } from "../../domain/order.ts";
import type {
  TradeUpdate,
  TradingClient,
  VenueAccount,
  VenueOrder,
  VenuePosition,
} from "../../execution/trading_client.ts";
import { VenueError } from "../../execution/venue_error.ts";
import type { MatchEvent, OrderSnapshot } from "../../matching/match_event.ts";
import type { MatchingEngine } from "../../matching/matching_engine.ts";
import { Portfolio } from "../../portfolio/portfolio.ts";
import type { BookView } from "../../strategy/strategy.ts";
import { SIM_VENUE_PREFIX, simVenueKey } from "../../store/keys.ts";

/** What the sim venue needs. */
export interface SimTradingDeps {
  readonly instruments: InstrumentTable;
  readonly clock: Clock;
  readonly matching: MatchingEngine;
  /** The live book of a symbol (the engine's books). */
  readonly book: (symbol: string) => BookView;
  /** Delay of acknowledgements and reports, ms of clock time. */
  readonly latencyMs: number;
  readonly startingCash: Cash;
  /** Where the venue keeps its fills; undefined = in memory only (tests, backtests). */
  readonly kv?: Deno.Kv;
}

const EVENT: Record<string, TradeUpdate["event"] | undefined> = {
  accepted: "accepted",
  rejected: "rejected",
  canceled: "canceled",
  expired: "expired",
  replaced: "replaced",
};

/** TradingClient of the embedded simulated venue. */
export class SimTrading implements TradingClient {
  readonly #handlers: Array<(u: TradeUpdate) => void> = [];
  readonly #account: Portfolio;
  readonly #fills: Fill[] = [];
  readonly #known = new Map<string, VenueOrder>();
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(readonly deps: SimTradingDeps) {
    this.#account = new Portfolio(deps.instruments, deps.startingCash);
  }

  /** Opens the venue, restoring its fills (and so its account) from KV. */
  static async open(deps: SimTradingDeps): Promise<SimTrading> {
    const venue = new SimTrading(deps);
    if (deps.kv !== undefined) {
      for await (const e of deps.kv.list<Fill>({ prefix: [...SIM_VENUE_PREFIX, "fill"] })) {
        venue.#fills.push(e.value);
        venue.#account.applyFill(e.value);
      }
      // Orders it received stay known (lookups by client id keep working after a restart); the
      // ones that were working are canceled, because resting orders do not survive the restart.
      for await (const e of deps.kv.list<VenueOrder>({ prefix: [...SIM_VENUE_PREFIX, "order"] })) {
        const o = e.value;
        const working = o.status === "new" || o.status === "partially_filled" ||
          o.status === "pending_new";
        venue.#known.set(o.clientOrderId, working ? { ...o, status: "canceled" } : o);
      }
    }
    return venue;
  }

  /** Subscribes to order reports. */
  onTradeUpdate(handler: (update: TradeUpdate) => void): void {
    this.#handlers.push(handler);
  }

  /** Places an order; acknowledged after the latency. */
  async submitOrder(request: OrderRequest): Promise<VenueOrder> {
    await this.#delay();
    if (this.#known.has(request.clientOrderId)) {
      throw new VenueError(
        "duplicate_client_order_id",
        `client_order_id ${request.clientOrderId} must be unique`,
      );
    }
    const events = this.deps.matching.submit(
      request,
      this.deps.book(request.symbol),
      this.deps.clock.nowMicros(),
    );
    const first = events[0];
    if (first?.type === "rejected") {
      throw new VenueError("rejected", first.reason, { maybeReceived: false });
    }
    await this.#report(events);
    return this.#known.get(request.clientOrderId)!;
  }

  /** Cancels a working order; the outcome arrives as a report. */
  async cancelOrder(clientOrderId: string): Promise<void> {
    await this.#delay();
    const events = this.deps.matching.cancel(clientOrderId, this.deps.clock.nowMicros());
    const first = events[0];
    if (first?.type === "cancel_rejected") throw new VenueError("invalid_request", first.reason);
    await this.#report(events);
  }

  /** Replaces a working order with `next`. */
  async replaceOrder(clientOrderId: string, next: OrderRequest): Promise<VenueOrder> {
    await this.#delay();
    const events = this.deps.matching.replace(
      clientOrderId,
      next,
      this.deps.book(next.symbol),
      this.deps.clock.nowMicros(),
    );
    const first = events[0];
    if (first?.type === "replace_rejected") throw new VenueError("invalid_request", first.reason);
    await this.#report(events);
    const order = this.#known.get(next.clientOrderId);
    if (order === undefined) {
      throw new VenueError("rejected", `replace of ${clientOrderId} was refused`);
    }
    return order;
  }

  /** The order with `clientOrderId`, if the venue ever received it. */
  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | undefined> {
    await this.#delay();
    return this.#known.get(clientOrderId);
  }

  /** Working orders. */
  async openOrders(): Promise<VenueOrder[]> {
    await this.#delay();
    return this.deps.matching.openOrders().map((o) => this.#venueOrder(o));
  }

  /** Non-flat positions of the venue account. */
  async positions(): Promise<VenuePosition[]> {
    await this.#delay();
    return this.#account.positions().map((p) => ({ symbol: p.symbol, qty: p.qty }));
  }

  /** Cash, buying power (= cash here: no margin) and equity. */
  async account(): Promise<VenueAccount> {
    await this.#delay();
    const t = this.#account.totals();
    return { cash: t.cash, buyingPower: t.cash, equity: t.equity };
  }

  /** Fills after `afterFillId`, oldest first. */
  async fillsSince(afterFillId: string | undefined): Promise<Fill[]> {
    await this.#delay();
    const i = afterFillId === undefined
      ? -1
      : this.#fills.findIndex((f) => f.fillId === afterFillId);
    return this.#fills.slice(i + 1);
  }

  /** Market traded: resting orders and stops may fill. Called by the engine on every trade. */
  onMarketTrade(symbol: string, price: number, size: number): void {
    if (!this.deps.matching.hasWorking(symbol)) return; // every tick lands here: stay cheap
    const events = this.deps.matching.onTrade(
      symbol,
      price,
      size,
      this.deps.book(symbol),
      this.deps.clock.nowMicros(),
    );
    if (events.length > 0) void this.#report(events);
  }

  /** Book moved: resting limits may now cross. Called by the engine after each book update. */
  onMarketBook(symbol: string): void {
    if (!this.deps.matching.hasWorking(symbol)) return;
    const events = this.deps.matching.onBook(
      symbol,
      this.deps.book(symbol),
      this.deps.clock.nowMicros(),
    );
    if (events.length > 0) void this.#report(events);
  }

  /** Expires day orders (the caller decides when the session ends). */
  expireDayOrders(): void {
    const events = this.deps.matching.expire(this.deps.clock.nowMicros());
    if (events.length > 0) void this.#report(events);
  }

  /** Resolves when every fill so far is persisted. */
  flushed(): Promise<unknown> {
    return this.#writes;
  }

  #delay(): Promise<void> {
    const ms = this.deps.latencyMs;
    return ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => this.deps.clock.setTimer(ms, resolve));
  }

  #venueOrder(o: OrderSnapshot): VenueOrder {
    return {
      clientOrderId: o.request.clientOrderId,
      venueOrderId: o.venueOrderId,
      request: o.request,
      status: o.status,
      filledQty: o.filledQty,
      updatedAt: o.updatedAt,
    };
  }

  /** Books fills into the venue account, persists them, then reports everything after the latency. */
  async #report(events: readonly MatchEvent[]): Promise<void> {
    const updates: TradeUpdate[] = [];
    for (const e of events) {
      if (!("order" in e) || e.order === undefined) continue;
      const order = this.#venueOrder(e.order);
      this.#known.set(order.clientOrderId, order);
      const kv = this.deps.kv;
      if (kv !== undefined) {
        const key = simVenueKey("order", order.clientOrderId);
        this.#writes = this.#writes.then(() => kv.set(key, order));
      }
      if (e.type === "fill") {
        this.#fills.push(e.fill);
        this.#account.applyFill(e.fill);
        const kv = this.deps.kv;
        if (kv !== undefined) {
          const key = simVenueKey("fill", this.#fills.length);
          this.#writes = this.#writes.then(() => kv.set(key, e.fill));
        }
        updates.push({
          event: e.status === "filled" ? "fill" : "partial_fill",
          order,
          fill: e.fill,
        });
      } else {
        const event = EVENT[e.type];
        if (event !== undefined) {
          updates.push({ event, order, reason: e.type === "rejected" ? e.reason : undefined });
        }
      }
    }
    await this.#writes;
    await this.#delay();
    for (const u of updates) for (const h of this.#handlers) h(u);
  }
}

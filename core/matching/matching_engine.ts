/**
 * The matching engine shared by the simulated and backtest venues: it holds the simulated
 * account's orders and fills them against the market's L2 book and trade prints.
 *
 * Liquidity is kept simple on purpose: every call matches against the book as given, and the
 * feed's book is not decremented by our own fills. Within one call our orders share the depth
 * (and a trade's size) in priority order; across calls nothing is remembered, so an unchanged book
 * can fill a resting order again on the next onBook(). Stops trigger on trades only, never on
 * quotes or book moves, as at US equity venues where the last sale elects a stop.
 */
import type { Instrument, InstrumentTable } from "../domain/instrument.ts";
import type { OrderRequest } from "../domain/order.ts";
import type { BookView } from "../strategy/strategy.ts";
import { depthWithin, oppositeSide, walkBook } from "./book_walk.ts";
import { type FeeModel, type Liquidity, zeroFee } from "./fee_model.ts";
import type { MatchEvent, OrderSnapshot } from "./match_event.ts";
import { canTransition, nextStatus, type OrderAction } from "./order_transitions.ts";
import { assertMicros, assertTrade, assertWellFormed, validateOrder } from "./validate_order.ts";
import { OrderStore } from "./_order_store.ts";
import { crossedBy, stopsHit, tradedThrough } from "./_selection.ts";
import {
  applyFill,
  boundOf,
  leavesOf,
  newWorkingOrder,
  refusedEvent,
  rejectedEvent,
  snapshotOf,
  type WorkingOrder,
} from "./_working_order.ts";

/** Where the engine looks instruments up (an InstrumentTable, or a stub in tests). */
export type InstrumentLookup = Pick<InstrumentTable, "get">;

/** How the engine charges and fills. */
export interface MatchingEngineOptions {
  /** Fee per fill; default zeroFee. */
  readonly fees?: FeeModel;
  /**
   * Fill resting limits on a trade AT their price too. Default false: a print at our price does
   * not prove the queue ahead of us was worked through; a print through it does.
   */
  readonly fillOnTouch?: boolean;
  /** Prefix of venue order ids (`SIM-1`); default "SIM". */
  readonly idPrefix?: string;
}

// Hot paths (onTrade, onBook) return this when nothing happened, so a quiet tick allocates nothing.
const NO_EVENTS: readonly MatchEvent[] = Object.freeze([]);

/** Working orders of the simulated account, matched against the market's book and trades. */
export class MatchingEngine {
  readonly #instruments: InstrumentLookup;
  readonly #fees: FeeModel;
  readonly #fillOnTouch: boolean;
  readonly #prefix: string;
  readonly #orders = new OrderStore();
  #counter = 0;

  /**
   * Creates an engine for the instruments in `instruments`.
   * @example
   * ```ts
   * import { InstrumentTable } from "../domain/instrument.ts";
   * import { OrderBook } from "../data/order_book.ts";
   * import { MatchingEngine } from "./matching_engine.ts";
   * const engine = new MatchingEngine(new InstrumentTable(["AAPL"], "SIM"));
   * const book = new OrderBook("AAPL");
   * book.apply(1, 1_000_100, 50); // ask 100.01 x 50
   * const events = engine.submit({
   *   clientOrderId: "c1", symbol: "AAPL", side: "buy", type: "market", tif: "day", qty: 10,
   *   limitPrice: 0, stopPrice: 0, source: "manual", createdAt: 0,
   * }, book, 1_000);
   * events.map((e) => e.type); // ["accepted", "fill"]
   * ```
   */
  constructor(instruments: InstrumentLookup, options: MatchingEngineOptions = {}) {
    this.#instruments = instruments;
    this.#fees = options.fees ?? zeroFee;
    this.#fillOnTouch = options.fillOnTouch ?? false;
    this.#prefix = options.idPrefix ?? "SIM";
  }

  /** Validates and accepts `order`, then fills what it can against `book` right away. */
  submit(order: OrderRequest, book: BookView, now: number): readonly MatchEvent[] {
    assertMicros(now);
    assertWellFormed(order);
    const reason = this.#refusal(order);
    if (reason !== undefined) return [rejectedEvent(order, reason, now)];
    const out: MatchEvent[] = [];
    this.#accept(order, book, now, out);
    return out;
  }

  /** Cancels an open order; a cancel of an unknown or finished order is a cancel_rejected event. */
  cancel(clientOrderId: string, now: number): readonly MatchEvent[] {
    assertMicros(now);
    const w = this.#orders.get(clientOrderId);
    if (w === undefined) {
      return [
        refusedEvent("cancel_rejected", clientOrderId, `unknown clientOrderId`, undefined, now),
      ];
    }
    if (!canTransition(w.status, "cancel")) {
      return [refusedEvent("cancel_rejected", clientOrderId, `order is ${w.status}`, w, now)];
    }
    const out: MatchEvent[] = [];
    this.#cancel(w, "canceled on request", now, out);
    return out;
  }

  /**
   * Alpaca-style replace: the old order becomes "replaced" and `newRequest`, under its own new
   * clientOrderId with the same symbol, side and type, is accepted and matched as a fresh order
   * (new time priority; its qty is its own, the old order's fills stay with the old order).
   */
  replace(
    oldClientOrderId: string,
    newRequest: OrderRequest,
    book: BookView,
    now: number,
  ): readonly MatchEvent[] {
    assertMicros(now);
    assertWellFormed(newRequest);
    const old = this.#orders.get(oldClientOrderId);
    if (old === undefined) {
      return [
        refusedEvent("replace_rejected", oldClientOrderId, "unknown clientOrderId", undefined, now),
      ];
    }
    const same = newRequest.symbol === old.req.symbol && newRequest.side === old.req.side &&
      newRequest.type === old.req.type;
    const reason = !canTransition(old.status, "replace")
      ? `order is ${old.status}`
      : !same
      ? "a replacement must keep the symbol, side and type"
      : this.#refusal(newRequest);
    if (reason !== undefined) {
      return [refusedEvent("replace_rejected", oldClientOrderId, reason, old, now)];
    }
    this.#close(old, "replace", now);
    const out: MatchEvent[] = [{
      type: "replaced",
      time: now,
      replacedBy: newRequest.clientOrderId,
      order: snapshotOf(old),
    }];
    this.#accept(newRequest, book, now, out);
    return out;
  }

  /**
   * The market traded `size` lots at `price` in `symbol`: fills resting limits the print went
   * through (maker, at their own limit, sharing the size in priority order), then triggers stops
   * it reached and matches them against `book`.
   */
  onTrade(
    symbol: string,
    price: number,
    size: number,
    book: BookView,
    now: number,
  ): readonly MatchEvent[] {
    assertMicros(now);
    assertTrade(symbol, price, size);
    const list = this.#orders.open(symbol);
    if (list.length === 0) return NO_EVENTS;
    // Stops are picked before any fill so that an order triggered by this print does not also
    // fill against it: it was not live when the print happened.
    const through = tradedThrough(list, price, this.#fillOnTouch), hit = stopsHit(list, price);
    if (through === undefined && hit === undefined) return NO_EVENTS;
    const out: MatchEvent[] = [];
    // The print's size is liquidity for our buys and, separately, for our sells.
    const left = { buy: size, sell: size };
    for (const w of through ?? []) {
      const lots = Math.min(leavesOf(w), left[w.req.side]);
      if (lots === 0) continue;
      left[w.req.side] -= lots;
      this.#fill(w, lots, w.req.limitPrice, "maker", now, out);
    }
    const taken: [number, number] = [0, 0];
    for (const w of hit ?? []) {
      w.triggered = true;
      w.updatedAt = now;
      this.#take(w, book, now, taken, out);
    }
    return out;
  }

  /**
   * The book of `symbol` moved: a resting buy limit at or above the best ask (sell at or below the
   * best bid) is now crossed and fills as maker at its own limit, for at most the depth at or
   * better than that limit, shared in priority order. Fill at the limit, not the level: the other
   * side arrived and hit our resting order, so the trade happens at our price.
   */
  onBook(symbol: string, book: BookView, now: number): readonly MatchEvent[] {
    assertMicros(now);
    const list = this.#orders.open(symbol);
    if (list.length === 0) return NO_EVENTS;
    const crossed = crossedBy(list, book.bestBid(), book.bestAsk());
    if (crossed === undefined) return NO_EVENTS;
    const out: MatchEvent[] = [];
    const taken: [number, number] = [0, 0];
    for (const w of crossed) {
      const bs = oppositeSide(w.req.side);
      const depth = depthWithin(book, w.req.side, w.req.limitPrice, taken[bs]);
      const lots = Math.min(leavesOf(w), depth);
      if (lots === 0) continue;
      taken[bs] += lots;
      this.#fill(w, lots, w.req.limitPrice, "maker", now, out);
    }
    return out;
  }

  /** True while `symbol` has working orders: callers skip per-tick matching work without them. */
  hasWorking(symbol: string): boolean {
    return this.#orders.open(symbol).length > 0;
  }

  /** Expires every open day order: the caller decides when the session ends. */
  expire(now: number): readonly MatchEvent[] {
    assertMicros(now);
    const out: MatchEvent[] = [];
    for (const w of this.#orders.allOpen()) {
      if (w.req.tif !== "day") continue;
      this.#close(w, "expire", now);
      out.push({ type: "expired", time: now, order: snapshotOf(w) });
    }
    return out;
  }

  /** The order with `clientOrderId` (open or done), or undefined; rejected orders are not kept. */
  order(clientOrderId: string): OrderSnapshot | undefined {
    const w = this.#orders.get(clientOrderId);
    return w && snapshotOf(w);
  }

  /** Open orders, of `symbol` or of all symbols, in acceptance order per symbol. */
  openOrders(symbol?: string): OrderSnapshot[] {
    const list = symbol === undefined ? this.#orders.allOpen() : this.#orders.open(symbol);
    return list.map(snapshotOf);
  }

  /** Why `req` is refused (including a reused clientOrderId), or undefined. */
  #refusal(req: OrderRequest): string | undefined {
    return validateOrder(req, this.#instruments.get(req.symbol)) ??
      (this.#orders.has(req.clientOrderId)
        ? `duplicate clientOrderId ${req.clientOrderId}`
        : undefined);
  }

  #accept(req: OrderRequest, book: BookView, now: number, out: MatchEvent[]): void {
    const inst = this.#instruments.get(req.symbol) as Instrument; // #refusal checked it exists
    const n = ++this.#counter;
    const w = newWorkingOrder(req, inst, `${this.#prefix}-${n}`, n, now);
    w.status = nextStatus(w.status, "accept");
    this.#orders.add(w);
    out.push({ type: "accepted", time: now, order: snapshotOf(w) });
    // Stops wait for a trade through their stop price; everything else meets the book now.
    if (req.type === "market" || req.type === "limit") this.#take(w, book, now, [0, 0], out);
  }

  /**
   * Takes liquidity for `w` from `book` (taker, at each level's price), then applies its time in
   * force to the rest: fok all-or-nothing, ioc and market-like orders cancel it, day/gtc rest.
   */
  #take(
    w: WorkingOrder,
    book: BookView,
    now: number,
    taken: [number, number],
    out: MatchEvent[],
  ): void {
    const side = w.req.side, bs = oppositeSide(side), bound = boundOf(w);
    if (w.req.tif === "fok" && depthWithin(book, side, bound, taken[bs]) < leavesOf(w)) {
      this.#cancel(w, "fok: not enough liquidity to fill the whole order", now, out);
      return;
    }
    taken[bs] += walkBook(book, side, bound, leavesOf(w), taken[bs], (price, lots) => {
      this.#fill(w, lots, price, "taker", now, out);
    });
    if (leavesOf(w) === 0) return;
    if (!Number.isFinite(bound)) this.#cancel(w, "no more liquidity in the book", now, out);
    else if (w.req.tif === "ioc") this.#cancel(w, "ioc: unfilled remainder canceled", now, out);
  }

  #fill(
    w: WorkingOrder,
    lots: number,
    price: number,
    liquidity: Liquidity,
    now: number,
    out: MatchEvent[],
  ): void {
    const fee = this.#fees(w.inst, lots, price, liquidity);
    const event = applyFill(w, lots, price, liquidity, fee, now);
    if (w.status === "filled") this.#orders.close(w);
    out.push(event);
  }

  #cancel(w: WorkingOrder, reason: string, now: number, out: MatchEvent[]): void {
    this.#close(w, "cancel", now);
    out.push({ type: "canceled", time: now, reason, order: snapshotOf(w) });
  }

  #close(w: WorkingOrder, action: OrderAction, now: number): void {
    w.status = nextStatus(w.status, action);
    w.updatedAt = now;
    this.#orders.close(w);
  }
}

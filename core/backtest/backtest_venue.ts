/**
 * The backtest venue: a TradingClient that fills orders from bars, quotes and trades with the
 * fill rules of core/matching/bar_fill_model.ts, and the same validation, fee models and order
 * transitions as the sim venue's matching engine (which stays the sim's: it needs an L2 book).
 *
 * It reports like SimTrading, so the kernel sees one sequence in sim and backtest: a refused
 * submit rejects its promise with a VenueError and reports nothing; an accepted one reports
 * `accepted` to the handlers, then resolves with the order; cancel and replace refusals reject
 * with `invalid_request`. Unlike SimTrading it never waits on the clock: everything happens
 * synchronously inside the call, and latency is modelled by when an order becomes active (submit
 * time + latencyMs) instead. Cancels and replaces take effect at once. The router submits through
 * submitOrderNow, so an order is accepted within the strategy's call, without a promise.
 *
 * The backtest driver calls onBar / onQuote / onTrade for each market event, in time order, before
 * the strategies see it; an event's fills carry its time (a bar's open time) as venue time.
 */
import type { Clock } from "../clock/clock.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Cash } from "../domain/money.ts";
import type { Fill, OrderRequest } from "../domain/order.ts";
import type {
  TradeUpdate,
  TradingClient,
  VenueAccount,
  VenueOrder,
  VenuePosition,
} from "../execution/trading_client.ts";
import { VenueError } from "../execution/venue_error.ts";
import {
  barTriggers,
  type FillRules,
  type FillSettings,
  isStopType,
  matchBar,
  matchQuote,
  matchTrade,
  participationCap,
  quoteTriggers,
  resolveFillRules,
  tradeTriggers,
} from "../matching/bar_fill_model.ts";
import { type FeeModel, zeroFee } from "../matching/fee_model.ts";
import { canTransition } from "../matching/order_transitions.ts";
import { assertTrade, assertWellFormed, validateOrder } from "../matching/validate_order.ts";
import { BacktestOrders, type BtOrder, NO_DAY, viewOf } from "./_backtest_orders.ts";

/** Fill rules plus the venue's timing. */
export interface BacktestSettings extends FillSettings {
  /** Delay from submit until an order can trade, ms; default 0. */
  readonly latencyMs?: number;
  /** Session (trading day) number of an epoch-µs time; day orders live within one. Default: UTC day. */
  readonly sessionDay?: (micros: number) => number;
}

/** What fills cost. */
export interface BacktestFees {
  /** Fee of each fill (perShareFee, bpsFee, sumFees, ...); default zeroFee. */
  readonly model?: FeeModel;
  /** Least an order pays in total once it fills at all; the top-up is charged on its first fill. */
  readonly minPerOrder?: Cash;
}

/** What the backtest venue is built from. */
export interface BacktestVenueOptions {
  readonly instruments: InstrumentTable;
  readonly clock: Clock;
  readonly settings?: BacktestSettings;
  readonly fees?: BacktestFees;
  /** Prefix of venue order ids (`BT-1`); default "BT". */
  readonly idPrefix?: string;
  /** Cash of the venue account at the start; default 0. */
  readonly startingCash?: Cash;
  /**
   * Finished orders and fills held whole, the newest (default: all). Older orders are
   * remembered by id only: their ids stay refused, but getOrderByClientId no longer finds them;
   * older fills count in the account but fillsSince no longer returns them.
   */
  readonly keepFinished?: number;
}

// Prices an order's fill of `qty` lots on the current event (0 = none); `triggered`: before it.
type Matcher = (o: BtOrder, triggered: boolean, qty: number) => number;
// Whether the current event elects the untriggered stop `o`.
type Trigger = (o: BtOrder) => boolean;

const MICROS_PER_DAY = 86_400_000_000;
const utcDay = (micros: number): number => Math.floor(micros / MICROS_PER_DAY);

/**
 * TradingClient of the backtest: orders fill from market data pushed through onBar, onQuote and
 * onTrade; reports reach the handlers synchronously, in a deterministic order.
 * @example
 * ```ts
 * import { SimClock } from "../clock/sim_clock.ts";
 * import { InstrumentTable } from "../domain/instrument.ts";
 * import { BacktestVenue } from "./backtest_venue.ts";
 * const venue = new BacktestVenue({
 *   instruments: new InstrumentTable(["AAPL"], "SIM"),
 *   clock: new SimClock(0),
 *   settings: { slippage: { kind: "fixed_bps", bps: 2 }, participationRate: 0.1 },
 * });
 * const events: string[] = [];
 * venue.onTradeUpdate((u) => events.push(u.event));
 * await venue.submitOrder({
 *   clientOrderId: "c1", symbol: "AAPL", side: "buy", type: "market", tif: "day", qty: 100,
 *   limitPrice: 0, stopPrice: 0, source: "manual", createdAt: 0,
 * });
 * venue.onBar(0, 1_000_000, 1_001_000, 999_000, 1_000_500, 5_000, 0, 60_000_000);
 * events; // ["accepted", "fill"]: 100 at $100.02 ($100.00 + 2 bp, rounded up to the cent)
 * ```
 */
export class BacktestVenue implements TradingClient {
  readonly #instruments: InstrumentTable;
  readonly #clock: Clock;
  readonly #rules: FillRules;
  readonly #latencyMicros: number;
  readonly #sessionDay: (micros: number) => number;
  readonly #books: BacktestOrders;
  readonly #handlers: Array<(u: TradeUpdate) => void> = [];
  // The current event's numbers, and the rules that read them, made once: two closures made per
  // event with working orders were most of what the venue allocated on a bar.
  readonly #px = new Float64Array(5);
  readonly #barTriggers: Trigger = (o) => barTriggers(o.req, this.#px[1]!, this.#px[2]!);
  readonly #barMatch: Matcher = (o, trig, qty) => {
    const p = this.#px;
    return matchBar(o.inst, this.#rules, o.req, trig, qty, p[0]!, p[1]!, p[2]!, p[4]!);
  };
  readonly #quoteTriggers: Trigger = (o) => quoteTriggers(o.req, this.#px[0]!, this.#px[2]!);
  readonly #quoteMatch: Matcher = (o, trig, qty) => {
    const p = this.#px;
    return matchQuote(o.inst, this.#rules, o.req, trig, qty, p[0]!, p[1]!, p[2]!, p[3]!);
  };
  readonly #tradeTriggers: Trigger = (o) => tradeTriggers(o.req, this.#px[0]!);
  readonly #tradeMatch: Matcher = (o, trig, qty) =>
    matchTrade(o.inst, this.#rules, o.req, trig, qty, this.#px[0]!, this.#px[1]!);

  /** Builds the venue; throws a RangeError naming any bad setting. */
  constructor(options: BacktestVenueOptions) {
    const s = options.settings ?? {};
    this.#instruments = options.instruments;
    this.#clock = options.clock;
    this.#rules = resolveFillRules(s);
    const latency = s.latencyMs ?? 0;
    if (!Number.isFinite(latency) || latency < 0) {
      throw new RangeError(`'latencyMs' must be a finite number >= 0, got ${latency}`);
    }
    this.#latencyMicros = Math.round(latency * 1000);
    this.#sessionDay = s.sessionDay ?? utcDay;
    const keep = options.keepFinished;
    if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) {
      throw new RangeError(`'keepFinished' must be a whole number >= 1, got ${keep}`);
    }
    this.#books = new BacktestOrders(options.instruments, {
      fees: options.fees?.model ?? zeroFee,
      minPerOrder: options.fees?.minPerOrder,
      prefix: options.idPrefix ?? "BT",
      startingCash: options.startingCash ?? 0n,
      keepFinished: options.keepFinished,
    });
  }

  /** Subscribes to order reports. */
  onTradeUpdate(handler: (update: TradeUpdate) => void): void {
    this.#handlers.push(handler);
  }

  /** Accepts `request` (reporting `accepted`) or rejects with a VenueError; it trades from submit + latency. */
  submitOrder(request: OrderRequest): Promise<VenueOrder> {
    return settle(() => this.submitOrderNow(request));
  }

  /** submitOrder answered within the call: the accepted order, or a thrown VenueError. */
  submitOrderNow(request: OrderRequest): VenueOrder {
    assertWellFormed(request);
    if (this.#books.isKnown(request.clientOrderId)) {
      throw new VenueError(
        "duplicate_client_order_id",
        `client_order_id ${request.clientOrderId} must be unique`,
      );
    }
    const reason = validateOrder(request, this.#instruments.get(request.symbol));
    if (reason !== undefined) throw new VenueError("rejected", reason, { maybeReceived: false });
    const out: TradeUpdate[] = [];
    this.#accept(request, out);
    this.#publish(out);
    return out[0]!.order; // the accepted report's snapshot: the same order, not a second copy
  }

  /** Cancels a working order (reporting `canceled`); unknown or finished orders reject. */
  cancelOrder(clientOrderId: string): Promise<void> {
    return settle(() => {
      const o = this.#books.find(clientOrderId);
      if (o === undefined) throw new VenueError("invalid_request", "unknown clientOrderId");
      if (!canTransition(o.status, "cancel")) {
        throw new VenueError("invalid_request", `order is ${o.status}`);
      }
      const out: TradeUpdate[] = [];
      this.#books.close(o, "cancel", this.#clock.nowMicros(), out);
      this.#publish(out);
    });
  }

  /**
   * Replaces a working order by `next` (its own new client order id, same symbol, side and type):
   * the old one reports `replaced`, the new one `accepted` and trades from now + latency.
   */
  replaceOrder(clientOrderId: string, next: OrderRequest): Promise<VenueOrder> {
    return settle(() => {
      assertWellFormed(next);
      const old = this.#books.find(clientOrderId);
      if (old === undefined) throw new VenueError("invalid_request", "unknown clientOrderId");
      const same = next.symbol === old.req.symbol && next.side === old.req.side &&
        next.type === old.req.type;
      const reason = !canTransition(old.status, "replace")
        ? `order is ${old.status}`
        : !same
        ? "a replacement must keep the symbol, side and type"
        : validateOrder(next, this.#instruments.get(next.symbol)) ??
          (this.#books.isKnown(next.clientOrderId)
            ? `duplicate clientOrderId ${next.clientOrderId}`
            : undefined);
      if (reason !== undefined) throw new VenueError("invalid_request", reason);
      const out: TradeUpdate[] = [];
      this.#books.close(old, "replace", this.#clock.nowMicros(), out);
      const o = this.#accept(next, out);
      this.#publish(out);
      return viewOf(o);
    });
  }

  /** The order with `clientOrderId` if the venue ever accepted it (refused submits are not kept). */
  getOrderByClientId(clientOrderId: string): Promise<VenueOrder | undefined> {
    return Promise.resolve(viewOrUndefined(this.#books.find(clientOrderId)));
  }

  /** Working orders, in acceptance order. */
  openOrders(): Promise<VenueOrder[]> {
    return Promise.resolve(this.#books.allOpen().map(viewOf));
  }

  /** Non-flat positions of the venue account. */
  positions(): Promise<VenuePosition[]> {
    const list = this.#books.account().positions;
    return Promise.resolve(list.map((p) => ({ symbol: p.symbol, qty: p.qty })));
  }

  /** Cash, buying power (= cash: no margin) and equity at the last marks. */
  account(): Promise<VenueAccount> {
    const t = this.#books.account();
    return Promise.resolve({ cash: t.cash, buyingPower: t.cash, equity: t.equity });
  }

  /** Fills held after `afterFillId`, oldest first (all held when it is undefined or unknown). */
  fillsSince(afterFillId: string | undefined): Promise<Fill[]> {
    const fills = this.#books.heldFills();
    const i = afterFillId === undefined ? -1 : fills.findIndex((f) => f.fillId === afterFillId);
    return Promise.resolve(fills.slice(i + 1));
  }

  /** True while instrument `inst` has working orders. */
  hasWorking(inst: number): boolean {
    return this.#books.openOf(inst).length > 0;
  }

  /** Expires every open day order now (for drivers that end sessions themselves, as with SimTrading). */
  expireDayOrders(): void {
    const now = this.#clock.nowMicros(), out: TradeUpdate[] = [];
    for (const o of this.#books.allOpen()) {
      if (o.req.tif === "day") this.#books.close(o, "expire", now, out);
    }
    this.#publish(out);
  }

  /**
   * A bar of instrument `inst` over [openTime, closeTime): fills the orders active at its open.
   * Hot path: positional, allocates nothing while the instrument has no working orders.
   */
  onBar(
    inst: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    openTime: number,
    closeTime: number,
  ): void {
    if (
      !(isPrice(open) && isPrice(high) && isPrice(low) && isPrice(close) && isSize(volume)) ||
      low > Math.min(open, close) || high < Math.max(open, close) || !isSize(openTime) ||
      !(Number.isSafeInteger(closeTime) && closeTime >= openTime)
    ) {
      throw new RangeError(
        `Corrupt bar for instrument ${inst}: o=${open} h=${high} l=${low} c=${close} v=${volume} ` +
          `[${openTime}, ${closeTime})`,
      );
    }
    const orders = this.#books.openOf(inst);
    this.#books.markIfHeld(inst, close);
    if (orders.length === 0) return;
    const p = this.#px, cap = participationCap(this.#rules, volume);
    p[0] = open;
    p[1] = high;
    p[2] = low;
    p[4] = volume;
    this.#run(orders, openTime, cap, cap, this.#barTriggers, this.#barMatch, true);
  }

  /**
   * A top-of-book quote of instrument `inst` at `time` (price 0: that side is empty); orders take
   * it at the touch. Hot path: allocates nothing while the instrument has no working orders.
   */
  onQuote(
    inst: number,
    bidPx: number,
    bidSz: number,
    askPx: number,
    askSz: number,
    time: number,
  ): void {
    if (!(isSize(bidPx) && isSize(bidSz) && isSize(askPx) && isSize(askSz) && isSize(time))) {
      throw new RangeError(
        `Corrupt quote for instrument ${inst}: ${bidSz}@${bidPx} / ${askSz}@${askPx} at ${time}`,
      );
    }
    const orders = this.#books.openOf(inst);
    // A mark, not money: the rounded mid is close enough to value a position between fills.
    if (bidPx > 0 && askPx > 0) this.#books.markIfHeld(inst, Math.round((bidPx + askPx) / 2));
    if (orders.length === 0) return;
    const p = this.#px, rules = this.#rules;
    p[0] = bidPx;
    p[1] = bidSz;
    p[2] = askPx;
    p[3] = askSz;
    this.#run(
      orders,
      time,
      participationCap(rules, bidSz), // sells take the bid
      participationCap(rules, askSz),
      this.#quoteTriggers,
      this.#quoteMatch,
      true,
    );
  }

  /**
   * A trade print of instrument `inst` at `time`. Hot path: allocates nothing while the
   * instrument has no working orders.
   */
  onTrade(inst: number, price: number, size: number, time: number): void {
    const orders = this.#books.openOf(inst);
    assertTrade(this.#books.symbols[inst]!, price, size);
    if (!isSize(time)) throw new RangeError(`Corrupt trade time for instrument ${inst}: ${time}`);
    this.#books.markIfHeld(inst, price);
    if (orders.length === 0) return;
    const p = this.#px, cap = participationCap(this.#rules, size);
    p[0] = price;
    p[1] = size;
    this.#run(orders, time, cap, cap, this.#tradeTriggers, this.#tradeMatch, false);
  }

  /**
   * One market event at `time` against `orders`, served in acceptance order; `capSell` / `capBuy`
   * are the lots our sells / buys may still take from it. `fillsOnTrigger`: a stop elected by
   * this event may fill on it (bars, quotes) or only from the next one (trades).
   */
  #run(
    orders: readonly BtOrder[],
    time: number,
    capSell: number,
    capBuy: number,
    triggers: Trigger,
    match: Matcher,
    fillsOnTrigger: boolean,
  ): void {
    const books = this.#books, out: TradeUpdate[] = [];
    // Received when the driver hands the event over, never before it happened.
    const recv = Math.max(time, this.#clock.nowMicros());
    // A copy: fills and cancels drop orders from the live list while we walk it.
    for (const o of orders.slice()) {
      if (time < o.activeAt) continue; // still on its way to the venue
      if (o.req.tif === "day") {
        const day = this.#sessionDay(time);
        if (o.activeDay === NO_DAY) o.activeDay = day;
        else if (day !== o.activeDay) {
          books.close(o, "expire", time, out);
          continue;
        }
      }
      const wasTriggered = o.triggered;
      let live = !isStopType(o.req) || wasTriggered;
      if (!live && triggers(o)) {
        o.triggered = true;
        live = fillsOnTrigger;
      }
      // ioc and fok apply from the first event the order can trade on: a stop's is its trigger.
      if (!live) continue;
      const buy = o.req.side === "buy", leaves = o.req.qty - o.filledQty;
      const qty = Math.min(leaves, buy ? capBuy : capSell);
      const price = qty > 0 ? match(o, wasTriggered, qty) : 0;
      const tif = o.req.tif;
      if (tif === "fok" && (qty < leaves || price === 0)) {
        books.close(o, "cancel", time, out);
        continue;
      }
      if (price > 0) {
        if (buy) capBuy -= qty;
        else capSell -= qty;
        books.fill(o, qty, price, time, recv, out);
      }
      if (tif === "ioc" && o.filledQty < o.req.qty) books.close(o, "cancel", time, out);
    }
    this.#publish(out);
  }

  #accept(req: OrderRequest, out: TradeUpdate[]): BtOrder {
    const inst = this.#instruments.get(req.symbol)!; // validateOrder checked it exists
    const now = this.#clock.nowMicros(), activeAt = now + this.#latencyMicros;
    return this.#books.accept(req, inst, now, activeAt, out);
  }

  // Handlers run once the state of the whole call is updated (update first, then publish).
  #publish(out: readonly TradeUpdate[]): void {
    for (const u of out) for (const h of this.#handlers) h(u);
  }
}

// Runs `fn` now and hands its outcome over as a promise, as an async venue call would.
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}

function viewOrUndefined(o: BtOrder | undefined): VenueOrder | undefined {
  return o === undefined ? undefined : viewOf(o);
}

function isPrice(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * The backtest venue's books (private to core/backtest): accepted orders and their state, the
 * open ones per instrument, the fills, fees and the venue account. Each change appends the trade
 * update it causes to `out`; the venue publishes them once the whole call is done. Under
 * `keepFinished` only the newest finished orders and fills stay objects: older orders keep just
 * their ids (to refuse a reuse), older fills only their effect on the account, so a long run's
 * heap stays small.
 */
import type { Instrument, InstrumentTable } from "../domain/instrument.ts";
import { type Cash, notional } from "../domain/money.ts";
import type { Fill, OrderRequest, OrderStatus } from "../domain/order.ts";
import type { TradeUpdate, VenueOrder } from "../execution/trading_client.ts";
import { fillLiquidity } from "../matching/bar_fill_model.ts";
import { type FeeModel, orderMinimumFee } from "../matching/fee_model.ts";
import { isOpenStatus, nextStatus, type OrderAction } from "../matching/order_transitions.ts";
import { LookupLog } from "../execution/lookup_log.ts";
import { removeAt } from "../execution/remove_at.ts";
import { OrderIdSet } from "./_order_id_set.ts";

/** One accepted order as the venue mutates it; callers only ever see its VenueOrder `view`. */
export interface BtOrder {
  readonly req: OrderRequest;
  readonly inst: Instrument;
  readonly venueOrderId: string;
  /** Acceptance sequence: events serve orders in this order. */
  readonly seq: number;
  /** Epoch µs from which market events reach it: submit time + latency. */
  readonly activeAt: number;
  /**
   * Session of the first event the order could trade on (NO_DAY before it): a day order expires at
   * the first later event of another session. A day order sent after the close (a daily bar's
   * signal, a Friday evening) so works the next session, as at a broker.
   */
  activeDay: number;
  status: OrderStatus;
  filledQty: number;
  /** Stops: elected by an earlier event. */
  triggered: boolean;
  fillCount: number;
  /**
   * Σ of the fee model over its fills, and Σ charged; they differ by the minimum's top-up.
   * Kept only under a per-order minimum (0 otherwise).
   */
  feesComputed: Cash;
  feesCharged: Cash;
  /** Time of the last change. */
  updatedAt: number;
}

/**
 * activeDay before the order's first eligible event. A small integer, not NaN: a field that ever
 * holds a non-integer keeps every value in a separate heap box, one more object per order kept.
 */
export const NO_DAY = -(2 ** 30);

/** How the books charge and name orders. */
export interface BacktestOrdersOptions {
  readonly fees: FeeModel;
  readonly minPerOrder: Cash | undefined;
  readonly prefix: string;
  readonly startingCash: Cash;
  /** Finished orders and fills held as objects, the newest; undefined holds all. */
  readonly keepFinished?: number;
}

const EVENT_OF: Record<string, TradeUpdate["event"]> = {
  cancel: "canceled",
  expire: "expired",
  replace: "replaced",
};

/** Orders, fills and account of the backtest venue. */
export class BacktestOrders {
  /**
   * Accepted orders held, oldest first, done ones included; indexed by id only when one that is
   * not open is looked up.
   */
  readonly #all = new LookupLog<BtOrder>((o) => o.req.clientOrderId);
  /**
   * The client order id of every order ever accepted, forgotten ones too, indexed: a reused id
   * is refused among millions without a Map of strings.
   */
  readonly #ids = new OrderIdSet();
  /** Orders in #all that are done. */
  #finished = 0;
  /** Open orders per instrument index, in acceptance order. */
  readonly open: BtOrder[][];
  /** The fills held, oldest first (all of them unless keepFinished). */
  readonly #fills: Fill[] = [];
  /** The account after the fills no longer held (at their fill prices). */
  // As cash: what the forgotten fills moved, less their fees; and per instrument index, the
  // notional they moved in price × lots (+ sold, − bought), exact while below 2^53, where a bigint
  // per fill cost a tenth of a microsecond.
  #pastCash: Cash = 0n;
  readonly #pastFlow: Float64Array;
  /** Price of the last fill per instrument index: a position's value until it has a mark. */
  readonly #fillPx: Float64Array;
  // How far past keepFinished the held ones grow before a trim (a pass over them): kept rare.
  readonly #slack: number;
  /** Signed lots held per instrument index: marks are only needed where something is held. */
  readonly held: number[];
  /** Symbol per instrument index. */
  readonly symbols: string[];
  readonly #opts: BacktestOrdersOptions;
  readonly #instruments: InstrumentTable;
  /** Last price per instrument index, recorded while something is held. */
  readonly #marks: Float64Array;
  #seq = 0;

  /** Starts with no orders and the account at its starting cash. */
  constructor(instruments: InstrumentTable, options: BacktestOrdersOptions) {
    this.#opts = options;
    this.#instruments = instruments;
    this.#marks = new Float64Array(instruments.size);
    this.#pastFlow = new Float64Array(instruments.size);
    this.#fillPx = new Float64Array(instruments.size);
    this.open = instruments.list().map(() => []);
    this.held = instruments.list().map(() => 0);
    this.symbols = instruments.list().map((i) => i.symbol);
    this.#slack = Math.ceil((options.keepFinished ?? 0) / 4);
  }

  /** Records the valid `req` for `inst` as new, trading from `activeAt`. */
  accept(
    req: OrderRequest,
    inst: Instrument,
    now: number,
    activeAt: number,
    out: TradeUpdate[],
  ): BtOrder {
    const seq = ++this.#seq;
    const o: BtOrder = {
      req,
      inst,
      venueOrderId: `${this.#opts.prefix}-${seq}`,
      seq,
      activeAt,
      activeDay: NO_DAY,
      status: nextStatus("pending_new", "accept"),
      filledQty: 0,
      triggered: false,
      fillCount: 0,
      feesComputed: 0n,
      feesCharged: 0n,
      updatedAt: now,
    };
    this.#all.push(o);
    this.#ids.add(req.clientOrderId);
    this.open[inst.index]!.push(o);
    // As SimTrading reports it: every non-fill update has a reason key, set only on rejections.
    out.push({ event: "accepted", order: viewOf(o), reason: undefined });
    return o;
  }

  /** Ends `o` by cancel, expiry or replacement at `time` (the transition table decides if legal). */
  close(o: BtOrder, action: OrderAction, time: number, out: TradeUpdate[]): void {
    o.status = nextStatus(o.status, action);
    this.#drop(o);
    o.updatedAt = time;
    out.push({ event: EVENT_OF[action]!, order: viewOf(o), reason: undefined });
  }

  /**
   * Executes `qty` lots of `o` at `price` at venue time `time`: fee (with the per-order minimum),
   * status, fill record and account. `recvTime` is when the driver handed the event over.
   */
  fill(
    o: BtOrder,
    qty: number,
    price: number,
    time: number,
    recvTime: number,
    out: TradeUpdate[],
  ): void {
    const liquidity = fillLiquidity(o.req, price);
    const computed = this.#opts.fees(o.inst, qty, price, liquidity);
    const min = this.#opts.minPerOrder;
    let fee = computed;
    if (min !== undefined) {
      // Running sums only where a minimum needs them: two BigInts per fill otherwise kept for nothing.
      o.feesComputed += computed;
      fee = orderMinimumFee(o.feesComputed, o.feesCharged, min);
      o.feesCharged += fee;
    }
    o.filledQty += qty;
    o.fillCount++;
    o.status = nextStatus(o.status, o.filledQty === o.req.qty ? "fill" : "partial_fill");
    const fill: Fill = {
      fillId: `${o.venueOrderId}-${o.fillCount}`,
      clientOrderId: o.req.clientOrderId,
      venueOrderId: o.venueOrderId,
      symbol: o.req.symbol,
      side: o.req.side,
      qty,
      price,
      fee,
      liquidity,
      venueTime: time,
      recvTime,
    };
    this.#fills.push(fill);
    this.#trimFills();
    this.held[o.inst.index]! += o.req.side === "buy" ? qty : -qty;
    this.#fillPx[o.inst.index] = price;
    if (o.status === "filled") this.#drop(o);
    o.updatedAt = time;
    out.push({ event: o.status === "filled" ? "fill" : "partial_fill", order: viewOf(o), fill });
  }

  /** The order with `clientOrderId` if it was ever accepted: open ones first, then the rest. */
  find(clientOrderId: string): BtOrder | undefined {
    for (const list of this.open) {
      for (const o of list) if (o.req.clientOrderId === clientOrderId) return o;
    }
    return this.#all.get(clientOrderId);
  }

  /** True when an accepted order already has `clientOrderId`. */
  isKnown(clientOrderId: string): boolean {
    return this.#ids.has(clientOrderId);
  }

  /** The fills held, oldest first: every one, unless keepFinished forgot the oldest. */
  heldFills(): readonly Fill[] {
    return this.#fills;
  }

  /** Open orders of every instrument, in acceptance order (a fresh array). */
  allOpen(): BtOrder[] {
    return this.open.flat().sort((a, b) => a.seq - b.seq);
  }

  /** The live list of open orders of instrument `inst`; throws for an index outside the table. */
  openOf(inst: number): BtOrder[] {
    const orders = this.open[inst];
    if (orders === undefined) throw new RangeError(`No instrument at index ${inst}`);
    return orders;
  }

  /** Revalues the account's position in `inst` at `price`, if it holds one. */
  markIfHeld(inst: number, price: number): void {
    if (this.held[inst] !== 0) this.#marks[inst] = price;
  }

  /**
   * The venue account: cash, equity at the last marks (a position not marked since it opened is
   * valued at its last fill) and the lots held. Rebuilt from the fills when asked: only
   * reconciliation asks, so fills are not booked twice (here and in the kernel's portfolio).
   */
  account(): VenueBook {
    const instruments = this.#instruments.list();
    let cash = this.#opts.startingCash + this.#pastCash;
    for (let i = 0; i < instruments.length; i++) {
      if (this.#pastFlow[i] !== 0) cash += notional(instruments[i]!, this.#pastFlow[i]!, 1);
    }
    for (const f of this.#fills) {
      const inst = this.#instruments.get(f.symbol)!;
      cash += notional(inst, f.price, f.side === "buy" ? -f.qty : f.qty) - f.fee;
    }
    let equity = cash;
    const positions: { symbol: string; qty: number }[] = [];
    for (let i = 0; i < instruments.length; i++) {
      const qty = this.held[i]!;
      if (qty === 0) continue;
      positions.push({ symbol: this.symbols[i]!, qty });
      const px = this.#marks[i]! > 0 ? this.#marks[i]! : this.#fillPx[i]!;
      equity += notional(instruments[i]!, px, qty);
    }
    return { cash, equity, positions };
  }

  #drop(o: BtOrder): void {
    const list = this.open[o.inst.index]!;
    const i = list.indexOf(o);
    if (i < 0) return;
    removeAt(list, i);
    this.#finished++;
    this.#trimOrders();
  }

  /** Forgets the oldest finished orders beyond keepFinished (#ids keeps their ids). */
  #trimOrders(): void {
    const keep = this.#opts.keepFinished;
    if (keep === undefined || this.#finished <= keep + this.#slack) return;
    let excess = this.#finished - keep;
    this.#finished -= this.#all.retain((o) => isOpenStatus(o.status) || excess-- <= 0).length;
  }

  /** Books the oldest fills beyond keepFinished into the past account, and forgets them. */
  #trimFills(): void {
    const keep = this.#opts.keepFinished, fills = this.#fills;
    if (keep === undefined || fills.length <= keep + this.#slack) return;
    for (const f of fills.splice(0, fills.length - keep)) this.#book(f);
  }

  #book(f: Fill): void {
    const inst = this.#instruments.get(f.symbol)!;
    const moved = f.side === "buy" ? -f.price * f.qty : f.price * f.qty;
    const flow = this.#pastFlow[inst.index]! + moved;
    // Exact while both are integers below 2^53 (a product or sum past it rounds to 2^53 or more).
    if (Number.isSafeInteger(moved) && Number.isSafeInteger(flow)) {
      this.#pastFlow[inst.index] = flow;
    } else {
      this.#pastCash += notional(inst, f.price, f.side === "buy" ? -f.qty : f.qty);
    }
    if (f.fee !== 0n) this.#pastCash -= f.fee;
  }
}

/** The venue account as account() gives it. */
export interface VenueBook {
  readonly cash: Cash;
  readonly equity: Cash;
  /** Instruments with a position, in table order. */
  readonly positions: readonly { readonly symbol: string; readonly qty: number }[];
}

/** A snapshot of `o` as the venue reports it: built per report, not kept per order. */
export function viewOf(o: BtOrder): VenueOrder {
  return {
    clientOrderId: o.req.clientOrderId,
    venueOrderId: o.venueOrderId,
    request: o.req,
    status: o.status,
    filledQty: o.filledQty,
    updatedAt: o.updatedAt,
  };
}

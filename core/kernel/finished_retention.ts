/**
 * How much of its past an always-on kernel holds (KernelDeps.keepFinished): every open order, and
 * only the newest finished orders and fills; the journal (or a checkpoint) keeps the rest. An order
 * added in this process knows all of its fill ids, so the kernel asks this only of a fill whose
 * order is no longer held or was restored from a checkpoint: it is recognised as applied when it
 * is still held itself, or when it executed no later than the newest fill forgotten: that many
 * fills later, the venue does not report a fill for the first time. A venue that reports each fill exactly once (the backtest's,
 * in process) has no repeats to recognise, and its fills need not come in time order (a daily
 * bar's fill, at the bar's start, is reported after the minute bars of that day): nothing
 * forgotten is taken for applied then.
 */
import type { Fill } from "../domain/order.ts";
import type { ManagedOrder, OrderManager } from "../execution/order_manager.ts";

const NONE: readonly Fill[] = [];

/** Where forgotten orders and fills go (KernelDeps.onForget). */
export interface ForgetSink {
  orders(orders: readonly ManagedOrder[]): void;
  fills(fills: readonly Fill[]): void;
}

/** Trims the kernel's held orders and fills to the newest `keep` finished ones. */
export class FinishedRetention {
  /** Execution time (venue clock) of the newest fill forgotten. */
  #through = -Infinity;
  /** Ids of the fills held (kept only when trimming). */
  readonly #held = new Set<string>();
  // How far past `keep` the held ones may grow before a trim: a trim is O(held), so it stays rare.
  readonly #slack: number;

  /** Whether a forgotten fill can be reported again (false: the venue reports each fill once). */
  readonly repeats: boolean;
  readonly sink: ForgetSink | undefined;

  /**
   * Holds the newest `keepFinished` (a whole number ≥ 1; undefined: everything); `onForget`
   * receives what is forgotten (see KernelDeps).
   */
  constructor(
    readonly keep: number | undefined,
    options: { readonly onForget?: ForgetSink; readonly fillsReportedOnce?: boolean } = {},
  ) {
    this.sink = options.onForget;
    this.repeats = options.fillsReportedOnce !== true;
    if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) {
      throw new RangeError(`finished orders to keep must be a whole number >= 1, got ${keep}`);
    }
    this.#slack = keep === undefined ? Infinity : Math.ceil(keep / 4);
  }

  /** Execution time of the newest fill forgotten (-Infinity before the first trim). */
  get through(): number {
    return this.#through;
  }

  /** Sets `through` back to a checkpoint's. */
  restore(through: number): void {
    this.#through = through;
  }

  /** True when `fill` was applied and then its order forgotten (see the module note). */
  applied(fill: Fill): boolean {
    return this.keep !== undefined && this.repeats &&
      (this.#held.has(fill.fillId) || fill.venueTime <= this.#through);
  }

  /** Notes a fill just added to the held ones. */
  noteFill(fill: Fill): void {
    if (this.keep !== undefined && this.repeats) this.#held.add(fill.fillId);
  }

  /** Drops the oldest of `fills` beyond `keep`; returns them. */
  trimFills(fills: Fill[]): readonly Fill[] {
    const keep = this.keep;
    if (keep === undefined || fills.length <= keep + this.#slack) return NONE; // every fill: no allocation
    let cut = fills.length - keep;
    // Fills of one execution time are kept or forgotten together: `through` must stay below the
    // time of the fills held, or a new fill at that time (another symbol's, on the same bar)
    // would pass for a repeat.
    while (this.repeats && cut > 0 && fills[cut - 1]!.venueTime === fills[cut]!.venueTime) cut--;
    if (cut === 0) return NONE;
    const dropped = fills.splice(0, cut);
    for (const f of dropped) {
      if (this.repeats) this.#held.delete(f.fillId);
      if (f.venueTime > this.#through) this.#through = f.venueTime;
    }
    this.sink?.fills(dropped);
    return dropped;
  }

  /** Forgets the oldest finished orders of `orders` beyond `keep`. */
  trimOrders(orders: OrderManager): void {
    const keep = this.keep;
    if (keep === undefined || orders.size - orders.openCountAll() <= keep + this.#slack) return;
    const dropped = orders.trimFinished(keep);
    this.sink?.orders(dropped);
  }
}

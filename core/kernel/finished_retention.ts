/**
 * How much of its past an always-on kernel holds (KernelDeps.keepFinished): every open order, and
 * only the newest finished orders and fills; the journal keeps the rest. It remembers how far the
 * forgotten ones reach in time, so a late repeat of a forgotten fill is recognised as applied
 * rather than booked again.
 */
import type { Fill } from "../domain/order.ts";
import type { OrderManager } from "../execution/order_manager.ts";

/** Trims the kernel's held orders and fills to the newest `keep` finished ones. */
export class FinishedRetention {
  /** Newest time among forgotten orders (last update) and fills (execution). */
  #through = -Infinity;
  // How far past `keep` the held ones may grow before a trim: a trim is O(held), so it stays rare.
  readonly #slack: number;

  /** `keep` undefined holds everything (a backtest reports every order and fill). */
  constructor(readonly keep: number | undefined) {
    this.#slack = keep === undefined ? Infinity : Math.ceil(keep / 4);
  }

  /** Newest time among forgotten orders (last update) and fills (execution). */
  get through(): number {
    return this.#through;
  }

  /** Sets `through` back to a checkpoint's. */
  restore(through: number): void {
    this.#through = through;
  }

  /** True when `fill`, whose order is no longer held, was applied before it was forgotten. */
  forgot(fill: Fill): boolean {
    return fill.venueTime <= this.#through;
  }

  /** Drops the oldest of `fills` beyond `keep`. */
  trimFills(fills: Fill[]): void {
    const keep = this.keep;
    if (keep === undefined || fills.length <= keep + this.#slack) return;
    for (const f of fills.splice(0, fills.length - keep)) {
      if (f.venueTime > this.#through) this.#through = f.venueTime;
    }
  }

  /** Forgets the oldest finished orders of `orders` beyond `keep`. */
  trimOrders(orders: OrderManager): void {
    const keep = this.keep;
    if (keep === undefined || orders.size - orders.openCountAll() <= keep + this.#slack) return;
    for (const o of orders.trimFinished(keep)) {
      if (o.updatedAt > this.#through) this.#through = o.updatedAt;
    }
  }
}

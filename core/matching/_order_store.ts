/**
 * The matching engine's orders (private to core/matching): every accepted order by clientOrderId,
 * done ones included so ids stay unique for the engine's life, and the open ones per symbol in
 * acceptance order, which is what the market events scan.
 */
import type { WorkingOrder } from "./_working_order.ts";

const NONE: readonly WorkingOrder[] = Object.freeze([]);

/** Accepted orders by id, and open orders by symbol. */
export class OrderStore {
  readonly #byId = new Map<string, WorkingOrder>();
  readonly #open = new Map<string, WorkingOrder[]>();

  /** Adds a just-accepted order as open. */
  add(w: WorkingOrder): void {
    this.#byId.set(w.req.clientOrderId, w);
    const list = this.#open.get(w.req.symbol);
    if (list === undefined) this.#open.set(w.req.symbol, [w]);
    else list.push(w);
  }

  /** The order with `clientOrderId`, open or done. */
  get(clientOrderId: string): WorkingOrder | undefined {
    return this.#byId.get(clientOrderId);
  }

  /** True when `clientOrderId` was ever accepted. */
  has(clientOrderId: string): boolean {
    return this.#byId.has(clientOrderId);
  }

  /** Open orders of `symbol` in acceptance order (a live array: copy before closing while iterating). */
  open(symbol: string): readonly WorkingOrder[] {
    return this.#open.get(symbol) ?? NONE;
  }

  /** Open orders of every symbol, a fresh array. */
  allOpen(): WorkingOrder[] {
    return [...this.#open.values()].flat();
  }

  /** Drops `w` from the open orders once it is done. */
  close(w: WorkingOrder): void {
    const list = this.#open.get(w.req.symbol);
    const i = list?.indexOf(w) ?? -1;
    if (i >= 0) list?.splice(i, 1);
  }
}

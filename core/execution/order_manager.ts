/**
 * The engine's book of its own orders: every order by client id with its status (driven only
 * through the state machine), filled quantity and venue id; open orders per symbol for risk.
 */
import type { OrderRequest, OrderStatus } from "../domain/order.ts";
import { isTerminal, nextStatus, type OrderEvent } from "./order_state.ts";

/** An order as the engine tracks it. */
export interface ManagedOrder {
  readonly request: OrderRequest;
  status: OrderStatus;
  venueOrderId: string;
  /** Lots filled so far. */
  filledQty: number;
  /** Why the venue or risk refused it, if it did. */
  reason: string;
  updatedAt: number;
}

/** Orders by client order id. */
export class OrderManager {
  readonly #orders = new Map<string, ManagedOrder>();
  readonly #open = new Map<string, Set<string>>();

  /** Registers a new order as pending_new; throws on a reused client order id. */
  add(request: OrderRequest, now: number): ManagedOrder {
    if (this.#orders.has(request.clientOrderId)) {
      throw new RangeError(
        `Cannot add order: client order id '${request.clientOrderId}' is already used`,
      );
    }
    const order: ManagedOrder = {
      request,
      status: "pending_new",
      venueOrderId: "",
      filledQty: 0,
      reason: "",
      updatedAt: now,
    };
    this.#orders.set(request.clientOrderId, order);
    this.#setOpen(order);
    return order;
  }

  /** Applies `event` through the state machine (throws IllegalTransition on an impossible one). */
  apply(
    clientOrderId: string,
    event: OrderEvent,
    now: number,
    extra: { venueOrderId?: string; filledQty?: number; reason?: string } = {},
  ): ManagedOrder {
    const order = this.#orders.get(clientOrderId);
    if (order === undefined) throw new RangeError(`Unknown order '${clientOrderId}'`);
    order.status = nextStatus(order.status, event, clientOrderId);
    if (extra.venueOrderId) order.venueOrderId = extra.venueOrderId;
    if (extra.filledQty !== undefined) order.filledQty = extra.filledQty;
    if (extra.reason) order.reason = extra.reason;
    order.updatedAt = now;
    this.#setOpen(order);
    return order;
  }

  /** The order with `clientOrderId`, if known. */
  get(clientOrderId: string): ManagedOrder | undefined {
    return this.#orders.get(clientOrderId);
  }

  /** Open (non-terminal) orders, optionally of one symbol. */
  open(symbol?: string): ManagedOrder[] {
    const ids = symbol === undefined
      ? [...this.#open.values()].flatMap((s) => [...s])
      : [...(this.#open.get(symbol) ?? [])];
    return ids.map((id) => this.#orders.get(id)!);
  }

  /** Number of open orders of `symbol` (risk's max-open-orders input; no allocation). */
  openCount(symbol: string): number {
    return this.#open.get(symbol)?.size ?? 0;
  }

  /** Every order, newest first, filtered. */
  list(filter: { status?: OrderStatus; symbol?: string; limit?: number } = {}): ManagedOrder[] {
    const out: ManagedOrder[] = [];
    const all = [...this.#orders.values()];
    for (let i = all.length - 1; i >= 0 && out.length < (filter.limit ?? Infinity); i--) {
      const o = all[i]!;
      if (filter.status !== undefined && o.status !== filter.status) continue;
      if (filter.symbol !== undefined && o.request.symbol !== filter.symbol) continue;
      out.push(o);
    }
    return out;
  }

  /** Orders known. */
  get size(): number {
    return this.#orders.size;
  }

  #setOpen(order: ManagedOrder): void {
    const symbol = order.request.symbol;
    let set = this.#open.get(symbol);
    if (set === undefined) this.#open.set(symbol, set = new Set());
    if (isTerminal(order.status)) set.delete(order.request.clientOrderId);
    else set.add(order.request.clientOrderId);
  }
}

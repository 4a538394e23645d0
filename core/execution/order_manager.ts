/**
 * The engine's book of its own orders: every order by client id with its status (driven only
 * through the state machine), filled quantity and venue id; open orders per symbol for risk.
 */
import type { OrderRequest, OrderStatus } from "../domain/order.ts";
import { LookupLog } from "./lookup_log.ts";
import { OpenOrders } from "./open_orders.ts";
import { isTerminal, nextStatus, type OrderEvent } from "./order_state.ts";

/** An order as the engine tracks it. */
export interface ManagedOrder {
  readonly request: OrderRequest;
  /** Its place among the orders this book ever added, from 1 (a backtest lists orders by it). */
  readonly seq: number;
  status: OrderStatus;
  venueOrderId: string;
  /** Lots filled so far. */
  filledQty: number;
  /** Why the venue or risk refused it, if it did. */
  reason: string;
  updatedAt: number;
  /**
   * Ids of the fills applied to it (see hasFillId): the first one apart, the others in a set made
   * at the second fill. Most orders fill once, so the common case allocates nothing; an order filled in thousands of parts still checks in O(1).
   */
  firstFillId: string;
  laterFillIds: Set<string> | undefined;
  /**
   * True when the ids above are every fill applied to it: it was added in this process (or replayed
   * from the journal). False for an order restored from a checkpoint, which keeps no fill ids: a
   * repeat of one of its forgotten fills is then told by time (see FinishedRetention).
   */
  fillIdsKept: boolean;
}

/** True when the fill `fillId` was applied to `order`: a report repeating it is a duplicate. */
export function hasFillId(order: ManagedOrder, fillId: string): boolean {
  return order.firstFillId === fillId || order.laterFillIds?.has(fillId) === true;
}

/** Records that the fill `fillId` was applied to `order`. */
export function addFillId(order: ManagedOrder, fillId: string): void {
  if (order.firstFillId === "") order.firstFillId = fillId;
  else (order.laterFillIds ??= new Set()).add(fillId);
}

/** Orders by client order id. */
export class OrderManager {
  // Open orders apart from the rest: reports and risk touch the few open orders; done ones are
  // found through #all, whose index is built only when an id that is not open is looked up (a late
  // fill, an API lookup, a duplicate check): a backtest never pays for it.
  readonly #open = new OpenOrders<string, ManagedOrder>();
  readonly #openBySymbol = new Map<string, number>();
  /** Every order held, in the order added. */
  readonly #all = new LookupLog<ManagedOrder>((o) => o.request.clientOrderId);
  #added = 0;

  /**
   * Registers a new order as pending_new; throws on a reused client order id. `minted`: the id
   * was just minted by this process's ClientOrderIds (unique by construction), so the lookup
   * among every done order, a cache miss in a long backtest, is skipped.
   */
  add(request: OrderRequest, now: number, minted = false): ManagedOrder {
    const id = request.clientOrderId;
    if (this.#open.has(id) || (!minted && this.#all.get(id) !== undefined)) {
      throw new RangeError(`Cannot add order: client order id '${id}' is already used`);
    }
    const order: ManagedOrder = {
      request,
      seq: this.#added + 1,
      status: "pending_new",
      venueOrderId: "",
      filledQty: 0,
      reason: "",
      updatedAt: now,
      firstFillId: "",
      laterFillIds: undefined,
      fillIdsKept: true,
    };
    this.#open.add(id, order);
    this.#all.push(order);
    this.#added++;
    const symbol = request.symbol;
    this.#openBySymbol.set(symbol, (this.#openBySymbol.get(symbol) ?? 0) + 1);
    return order;
  }

  /** Applies `event` through the state machine (throws IllegalTransition on an impossible one). */
  apply(
    clientOrderId: string,
    event: OrderEvent,
    now: number,
    extra: { venueOrderId?: string; filledQty?: number; reason?: string } = {},
  ): ManagedOrder {
    const order = this.get(clientOrderId);
    if (order === undefined) throw new RangeError(`Unknown order '${clientOrderId}'`);
    return this.applyTo(order, event, now, extra);
  }

  /** apply() for an order already looked up (one of this manager's). */
  applyTo(
    order: ManagedOrder,
    event: OrderEvent,
    now: number,
    extra: { venueOrderId?: string; filledQty?: number; reason?: string },
  ): ManagedOrder {
    const wasOpen = !isTerminal(order.status);
    order.status = nextStatus(order.status, event, order.request.clientOrderId);
    if (extra.venueOrderId) order.venueOrderId = extra.venueOrderId;
    if (extra.filledQty !== undefined) order.filledQty = extra.filledQty;
    if (extra.reason) order.reason = extra.reason;
    order.updatedAt = now;
    // Terminal statuses never reopen (the table has no way back), so an order moves at most once.
    if (wasOpen && isTerminal(order.status)) {
      const id = order.request.clientOrderId, symbol = order.request.symbol;
      this.#open.delete(id);
      this.#openBySymbol.set(symbol, this.#openBySymbol.get(symbol)! - 1);
    }
    return order;
  }

  /** The order with `clientOrderId`, if known. */
  get(clientOrderId: string): ManagedOrder | undefined {
    return this.#open.get(clientOrderId) ?? this.#all.get(clientOrderId);
  }

  /** Open (non-terminal) orders, optionally of one symbol, oldest first. */
  open(symbol?: string): ManagedOrder[] {
    // A symbol with nothing open (most closes ask for one) costs no copy of the others.
    if (symbol !== undefined && this.openCount(symbol) === 0) return [];
    const all = this.#open.values();
    return symbol === undefined ? all : all.filter((o) => o.request.symbol === symbol);
  }

  /** Number of open orders of every symbol. */
  openCountAll(): number {
    return this.#open.size;
  }

  /** Number of open orders of `symbol` (risk's max-open-orders input; no allocation). */
  openCount(symbol: string): number {
    return this.#openBySymbol.get(symbol) ?? 0;
  }

  /** Every order, newest first, filtered. */
  list(filter: { status?: OrderStatus; symbol?: string; limit?: number } = {}): ManagedOrder[] {
    const out: ManagedOrder[] = [];
    const all = this.#all.items;
    for (let i = all.length - 1; i >= 0 && out.length < (filter.limit ?? Infinity); i--) {
      const o = all[i]!;
      if (filter.status !== undefined && o.status !== filter.status) continue;
      if (filter.symbol !== undefined && o.request.symbol !== filter.symbol) continue;
      out.push(o);
    }
    return out;
  }

  /** Orders held (open ones and the finished ones not forgotten by trimFinished). */
  get size(): number {
    return this.#all.size;
  }

  /** Orders held, oldest first (what a journal checkpoint keeps). */
  held(): readonly ManagedOrder[] {
    return this.#all.items;
  }

  /**
   * Puts back a checkpoint's orders (held() then, each as it was: status, fills, venue id) into an
   * empty manager; `added` is how many orders had ever been added.
   */
  restore(orders: readonly ManagedOrder[], added: number): void {
    if (this.#all.size > 0) throw new RangeError("Cannot restore orders: the book is not empty");
    for (let i = 0; i < orders.length; i++) {
      // A checkpoint written before orders had a seq: numbered in its (added) order. Its fill ids
      // are rebuilt from the held fills only: not all of them.
      const o = orders[i]!;
      const order = { ...o, seq: o.seq > 0 ? o.seq : i + 1, fillIdsKept: false };
      this.#all.push(order);
      if (isTerminal(order.status)) continue;
      const symbol = order.request.symbol;
      this.#open.add(order.request.clientOrderId, order);
      this.#openBySymbol.set(symbol, (this.#openBySymbol.get(symbol) ?? 0) + 1);
    }
    this.#added = added;
  }

  /** Orders ever added, forgotten ones included. */
  get added(): number {
    return this.#added;
  }

  /**
   * Forgets the oldest finished orders beyond the newest `keep` finished ones; open orders are
   * always kept, however old. Returns the orders forgotten.
   */
  trimFinished(keep: number): ManagedOrder[] {
    let excess = this.#all.size - this.#open.size - keep;
    if (excess <= 0) return [];
    return this.#all.retain((o) => !(isTerminal(o.status) && excess-- > 0));
  }
}

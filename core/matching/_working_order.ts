/**
 * The matching engine's mutable record of one accepted order (private to core/matching), and the
 * small rules that read it: what price bounds it, whether it rests, which of two goes first.
 */
import type { Instrument } from "../domain/instrument.ts";
import { type Cash, notional } from "../domain/money.ts";
import type { OrderRequest, OrderStatus } from "../domain/order.ts";
import type { FillEvent, MatchEvent, OrderSnapshot } from "./match_event.ts";
import type { Liquidity } from "./fee_model.ts";
import { isOpenStatus, nextStatus } from "./order_transitions.ts";

/** One accepted order as the engine mutates it; consumers only ever see snapshots. */
export interface WorkingOrder {
  readonly req: OrderRequest;
  readonly inst: Instrument;
  readonly venueOrderId: string;
  /** Acceptance sequence: the time half of price-time priority. */
  readonly seq: number;
  status: OrderStatus;
  filledQty: number;
  filledNotional: Cash;
  fees: Cash;
  triggered: boolean;
  /** Fills so far; numbers the fill ids. */
  fillCount: number;
  updatedAt: number;
}

/** A fresh record for an order accepted at `now` (status set by the caller's transition). */
export function newWorkingOrder(
  req: OrderRequest,
  inst: Instrument,
  venueOrderId: string,
  seq: number,
  now: number,
): WorkingOrder {
  return {
    req,
    inst,
    venueOrderId,
    seq,
    status: "pending_new",
    filledQty: 0,
    filledNotional: 0n,
    fees: 0n,
    triggered: false,
    fillCount: 0,
    updatedAt: now,
  };
}

/** An immutable copy of `w` for an event. */
export function snapshotOf(w: WorkingOrder): OrderSnapshot {
  return {
    request: w.req,
    venueOrderId: w.venueOrderId,
    status: w.status,
    filledQty: w.filledQty,
    leavesQty: leavesOf(w),
    filledNotional: w.filledNotional,
    fees: w.fees,
    triggered: w.triggered,
    updatedAt: w.updatedAt,
  };
}

/** The event of a request rejected at submit: it never got a venue id or a fill. */
export function rejectedEvent(req: OrderRequest, reason: string, now: number): MatchEvent {
  const order: OrderSnapshot = {
    request: req,
    venueOrderId: "",
    status: "rejected",
    filledQty: 0,
    leavesQty: 0,
    filledNotional: 0n,
    fees: 0n,
    triggered: false,
    updatedAt: now,
  };
  return { type: "rejected", time: now, clientOrderId: req.clientOrderId, reason, order };
}

/** The event of a cancel or replace the engine could not do; `w` is the order named, if known. */
export function refusedEvent(
  type: "cancel_rejected" | "replace_rejected",
  clientOrderId: string,
  reason: string,
  w: WorkingOrder | undefined,
  now: number,
): MatchEvent {
  return { type, time: now, clientOrderId, reason, order: w && snapshotOf(w) };
}

/**
 * Books one execution of `lots` at `price` on `w` (status moves to partially_filled or filled)
 * and returns its event; the fill id is `${venueOrderId}-${n}` for the n-th fill of the order.
 */
export function applyFill(
  w: WorkingOrder,
  lots: number,
  price: number,
  liquidity: Liquidity,
  fee: Cash,
  now: number,
): FillEvent {
  w.fillCount++;
  w.filledQty += lots;
  w.filledNotional += notional(w.inst, price, lots);
  w.fees += fee;
  w.updatedAt = now;
  w.status = nextStatus(w.status, w.filledQty === w.req.qty ? "fill" : "partial_fill");
  const fill = {
    fillId: `${w.venueOrderId}-${w.fillCount}`,
    clientOrderId: w.req.clientOrderId,
    venueOrderId: w.venueOrderId,
    symbol: w.req.symbol,
    side: w.req.side,
    qty: lots,
    price,
    fee,
    liquidity,
    venueTime: now,
    recvTime: now,
  };
  return {
    type: "fill",
    time: now,
    fill,
    status: w.status,
    cumQty: w.filledQty,
    order: snapshotOf(w),
  };
}

/** Lots still working; 0 once the order is done. */
export function leavesOf(w: WorkingOrder): number {
  return isOpenStatus(w.status) ? w.req.qty - w.filledQty : 0;
}

/**
 * The worst price `w` may trade at when it takes liquidity: its limit, or no bound (±Infinity) for
 * a market order and a triggered stop, which behaves as one.
 */
export function boundOf(w: WorkingOrder): number {
  const t = w.req.type;
  if (t === "limit" || t === "stop_limit") return w.req.limitPrice;
  return w.req.side === "buy" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/** True for an order resting at a limit: a limit order, or a stop_limit once triggered. */
export function isRestingLimit(w: WorkingOrder): boolean {
  return w.req.type === "limit" || (w.req.type === "stop_limit" && w.triggered);
}

/** True for a stop or stop_limit still waiting for its trigger. */
export function isPendingStop(w: WorkingOrder): boolean {
  return (w.req.type === "stop" || w.req.type === "stop_limit") && !w.triggered;
}

/** Price-time priority of resting limits: better limit first (higher buy, lower sell), then older. */
export function byLimitPriority(a: WorkingOrder, b: WorkingOrder): number {
  return byPrice(a, b, a.req.limitPrice, b.req.limitPrice);
}

/**
 * Trigger order of stops hit by one trade: the stop the price reached first (lower buy stop,
 * higher sell stop), then older.
 */
export function byStopPriority(a: WorkingOrder, b: WorkingOrder): number {
  return byPrice(a, b, -a.req.stopPrice, -b.req.stopPrice);
}

// Groups buys before sells (each side is matched against its own liquidity), then sorts by price
// with the higher key first for buys and the lower first for sells, then by acceptance.
function byPrice(a: WorkingOrder, b: WorkingOrder, pa: number, pb: number): number {
  if (a.req.side !== b.req.side) return a.req.side === "buy" ? -1 : 1;
  if (pa !== pb) return (a.req.side === "buy" ? pa > pb : pa < pb) ? -1 : 1;
  return a.seq - b.seq;
}

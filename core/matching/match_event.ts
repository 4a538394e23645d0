/**
 * What the matching engine reports. Every event carries the engine time it happened at (epoch µs)
 * and, where an order exists, a snapshot of that order after the event, so a consumer never has to
 * ask the engine again to learn the order's state.
 */
import type { Cash } from "../domain/money.ts";
import type { Fill, OrderRequest, OrderStatus } from "../domain/order.ts";

/** An immutable view of one order as the engine holds it. */
export interface OrderSnapshot {
  readonly request: OrderRequest;
  /** `SIM-<n>` once accepted; "" for an order rejected at submit. */
  readonly venueOrderId: string;
  readonly status: OrderStatus;
  /** Lots filled so far. */
  readonly filledQty: number;
  /** Lots still working; 0 once the order is done (filled, canceled, expired, replaced). */
  readonly leavesQty: number;
  /** Exact Σ price × qty of the fills (average price = filledNotional / filledQty). */
  readonly filledNotional: Cash;
  /** Σ fees of the fills. */
  readonly fees: Cash;
  /** Stops: true once a trade went through the stop price; always false for other types. */
  readonly triggered: boolean;
  /** Engine time of the last change, epoch µs. */
  readonly updatedAt: number;
}

/** The order was accepted (status new). */
export interface AcceptedEvent {
  readonly type: "accepted";
  readonly time: number;
  readonly order: OrderSnapshot;
}

/** The order was refused at submit; it was never working. */
export interface RejectedEvent {
  readonly type: "rejected";
  readonly time: number;
  readonly clientOrderId: string;
  readonly reason: string;
  readonly order: OrderSnapshot;
}

/** One execution against the order. */
export interface FillEvent {
  readonly type: "fill";
  readonly time: number;
  readonly fill: Fill;
  /** Status after this fill: partially_filled or filled. */
  readonly status: OrderStatus;
  /** Cumulative lots filled after this fill. */
  readonly cumQty: number;
  readonly order: OrderSnapshot;
}

/** The order stopped working before it filled completely (on request, ioc/fok, or no liquidity). */
export interface CanceledEvent {
  readonly type: "canceled";
  readonly time: number;
  readonly reason: string;
  readonly order: OrderSnapshot;
}

/** A day order reached the end of its session. */
export interface ExpiredEvent {
  readonly type: "expired";
  readonly time: number;
  readonly order: OrderSnapshot;
}

/** The order was replaced by the order `replacedBy` (whose own accepted event follows). */
export interface ReplacedEvent {
  readonly type: "replaced";
  readonly time: number;
  readonly replacedBy: string;
  readonly order: OrderSnapshot;
}

/** A cancel request could not be done; the order (if known) is unchanged. */
export interface CancelRejectedEvent {
  readonly type: "cancel_rejected";
  readonly time: number;
  readonly clientOrderId: string;
  readonly reason: string;
  readonly order: OrderSnapshot | undefined;
}

/** A replace request could not be done; the old order (if known) is unchanged. */
export interface ReplaceRejectedEvent {
  readonly type: "replace_rejected";
  readonly time: number;
  readonly clientOrderId: string;
  readonly reason: string;
  readonly order: OrderSnapshot | undefined;
}

/** Everything the matching engine reports, discriminated by `type`. */
export type MatchEvent =
  | AcceptedEvent
  | RejectedEvent
  | FillEvent
  | CanceledEvent
  | ExpiredEvent
  | ReplacedEvent
  | CancelRejectedEvent
  | ReplaceRejectedEvent;

/**
 * The order state machine as a transition table keyed `${status}:${event}`. Anything not in the
 * table is an impossible transition and throws: a venue report that contradicts our state is a
 * bug or a missed message, never something to paper over.
 */
import type { OrderStatus } from "../domain/order.ts";
import { nestTransitions } from "../domain/transition_table.ts";

/** What can happen to an order. */
export type OrderEvent =
  | "accepted"
  | "partial_fill"
  | "fill"
  | "canceled"
  | "rejected"
  | "expired"
  | "replaced";

const TABLE: Readonly<Record<string, OrderStatus>> = {
  "pending_new:accepted": "new",
  "pending_new:rejected": "rejected",
  // pending_new → (partially_)filled: the fill report overtook the acknowledgement
  "pending_new:partial_fill": "partially_filled",
  "pending_new:fill": "filled",
  // pending_new → canceled/expired: an IOC with no liquidity, or a day order sent after the close
  "pending_new:canceled": "canceled",
  "pending_new:expired": "expired",
  "new:partial_fill": "partially_filled",
  "new:fill": "filled",
  "new:canceled": "canceled",
  "new:expired": "expired",
  "new:replaced": "replaced",
  // new → rejected: some venues reject after acknowledging (e.g. a failed margin check)
  "new:rejected": "rejected",
  "partially_filled:partial_fill": "partially_filled",
  "partially_filled:fill": "filled",
  "partially_filled:canceled": "canceled",
  "partially_filled:expired": "expired",
  "partially_filled:replaced": "replaced",
  // canceled → filled: the fill raced the cancel; the venue executed before it saw the cancel
  "canceled:fill": "filled",
  // canceled + partial fill: same race, the remainder stays canceled
  "canceled:partial_fill": "canceled",
  // replaced + fill: the old order filled before the replace took effect
  "replaced:partial_fill": "replaced",
  "replaced:fill": "replaced",
};

// The table by status then event: a lookup with two interned keys, no string built per report.
const BY_STATUS = nestTransitions<OrderEvent>(TABLE);

/** Thrown for a transition the table does not allow. */
export class IllegalTransition extends Error {
  /** Names the status and the event. */
  constructor(
    readonly status: OrderStatus,
    readonly event: OrderEvent,
    readonly clientOrderId: string,
  ) {
    super(`Order ${clientOrderId}: '${event}' is not possible in status '${status}'`);
    this.name = "IllegalTransition";
  }
}

/**
 * Returns the status after `event`, or throws IllegalTransition.
 * @example
 * ```ts
 * import { nextStatus } from "./order_state.ts";
 * nextStatus("new", "partial_fill", "drt-1"); // "partially_filled"
 * ```
 */
export function nextStatus(
  status: OrderStatus,
  event: OrderEvent,
  clientOrderId: string,
): OrderStatus {
  const next = BY_STATUS[status]?.[event];
  if (next === undefined) throw new IllegalTransition(status, event, clientOrderId);
  return next;
}

/** True for statuses after which nothing but a late fill can happen. */
export function isTerminal(status: OrderStatus): boolean {
  return status === "filled" || status === "canceled" || status === "rejected" ||
    status === "expired" ||
    status === "replaced";
}

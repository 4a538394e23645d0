/**
 * The venue-side order state machine of the matching engine, as a transition table. The engine
 * asks `canTransition` before a user request (cancel, replace) so an impossible one becomes a
 * reject event; internal moves go through `nextStatus`, which throws, because an illegal internal
 * move is a broken invariant.
 */
import type { OrderStatus } from "../domain/order.ts";
import { nestTransitions } from "../domain/transition_table.ts";

/** What can happen to an order inside the engine. */
export type OrderAction =
  | "accept"
  | "reject"
  | "partial_fill"
  | "fill"
  | "cancel"
  | "expire"
  | "replace";

/** Legal `${status}:${action}` moves and where they lead; anything absent is illegal. */
export const ORDER_TRANSITIONS: Readonly<Record<string, OrderStatus>> = {
  "pending_new:accept": "new",
  "pending_new:reject": "rejected",
  "new:partial_fill": "partially_filled",
  "new:fill": "filled",
  "new:cancel": "canceled",
  "new:expire": "expired",
  "new:replace": "replaced",
  "partially_filled:partial_fill": "partially_filled",
  "partially_filled:fill": "filled",
  // Canceling, expiring or replacing a partly filled order keeps its fills; only the rest stops.
  "partially_filled:cancel": "canceled",
  "partially_filled:expire": "expired",
  "partially_filled:replace": "replaced",
};

// By status then action: two interned keys per lookup, no string built per order.
const BY_STATUS = nestTransitions<OrderAction>(ORDER_TRANSITIONS);

/** True when `action` is legal for an order in `status`. */
export function canTransition(status: OrderStatus, action: OrderAction): boolean {
  return BY_STATUS[status]?.[action] !== undefined;
}

/** The status after `action`; throws when the move is illegal (an engine bug, not user input). */
export function nextStatus(status: OrderStatus, action: OrderAction): OrderStatus {
  const next = BY_STATUS[status]?.[action];
  if (next === undefined) throw new Error(`Illegal order transition: ${action} from ${status}`);
  return next;
}

/** True while an order can still trade (accepted and not done). */
export function isOpenStatus(status: OrderStatus): boolean {
  return status === "new" || status === "partially_filled";
}

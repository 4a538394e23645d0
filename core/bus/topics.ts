/**
 * Every bus topic, in one place. Names follow the original system (`market.trade`, …); topics of
 * the trading loop are reserved here so subscribers can already name them.
 */
import type { Bar, BookUpdate, Heartbeat, Quote, Trade } from "../domain/market_events.ts";
import type { Fill, OrderRequest, OrderStatus, Signal } from "../domain/order.ts";

/** All topics in a fixed order; a topic's index is its id on the bus. */
export const TOPICS = [
  "market.trade",
  "market.quote",
  "market.bar",
  "market.book",
  "system.heartbeat",
  "signal.generated",
  "risk.approved",
  "risk.rejected",
  "order.submitted",
  "order.accepted",
  "order.partially_filled",
  "order.filled",
  "order.canceled",
  "order.rejected",
  "system.reconcile",
] as const;

/** A bus topic name. */
export type Topic = typeof TOPICS[number];

/** A risk decision on an order built from a signal (or a manual order, which has no signal). */
export interface RiskDecision {
  readonly signal?: Signal;
  readonly request?: OrderRequest;
  /** Reason code for rejections (see core/risk/reasons.ts, plus slippage and readiness codes). */
  readonly reason?: string;
}

/** An order's state after a venue report. */
export interface OrderUpdate {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly status: OrderStatus;
  /** Lots filled so far. */
  readonly filledQty: number;
  readonly fill?: Fill;
  readonly reason?: string;
}

/** One difference found when reconciling local state with the venue at start-up. */
export interface ReconcileDifference {
  readonly kind:
    | "missed_fill"
    | "order_not_at_venue"
    | "unknown_venue_order"
    | "position_mismatch"
    | "status_changed"
    | "venue_unreachable";
  readonly symbol: string;
  readonly detail: string;
}

/** What each topic carries. */
export interface TopicPayloads {
  "market.trade": Trade;
  "market.quote": Quote;
  "market.bar": Bar;
  "market.book": BookUpdate;
  "system.heartbeat": Heartbeat;
  "signal.generated": Signal;
  "risk.approved": RiskDecision;
  "risk.rejected": RiskDecision;
  "order.submitted": OrderRequest;
  "order.accepted": OrderUpdate;
  "order.partially_filled": OrderUpdate;
  "order.filled": OrderUpdate;
  /** Canceled, expired or replaced: `status` tells which. */
  "order.canceled": OrderUpdate;
  "order.rejected": OrderUpdate;
  "system.reconcile": ReconcileDifference;
}

/** Topics matching `pattern`: an exact topic, a prefix ending in "." (e.g. `market.`), or `*`. */
export function matchTopics(pattern: string): Topic[] {
  if (pattern === "*" || pattern === "") return [...TOPICS];
  if (pattern.endsWith(".")) return TOPICS.filter((t) => t.startsWith(pattern));
  return TOPICS.filter((t) => t === pattern);
}

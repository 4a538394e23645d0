/**
 * Every bus topic, in one place. Names follow the original system (`market.trade`, …); topics of
 * the trading loop are reserved here so subscribers can already name them.
 */
import type { Bar, BookUpdate, Heartbeat, Quote, Trade } from "../domain/market_events.ts";

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
] as const;

/** A bus topic name. */
export type Topic = typeof TOPICS[number];

/** What each topic carries. Trading topics get their payload types with the trading loop. */
export interface TopicPayloads {
  "market.trade": Trade;
  "market.quote": Quote;
  "market.bar": Bar;
  "market.book": BookUpdate;
  "system.heartbeat": Heartbeat;
  "signal.generated": unknown;
  "risk.approved": unknown;
  "risk.rejected": unknown;
  "order.submitted": unknown;
  "order.accepted": unknown;
  "order.partially_filled": unknown;
  "order.filled": unknown;
  "order.canceled": unknown;
  "order.rejected": unknown;
}

/** Topics matching `pattern`: an exact topic, a prefix ending in "." (e.g. `market.`), or `*`. */
export function matchTopics(pattern: string): Topic[] {
  if (pattern === "*" || pattern === "") return [...TOPICS];
  if (pattern.endsWith(".")) return TOPICS.filter((t) => t.startsWith(pattern));
  return TOPICS.filter((t) => t === pattern);
}

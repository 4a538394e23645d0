/**
 * Order state machines are written as flat `${status}:${event}` tables, which read well; lookups
 * go through the nested form built here, so the hot path never builds (and hashes) a key string.
 */
import type { OrderStatus } from "./order.ts";

/** A `${status}:${event}` table as status → event → next status. */
export type NestedTransitions<E extends string> = Readonly<
  Partial<Record<OrderStatus, Readonly<Partial<Record<E, OrderStatus>>>>>
>;

/** Nests a flat `${status}:${event}` transition table. */
export function nestTransitions<E extends string>(
  flat: Readonly<Record<string, OrderStatus>>,
): NestedTransitions<E> {
  // No prototype: a status or event named like an Object method must miss, not find a function.
  const out: Record<string, Record<string, OrderStatus>> = Object.create(null);
  for (const [key, next] of Object.entries(flat)) {
    const at = key.indexOf(":");
    (out[key.slice(0, at)] ??= Object.create(null))[key.slice(at + 1)] = next;
  }
  return out as NestedTransitions<E>;
}

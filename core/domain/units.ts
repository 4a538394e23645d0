/**
 * Branded integer units. A brand costs nothing at run time; it stops a price being passed where a
 * quantity is expected. Untrusted input goes through the checked constructors; hot paths that
 * already hold validated integers use the `unchecked` casts.
 */

/** A price in integer ticks of 10^-priceDecimals of the quote currency. */
export type PriceTicks = number & { readonly __brand: "PriceTicks" };
/** A quantity in integer lots of 10^-qtyDecimals of the base asset. */
export type QtyLots = number & { readonly __brand: "QtyLots" };
/** A point in time as integer microseconds since the Unix epoch. */
export type Micros = number & { readonly __brand: "Micros" };

/** Returns `n` as PriceTicks after checking it is a positive safe integer. */
export function priceTicks(n: number, field = "price"): PriceTicks {
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`'${field}' must be a positive integer number of ticks, got ${n}`);
  }
  return n as PriceTicks;
}

/** Returns `n` as QtyLots after checking it is a non-negative safe integer. */
export function qtyLots(n: number, field = "quantity"): QtyLots {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`'${field}' must be a non-negative integer number of lots, got ${n}`);
  }
  return n as QtyLots;
}

/** Returns `n` as Micros after checking it is a non-negative safe integer. */
export function micros(n: number, field = "time"): Micros {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`'${field}' must be non-negative integer microseconds, got ${n}`);
  }
  return n as Micros;
}

/** Hot-path cast of an already validated integer to PriceTicks. */
export const uncheckedPrice = (n: number): PriceTicks => n as PriceTicks;
/** Hot-path cast of an already validated integer to QtyLots. */
export const uncheckedQty = (n: number): QtyLots => n as QtyLots;
/** Hot-path cast of an already validated integer to Micros. */
export const uncheckedMicros = (n: number): Micros => n as Micros;

/** Microseconds per millisecond, second, minute. */
export const MICROS_PER_MS = 1_000;
/** Microseconds in one second. */
export const MICROS_PER_SECOND = 1_000_000;

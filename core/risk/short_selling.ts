/** Blocks new or larger shorts where shorting is not allowed. */
import { PASS, REASON } from "./reasons.ts";

const REJECT = REASON.short_selling;

/**
 * When `allowed` is false, rejects an order that would open a short or make one larger: `after`
 * (signed lots, working sells counted as filled) is below zero and below `before`. Buys never
 * fail, so an existing short (e.g. from a corporate action) can always be covered.
 */
export function checkShortSelling(before: number, after: number, allowed: boolean): number {
  return !allowed && after < 0 && after < before ? REJECT : PASS;
}

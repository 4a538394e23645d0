/** Fat-finger guard on one order's notional. */
import { type CashPair, cmpNotional } from "./_exact.ts";
import { PASS, REASON } from "./reasons.ts";

const REJECT = REASON.max_order_value;

/**
 * Rejects an order whose notional `qty × price × scale` exceeds `limit` (exact Cash). Like
 * max_quantity it applies to reducing orders too: a large exit is sent in slices.
 */
export function checkMaxOrderValue(
  price: number,
  qty: number,
  scale: CashPair,
  limit: CashPair,
): number {
  return cmpNotional(price, qty, scale, limit) > 0 ? REJECT : PASS;
}

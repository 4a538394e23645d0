/** Keeps limit prices near the market. */
import { cmpProducts } from "./_exact.ts";
import { PASS, REASON } from "./reasons.ts";

const REJECT = REASON.price_collar;
const NO_DATA = REASON.no_market_data;

/**
 * Rejects a limit price more than `bps` basis points from `mid` (both in ticks): passes when
 * `|limitPrice − mid| × 10,000 ≤ bps × mid`, exactly. Orders without a limit price (0) pass; with
 * no mid (0) the collar cannot be judged, so it fails closed with no_market_data.
 */
export function checkPriceCollar(limitPrice: number, mid: number, bps: number): number {
  if (limitPrice === 0) return PASS;
  if (mid <= 0) return NO_DATA;
  const diff = limitPrice > mid ? limitPrice - mid : mid - limitPrice;
  return cmpProducts(diff, 10_000, bps, mid) > 0 ? REJECT : PASS;
}

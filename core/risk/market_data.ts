/** Refuses orders on an instrument with no mark price. */
import { PASS, REASON } from "./reasons.ts";

const REJECT = REASON.no_market_data;

/**
 * Rejects when `mid` is 0 (no quote yet). Fails closed for every order, limit and reducing ones
 * included: without a mark neither the market-order value nor the price collar can be judged, and
 * a strategy trading on a book it has not seen is a bug.
 */
export function checkMarketData(mid: number): number {
  return mid > 0 ? PASS : REJECT;
}

/** Keeps new orders within the account's buying power. */
import { type CashPair, cmpNotionalPlus } from "./_exact.ts";
import { PASS, REASON } from "./reasons.ts";
import { reducesPosition } from "./reduces_position.ts";

const REJECT = REASON.buying_power;

/**
 * Rejects when the order's notional plus `openExposure` exceeds `buyingPower`. Both sides consume
 * buying power (a new short needs margin); an order that only shrinks the position passes because
 * it releases cash or margin instead of using it. The live amounts come as CashPairs (see
 * LiveCashPair) so the common case compares doubles without converting a bigint per call.
 */
export function checkBuyingPower(
  price: number,
  qty: number,
  before: number,
  after: number,
  scale: CashPair,
  openExposure: CashPair,
  buyingPower: CashPair,
): number {
  if (reducesPosition(before, after)) return PASS;
  return cmpNotionalPlus(price, qty, scale, openExposure, buyingPower) > 0 ? REJECT : PASS;
}

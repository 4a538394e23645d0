/** Caps the value of the position an order could leave behind. */
import { type CashPair, cmpNotional } from "./_exact.ts";
import { PASS, REASON } from "./reasons.ts";
import { reducesPosition } from "./reduces_position.ts";

const REJECT = REASON.max_position_value;

/**
 * Rejects when `|after| × price` exceeds `limit` (exact Cash). `before`/`after` are signed lots
 * before and after this order, counting working orders on its side as filled. An order that only
 * shrinks the position passes even above the limit (e.g. after the limit was lowered or the price
 * rose): a trader must always be able to get flat.
 */
export function checkMaxPositionValue(
  price: number,
  before: number,
  after: number,
  scale: CashPair,
  limit: CashPair,
): number {
  if (reducesPosition(before, after)) return PASS;
  return cmpNotional(price, after < 0 ? -after : after, scale, limit) > 0 ? REJECT : PASS;
}

/** Fat-finger guard on order size. */
import { PASS, REASON } from "./reasons.ts";

const REJECT = REASON.max_quantity;

/**
 * Rejects an order for more than `maxQty` lots. It applies to every order, reducing ones included:
 * a flattening order larger than the limit is split, which is cheaper than one fat-fingered order.
 */
export function checkMaxQuantity(qty: number, maxQty: number): number {
  return qty > maxQty ? REJECT : PASS;
}

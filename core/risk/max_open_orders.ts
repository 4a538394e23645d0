/** Caps how many orders may work at once on one instrument. */
import { PASS, REASON } from "./reasons.ts";

const REJECT = REASON.max_open_orders;

/**
 * Rejects a new order when `openCount` already equals `maxOpen` (the order would make one too
 * many). It applies to reducing orders too: the fix for a full book is to cancel, not to add.
 */
export function checkMaxOpenOrders(openCount: number, maxOpen: number): number {
  return openCount >= maxOpen ? REJECT : PASS;
}

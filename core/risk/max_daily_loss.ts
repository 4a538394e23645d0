/** Stops adding risk once the session's loss passes its limit. */
import type { Cash } from "../domain/money.ts";
import { PASS, REASON } from "./reasons.ts";
import { reducesPosition } from "./reduces_position.ts";

const REJECT = REASON.max_daily_loss;

/**
 * Rejects an order that adds exposure while `dailyPnl` is below `lossFloor` (= −max_daily_loss,
 * precomputed because negating a bigint allocates). A loss exactly at the limit still trades.
 * Reducing orders always pass so the book can be cut after the breach.
 */
export function checkMaxDailyLoss(
  dailyPnl: Cash,
  lossFloor: Cash,
  before: number,
  after: number,
): number {
  if (dailyPnl >= lossFloor || reducesPosition(before, after)) return PASS;
  return REJECT;
}

/** Refuses orders outside the venue's trading hours. */
import type { RiskState } from "./risk_state.ts";
import { PASS, REASON } from "./reasons.ts";

const REJECT = REASON.trading_hours;

/**
 * Rejects when the venue clock says `symbol` is not trading at `now` (epoch µs). Reducing orders
 * are refused too: a closed venue would reject or queue them, and a queued exit fills at an
 * unknown open price.
 */
export function checkTradingHours(
  clock: Pick<RiskState, "isMarketOpen">,
  symbol: string,
  now: number,
): number {
  return clock.isMarketOpen(symbol, now) ? PASS : REJECT;
}

/**
 * What the risk checks read. The engine's portfolio and order cache implement it; the checks never
 * write to it. Per-instrument methods take the dense instrument index so the hot path does no
 * symbol lookups. Quantities are lots, prices ticks, money Cash, times epoch µs.
 */
import type { Cash } from "../domain/money.ts";

/** Read-only account and market state the pre-trade checks consult. */
export interface RiskState {
  /** Signed filled position in lots (short < 0). */
  positionQty(inst: number): number;
  /** Number of working (not yet final) orders on the instrument. */
  openOrderCount(inst: number): number;
  /** Lots still working on buy orders of the instrument (what could still fill). */
  openBuyQty(inst: number): number;
  /** Lots still working on sell orders of the instrument. */
  openSellQty(inst: number): number;
  /** Account-wide Cash reserved by working orders that add exposure (they consume buying power). */
  openOrderExposure(): Cash;
  /** Mark (mid) price in ticks, 0 when there is no market data yet. */
  markPrice(inst: number): number;
  /** Realized + unrealized P&L since the session started; a loss is negative. */
  dailyPnl(): Cash;
  /** Cash the account may commit to new orders before open orders are deducted. */
  buyingPower(): Cash;
  /** Whether the venue's clock says `symbol` trades at `now` (epoch µs). */
  isMarketOpen(symbol: string, now: number): boolean;
}

/**
 * Slippage protection, in integer math: a limit order more than `maxSlippageBps` from the current
 * mid is refused, and a market order is refused when the spread is wider than `maxSpreadBps` of
 * the mid (a market order into a wide or one-sided book is where slippage hurts most).
 */
import type { OrderType } from "../domain/order.ts";

/** Why an order failed slippage protection, or "" when it passes. */
export type SlippageVerdict = "" | "slippage" | "spread_too_wide" | "no_market_data";

/**
 * Checks an order against the book top. Prices in ticks; bps may have two decimals.
 * Uses 2·mid = bid + ask so every comparison stays in integers.
 */
export function checkSlippage(
  type: OrderType,
  limitPrice: number,
  bestBid: number,
  bestAsk: number,
  maxSlippageBps: number,
  maxSpreadBps: number,
): SlippageVerdict {
  if (bestBid <= 0 || bestAsk <= 0) return "no_market_data";
  const mid2 = bestBid + bestAsk;
  // bigint: crypto ticks (10^-6) times 10^6 overflow 2^53, and a wrong compare here costs money.
  // A stop and a trailing stop turn into market orders when they trigger.
  if (type === "market" || type === "stop" || type === "trailing_stop") {
    // spread / mid > s / 1e4  ⇔  2·spread · 1e6 > round(s·100) · 2·mid
    return BigInt(2 * (bestAsk - bestBid)) * 1_000_000n >
        BigInt(Math.round(maxSpreadBps * 100)) * BigInt(mid2)
      ? "spread_too_wide"
      : "";
  }
  // |limit − mid| / mid > b / 1e4  ⇔  |2·limit − 2·mid| · 1e6 > round(b·100) · 2·mid
  const diff = BigInt(Math.abs(2 * limitPrice - mid2));
  return diff * 1_000_000n > BigInt(Math.round(maxSlippageBps * 100)) * BigInt(mid2)
    ? "slippage"
    : "";
}

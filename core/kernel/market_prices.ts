/**
 * The prices the kernel trades against: the best bid and ask (from the book, or from the last
 * quote on venues without depth, such as Alpaca stocks or quote files) and the mark.
 */
import type { MarketEngine } from "../data/market_engine.ts";

/** Best bid of instrument `inst` in ticks: the book's, else the last quote's, else 0. */
export function bestBid(market: MarketEngine, inst: number): number {
  const b = market.books[inst]!.bestBid();
  return b > 0 ? b : market.quoteBid[inst]!;
}

/** Best ask of instrument `inst` in ticks: the book's, else the last quote's, else 0. */
export function bestAsk(market: MarketEngine, inst: number): number {
  const a = market.books[inst]!.bestAsk();
  return a > 0 ? a : market.quoteAsk[inst]!;
}

/** Mid of the best bid and ask in ticks (rounded); else the last trade; else 0. */
export function markPrice(market: MarketEngine, inst: number): number {
  const bid = bestBid(market, inst), ask = bestAsk(market, inst);
  if (bid > 0 && ask > 0) return Math.round((bid + ask) / 2);
  return market.lastTradePrice[inst]!;
}

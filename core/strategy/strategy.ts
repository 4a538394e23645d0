/**
 * The Strategy seam. A strategy reacts to market events and fills and emits signals through its
 * context; it never reads the wall clock, does I/O or touches the venue, so the same object runs
 * unchanged in live, sim and backtest.
 */
import type { Bar, Quote, Trade } from "../domain/market_events.ts";
import type { Fill, Signal } from "../domain/order.ts";
import type { Instrument } from "../domain/instrument.ts";

/** Read-only view of one L2 book (integer ticks and lots). */
export interface BookView {
  bestBid(): number;
  bestAsk(): number;
  bestBidSize(): number;
  bestAskSize(): number;
  /** Mid in ticks (may be a half tick); NaN unless both sides exist. */
  mid(): number;
  /** Price at depth i (0 = best) of side 0 bid / 1 ask, or undefined. */
  levelPrice(side: number, i: number): number | undefined;
  /** Size at depth i of side, 0 past the last level. */
  levelSize(side: number, i: number): number;
}

/** Read-only view of one position. */
export interface PositionView {
  /** Signed quantity in lots: > 0 long, < 0 short. */
  readonly qty: number;
  /** Average entry price in ticks (rounded), 0 when flat. */
  readonly avgPrice: number;
}

/** What a strategy may see and do. */
export interface StrategyContext {
  /** Current engine time, epoch µs (simulated in backtests). */
  now(): number;
  /** The instrument of `symbol`; throws for a symbol the engine does not trade. */
  instrument(symbol: string): Instrument;
  /** The live book of `symbol`. */
  book(symbol: string): BookView;
  /** The last `n` closed bars of `symbol` at `timeframe`, oldest first. */
  bars(symbol: string, timeframe: string, n: number): readonly Bar[];
  /** The current position in `symbol`: filled lots only. */
  position(symbol: string): PositionView;
  /**
   * Signed lots `symbol` will hold once the orders in flight finish: the filled position plus
   * working buys less working sells, and the signals waiting behind a close (a close waits for
   * the strategy's orders in flight, then flattens what they left). A fill counts only once
   * it is durable, so an entry sent on the last bar may not be in `position` yet; deciding on
   * this instead, a strategy neither skips a close nor repeats an entry.
   */
  expectedPosition(symbol: string): number;
  /** Hands a signal to risk; the outcome arrives as events (fills via onFill). */
  emit(signal: Signal): void;
}

/**
 * Closed bars a strategy needs before it can act (its indicators' warm-up). Before the strategy
 * starts trading, the live node loads that many of the venue's recent bars into the market
 * engine's history and the host feeds them to onBar, dropping any signal they cause; a backtest
 * has no bars before its data starts, so there it warms up on the data as before.
 */
export interface StrategyWarmup {
  readonly timeframe: string;
  readonly bars: number;
}

/** A trading strategy. Every hook is optional. */
export interface Strategy {
  /** Unique id, used as the order `source` and in reports. */
  readonly id: string;
  /** Symbols this strategy trades; it receives market events for these only. */
  readonly symbols: readonly string[];
  /** Bars to warm up on before trading (see StrategyWarmup); none when unset. */
  readonly warmup?: StrategyWarmup;
  onStart?(ctx: StrategyContext): void;
  onTrade?(ctx: StrategyContext, trade: Trade): void;
  onQuote?(ctx: StrategyContext, quote: Quote): void;
  onBar?(ctx: StrategyContext, bar: Bar): void;
  onFill?(ctx: StrategyContext, fill: Fill): void;
  /** Called every `timerMs` of engine time when the strategy sets it. */
  onTimer?(ctx: StrategyContext, now: number): void;
  readonly timerMs?: number;
}

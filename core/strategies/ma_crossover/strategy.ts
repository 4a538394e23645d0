/**
 * Moving-average crossover: long when the fast average of closes crosses above the slow one,
 * flat (or short, when allowed) when it crosses below. Acts on closed, non-empty bars of one
 * timeframe and only through its context.
 */
import { emitBarSignal } from "../_bar_signal.ts";
import { parseQty } from "../../domain/instrument.ts";
import type { Bar } from "../../domain/market_events.ts";
import type { Signal } from "../../domain/order.ts";
import { Ema, type PriceIndicator, Sma } from "../../indicators/mod.ts";
import type { Strategy, StrategyContext, StrategyWarmup } from "../../strategy/strategy.ts";
import {
  type MaCrossoverConfig,
  type MaCrossoverConfigInput,
  maCrossoverConfigSchema,
} from "./config.ts";

interface SymbolState {
  readonly fast: PriceIndicator;
  readonly slow: PriceIndicator;
  /** Entry size in lots. */
  readonly qty: number;
  /** Sign of fast − slow on the last bar where they differed; 0 until both are ready. */
  side: number;
}

/** The MA-crossover strategy; build it with `createMaCrossoverStrategy`. */
export class MaCrossoverStrategy implements Strategy {
  readonly id: string;
  readonly symbols: readonly string[];
  readonly config: MaCrossoverConfig;
  /** `slow` bars: the last of them makes both averages ready and sets the side a cross leaves. */
  readonly warmup: StrategyWarmup;
  readonly #state = new Map<string, SymbolState>();
  #last: SymbolState | undefined;
  #lastSymbol = "";

  /** A strategy over `symbols` with an already validated `config`. */
  constructor(id: string, symbols: readonly string[], config: MaCrossoverConfig) {
    this.id = id;
    this.symbols = [...symbols];
    this.config = config;
    this.warmup = { timeframe: config.timeframe, bars: config.slow };
  }

  /** Builds every symbol's indicators now, so a bad `qty` for an instrument fails at start. */
  onStart(ctx: StrategyContext): void {
    for (const s of this.symbols) this.#stateOf(ctx, s);
  }

  /** Updates both averages on a closed bar of the configured timeframe and acts on a cross. */
  onBar(ctx: StrategyContext, bar: Bar): void {
    // Empty bars repeat the last close; feeding them would drag the averages toward a price
    // nobody traded at and could fake a cross in a quiet market.
    if (bar.empty || bar.timeframe !== this.config.timeframe) return;
    // One state lookup per symbol change, not per bar: most runs trade one symbol.
    let st = this.#last;
    if (st === undefined || this.#lastSymbol !== bar.symbol) {
      st = this.#last = this.#stateOf(ctx, bar.symbol);
      this.#lastSymbol = bar.symbol;
    }
    const f = st.fast.update(bar.close);
    const s = st.slow.update(bar.close);
    if (!st.slow.isReady || !st.fast.isReady) return;
    const side = Math.sign(f - s);
    // Equal averages are not a cross: remember the last side they were apart on.
    if (side === 0 || side === st.side) return;
    const before = st.side;
    st.side = side;
    if (before === 0) return; // first ready bar: which side we start on is not a cross
    const pos = ctx.expectedPosition(bar.symbol);
    if (side > 0) {
      if (pos < 0) this.#emit(ctx, bar, "close", 0);
      if (pos <= 0) this.#emit(ctx, bar, "buy", st.qty);
    } else {
      if (pos > 0) this.#emit(ctx, bar, "close", 0);
      if (this.config.allow_short && pos >= 0) this.#emit(ctx, bar, "sell", st.qty);
    }
  }

  #stateOf(ctx: StrategyContext, symbol: string): SymbolState {
    let st = this.#state.get(symbol);
    if (st === undefined) {
      const c = this.config;
      const qty = parseQty(ctx.instrument(symbol), c.qty, "qty");
      const make = (n: number): PriceIndicator => c.kind === "ema" ? new Ema(n) : new Sma(n);
      st = { fast: make(c.fast), slow: make(c.slow), qty, side: 0 };
      this.#state.set(symbol, st);
    }
    return st;
  }

  #emit(ctx: StrategyContext, bar: Bar, action: Signal["action"], qty: number): void {
    emitBarSignal(ctx, this.id, this.config.order_type, bar, action, qty);
  }
}

/**
 * Validates `config` (defaults filled in; throws a ZodError naming the bad field) and builds an
 * MA-crossover strategy over `symbols`.
 * @example
 * ```ts
 * import { createMaCrossoverStrategy } from "./strategy.ts";
 * const s = createMaCrossoverStrategy("ma-1", ["AAPL"], { fast: 5, slow: 20, kind: "ema" });
 * s.config.qty; // "1"
 * ```
 */
export function createMaCrossoverStrategy(
  id: string,
  symbols: readonly string[],
  config: MaCrossoverConfigInput = {},
): MaCrossoverStrategy {
  return new MaCrossoverStrategy(id, symbols, maCrossoverConfigSchema.parse(config));
}

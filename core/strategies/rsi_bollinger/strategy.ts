/**
 * RSI + Bollinger Bands mean reversion: buy a close below the lower band while RSI is oversold,
 * exit at the middle band or when RSI turns overbought; the mirror-image short side only when
 * allowed. Acts on closed, non-empty bars of one timeframe and only through its context.
 */
import { emitBarSignal } from "../_bar_signal.ts";
import { parseQty } from "../../domain/instrument.ts";
import type { Bar } from "../../domain/market_events.ts";
import type { Signal } from "../../domain/order.ts";
import { BollingerBands, Rsi } from "../../indicators/mod.ts";
import type { Strategy, StrategyContext, StrategyWarmup } from "../../strategy/strategy.ts";
import {
  type RsiBollingerConfig,
  type RsiBollingerConfigInput,
  rsiBollingerConfigSchema,
} from "./config.ts";

interface SymbolState {
  readonly rsi: Rsi;
  readonly bands: BollingerBands;
  /** Entry size in lots. */
  readonly qty: number;
}

/** The RSI/Bollinger strategy; build it with `createRsiBollingerStrategy`. */
export class RsiBollingerStrategy implements Strategy {
  readonly id: string;
  readonly symbols: readonly string[];
  readonly config: RsiBollingerConfig;
  /** Enough bars for both indicators: RSI needs one more than its period (it reads changes). */
  readonly warmup: StrategyWarmup;
  readonly #state = new Map<string, SymbolState>();

  /** A strategy over `symbols` with an already validated `config`. */
  constructor(id: string, symbols: readonly string[], config: RsiBollingerConfig) {
    this.id = id;
    this.symbols = [...symbols];
    this.config = config;
    this.warmup = {
      timeframe: config.timeframe,
      bars: Math.max(config.rsi_period + 1, config.bb_period),
    };
  }

  /** Builds every symbol's indicators now, so a bad `qty` for an instrument fails at start. */
  onStart(ctx: StrategyContext): void {
    for (const s of this.symbols) this.#stateOf(ctx, s);
  }

  /** Updates RSI and bands on a closed bar of the configured timeframe, then exits or enters. */
  onBar(ctx: StrategyContext, bar: Bar): void {
    // Empty bars repeat the last close: they would shrink the bands and pull RSI toward its
    // flat value on intervals where nothing traded.
    if (bar.timeframe !== this.config.timeframe || bar.empty) return;
    const c = this.config;
    const st = this.#stateOf(ctx, bar.symbol);
    const rsi = st.rsi.update(bar.close);
    st.bands.update(bar.close);
    if (!st.rsi.isReady || !st.bands.isReady) return;
    const close = bar.close, bands = st.bands;
    const pos = ctx.expectedPosition(bar.symbol);
    // Exits are checked first and end the bar: re-entering on the bar that exited would flip
    // the position on one observation.
    if (pos > 0) {
      if (close > bands.value || rsi > c.overbought) this.#emit(ctx, bar, "close", 0);
      return;
    }
    if (pos < 0) {
      if (c.allow_short && (close < bands.value || rsi < c.oversold)) {
        this.#emit(ctx, bar, "close", 0);
      }
      return;
    }
    if (rsi < c.oversold && close < bands.lower) this.#emit(ctx, bar, "buy", st.qty);
    else if (c.allow_short && rsi > c.overbought && close > bands.upper) {
      this.#emit(ctx, bar, "sell", st.qty);
    }
  }

  #stateOf(ctx: StrategyContext, symbol: string): SymbolState {
    let st = this.#state.get(symbol);
    if (st === undefined) {
      const c = this.config;
      st = {
        rsi: new Rsi(c.rsi_period),
        bands: new BollingerBands(c.bb_period, c.bb_k),
        qty: parseQty(ctx.instrument(symbol), c.qty, "qty"),
      };
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
 * RSI/Bollinger strategy over `symbols`.
 * @example
 * ```ts
 * import { createRsiBollingerStrategy } from "./strategy.ts";
 * const s = createRsiBollingerStrategy("mr-1", ["AAPL"], { oversold: 25, overbought: 75 });
 * s.config.bb_period; // 20
 * ```
 */
export function createRsiBollingerStrategy(
  id: string,
  symbols: readonly string[],
  config: RsiBollingerConfigInput = {},
): RsiBollingerStrategy {
  return new RsiBollingerStrategy(id, symbols, rsiBollingerConfigSchema.parse(config));
}

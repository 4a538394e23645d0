/** Moving Average Convergence/Divergence: line, signal and histogram. */
import { checkPeriod } from "./_check_period.ts";
import { Ema } from "./ema.ts";
import type { PriceIndicator } from "./indicator.ts";

/**
 * MACD line = EMA(fast) − EMA(slow) of the input, signal = EMA(signal) of the line, histogram =
 * line − signal; every EMA is SMA-seeded (see Ema). All three outputs stay NaN until the signal
 * exists, after `slow + signal − 1` inputs, so a reader never sees a half-formed MACD.
 * @example
 * ```ts
 * import { Macd } from "./macd.ts";
 * const macd = new Macd(12, 26, 9);
 * for (let i = 0; i < 34; i++) macd.update(100 + i);
 * macd.isReady; // true
 * ```
 */
export class Macd implements PriceIndicator {
  readonly fast: number;
  readonly slow: number;
  readonly signalPeriod: number;
  readonly #fast: Ema;
  readonly #slow: Ema;
  readonly #signal: Ema;
  #line = NaN;
  #histogram = NaN;

  /** A MACD with integer periods `fast` < `slow` and `signal` >= 1 (classic: 12, 26, 9). */
  constructor(fast: number, slow: number, signal: number) {
    this.fast = checkPeriod("Macd", "fast", fast);
    this.slow = checkPeriod("Macd", "slow", slow);
    this.signalPeriod = checkPeriod("Macd", "signal", signal);
    if (fast >= slow) {
      throw new RangeError(`Cannot create Macd: 'fast' must be < 'slow', got ${fast} >= ${slow}`);
    }
    this.#fast = new Ema(fast);
    this.#slow = new Ema(slow);
    this.#signal = new Ema(signal);
  }

  /** Feeds one value; returns the new MACD line, NaN until the signal line is ready. */
  update(x: number): number {
    const f = this.#fast.update(x);
    const s = this.#slow.update(x);
    if (!this.#slow.isReady) return NaN;
    const line = f - s;
    const signal = this.#signal.update(line);
    if (!this.#signal.isReady) return NaN;
    this.#line = line;
    this.#histogram = line - signal;
    return line;
  }

  /** The MACD line (fast EMA − slow EMA), NaN until ready. */
  get value(): number {
    return this.#line;
  }

  /** The signal line (EMA of the MACD line), NaN until ready. */
  get signal(): number {
    return this.isReady ? this.#signal.value : NaN;
  }

  /** MACD line − signal line, NaN until ready. */
  get histogram(): number {
    return this.#histogram;
  }

  /** True once `slow + signal − 1` values have arrived. */
  get isReady(): boolean {
    return this.#signal.isReady;
  }

  /** Forgets every value. */
  reset(): void {
    this.#fast.reset();
    this.#slow.reset();
    this.#signal.reset();
    this.#line = NaN;
    this.#histogram = NaN;
  }
}

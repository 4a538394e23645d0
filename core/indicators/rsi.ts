/** Relative Strength Index with Wilder's smoothing. */
import { checkPeriod } from "./_check_period.ts";
import type { PriceIndicator } from "./indicator.ts";

/**
 * Wilder's RSI: average gain and loss seeded with the simple mean of the first `period` changes,
 * then smoothed as `avg = (avg·(period − 1) + change) / period`; RSI = 100 − 100 / (1 + gain/loss).
 * Ready after `period + 1` inputs (`period` changes).
 * @example
 * ```ts
 * import { Rsi } from "./rsi.ts";
 * const rsi = new Rsi(2);
 * rsi.update(10); rsi.update(11);
 * rsi.update(10.5); // 100 − 100 / (1 + 0.5 / 0.25) ≈ 66.67
 * ```
 */
export class Rsi implements PriceIndicator {
  readonly period: number;
  #prev = NaN;
  #changes = 0;
  #avgGain = 0;
  #avgLoss = 0;
  #value = NaN;

  /** An RSI over `period` (integer >= 1) changes. */
  constructor(period: number) {
    this.period = checkPeriod("Rsi", "period", period);
  }

  /** Feeds one close; returns the new RSI (0..100), NaN until `period` changes have been seen. */
  update(x: number): number {
    const prev = this.#prev;
    this.#prev = x;
    if (prev !== prev) return this.#value; // first input: no change yet
    const change = x - prev;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const n = this.period;
    if (this.#changes < n) {
      // Seed: sum now, divide once the first `period` changes are in.
      this.#avgGain += gain;
      this.#avgLoss += loss;
      if (++this.#changes < n) return this.#value;
      this.#avgGain /= n;
      this.#avgLoss /= n;
    } else {
      this.#avgGain = (this.#avgGain * (n - 1) + gain) / n;
      this.#avgLoss = (this.#avgLoss * (n - 1) + loss) / n;
    }
    // No losses: 100 if anything rose, 50 on a perfectly flat series (RS is 0/0 there).
    this.#value = this.#avgLoss === 0
      ? (this.#avgGain === 0 ? 50 : 100)
      : 100 - 100 / (1 + this.#avgGain / this.#avgLoss);
    return this.#value;
  }

  /** The latest RSI, NaN until ready. */
  get value(): number {
    return this.#value;
  }

  /** True once `period` changes (`period + 1` inputs) have arrived. */
  get isReady(): boolean {
    return this.#changes >= this.period;
  }

  /** Forgets every input. */
  reset(): void {
    this.#prev = NaN;
    this.#changes = 0;
    this.#avgGain = 0;
    this.#avgLoss = 0;
    this.#value = NaN;
  }
}

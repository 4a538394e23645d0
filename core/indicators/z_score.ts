/** Z-score of the latest value against its rolling window. */
import { checkPeriod } from "./_check_period.ts";
import { RollingWindow } from "./_rolling_window.ts";
import type { PriceIndicator } from "./indicator.ts";

/**
 * (x − mean) / σ, where mean and population σ are over the last `period` values including x.
 * A flat window (σ = 0) scores 0: x equals the mean there, and 0 keeps threshold rules quiet
 * instead of feeding them ±Infinity or NaN.
 * @example
 * ```ts
 * import { ZScore } from "./z_score.ts";
 * const z = new ZScore(2);
 * z.update(1);
 * z.update(3); // (3 − 2) / 1 = 1
 * ```
 */
export class ZScore implements PriceIndicator {
  readonly period: number;
  readonly #window: RollingWindow;
  #value = NaN;

  /** A z-score over `period` (integer >= 2: one value has no spread) values. */
  constructor(period: number) {
    this.period = checkPeriod("ZScore", "period", period, 2);
    this.#window = new RollingWindow(period);
  }

  /** Feeds one value; returns its z-score, NaN until `period` values arrived. */
  update(x: number): number {
    const w = this.#window;
    w.push(x);
    if (!w.isFull) return NaN;
    const variance = w.variance;
    this.#value = variance === 0 ? 0 : (x - w.mean) / Math.sqrt(variance);
    return this.#value;
  }

  /** The latest z-score, NaN until ready. */
  get value(): number {
    return this.#value;
  }

  /** True once `period` values have arrived. */
  get isReady(): boolean {
    return this.#window.isFull;
  }

  /** Forgets every value. */
  reset(): void {
    this.#window.clear();
    this.#value = NaN;
  }
}

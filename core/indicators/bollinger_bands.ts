/** Bollinger Bands: SMA middle band with bands k population standard deviations away. */
import { checkPeriod } from "./_check_period.ts";
import { RollingWindow } from "./_rolling_window.ts";
import type { PriceIndicator } from "./indicator.ts";

/**
 * Bollinger Bands over `period` values: middle = SMA, upper/lower = middle ± k·σ with σ the
 * population standard deviation (divide by n, as Bollinger defines it, not n − 1).
 * @example
 * ```ts
 * import { BollingerBands } from "./bollinger_bands.ts";
 * const bb = new BollingerBands(20, 2);
 * for (let i = 0; i < 20; i++) bb.update(100 + (i % 2));
 * [bb.lower, bb.value, bb.upper]; // [99.5, 100.5, 101.5]
 * ```
 */
export class BollingerBands implements PriceIndicator {
  readonly period: number;
  readonly k: number;
  readonly #window: RollingWindow;
  #middle = NaN;
  #upper = NaN;
  #lower = NaN;

  /** Bands over `period` (integer >= 1) values, `k` (finite, >= 0) deviations wide. */
  constructor(period: number, k = 2) {
    this.period = checkPeriod("BollingerBands", "period", period);
    if (!Number.isFinite(k) || k < 0) {
      throw new RangeError(
        `Cannot create BollingerBands: 'k' must be a finite number >= 0, got ${k}`,
      );
    }
    this.k = k;
    this.#window = new RollingWindow(period);
  }

  /** Feeds one value; returns the middle band, NaN until `period` values arrived. */
  update(x: number): number {
    const w = this.#window;
    w.push(x);
    if (!w.isFull) return NaN;
    const mid = w.mean;
    const width = this.k * Math.sqrt(w.variance);
    this.#middle = mid;
    this.#upper = mid + width;
    this.#lower = mid - width;
    return mid;
  }

  /** The middle band (SMA), NaN until ready. */
  get value(): number {
    return this.#middle;
  }

  /** Middle + k·σ, NaN until ready. */
  get upper(): number {
    return this.#upper;
  }

  /** Middle − k·σ, NaN until ready. */
  get lower(): number {
    return this.#lower;
  }

  /** True once `period` values have arrived. */
  get isReady(): boolean {
    return this.#window.isFull;
  }

  /** Forgets every value. */
  reset(): void {
    this.#window.clear();
    this.#middle = NaN;
    this.#upper = NaN;
    this.#lower = NaN;
  }
}

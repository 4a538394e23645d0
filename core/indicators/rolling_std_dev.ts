/** Population standard deviation over a rolling window. */
import { checkPeriod } from "./_check_period.ts";
import { RollingWindow } from "./_rolling_window.ts";
import type { PriceIndicator } from "./indicator.ts";

/**
 * Population standard deviation (divide by n) of the last `period` values, O(1) per update.
 * @example
 * ```ts
 * import { RollingStdDev } from "./rolling_std_dev.ts";
 * const sd = new RollingStdDev(2);
 * sd.update(1);
 * sd.update(3); // 1
 * ```
 */
export class RollingStdDev implements PriceIndicator {
  readonly period: number;
  readonly #window: RollingWindow;
  #value = NaN;

  /** A standard deviation over `period` (integer >= 1) values. */
  constructor(period: number) {
    this.period = checkPeriod("RollingStdDev", "period", period);
    this.#window = new RollingWindow(period);
  }

  /** Feeds one value; returns σ of the window, NaN until `period` values arrived. */
  update(x: number): number {
    this.#window.push(x);
    if (this.#window.isFull) this.#value = Math.sqrt(this.#window.variance);
    return this.#value;
  }

  /** The latest σ, NaN until ready. */
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

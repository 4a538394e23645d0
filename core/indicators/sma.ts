/** Simple moving average over a fixed window, O(1) per update. */
import { checkPeriod } from "./_check_period.ts";
import { RollingWindow } from "./_rolling_window.ts";
import type { PriceIndicator } from "./indicator.ts";

/**
 * Simple moving average of the last `period` values.
 * @example
 * ```ts
 * import { Sma } from "./sma.ts";
 * const sma = new Sma(3);
 * sma.update(1); sma.update(2);
 * sma.update(3); // 2
 * ```
 */
export class Sma implements PriceIndicator {
  readonly period: number;
  readonly #window: RollingWindow;
  #value = NaN;

  /** An SMA over `period` (integer >= 1) values. */
  constructor(period: number) {
    this.period = checkPeriod("Sma", "period", period);
    this.#window = new RollingWindow(period);
  }

  /** Feeds one value; returns the mean of the last `period`, NaN until that many arrived. */
  update(x: number): number {
    this.#window.push(x);
    if (this.#window.isFull) this.#value = this.#window.mean;
    return this.#value;
  }

  /** The latest average, NaN until ready. */
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

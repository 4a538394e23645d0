/** Exponential moving average, seeded with the SMA of its first `period` values. */
import { checkPeriod } from "./_check_period.ts";
import type { PriceIndicator } from "./indicator.ts";

/**
 * EMA with α = 2 / (period + 1). The first value is the SMA of the first `period` inputs (the
 * TA-Lib / textbook seed); seeding with the first input instead would bias every early value.
 * @example
 * ```ts
 * import { Ema } from "./ema.ts";
 * const ema = new Ema(2); // α = 2/3
 * ema.update(1);
 * ema.update(3); // 2 (the seed: SMA of 1 and 3)
 * ema.update(6); // 2 + (6 - 2) · 2/3 ≈ 4.667
 * ```
 */
export class Ema implements PriceIndicator {
  readonly period: number;
  readonly #alpha: number;
  #count = 0;
  #seedSum = 0;
  #value = NaN;

  /** An EMA over `period` (integer >= 1). */
  constructor(period: number) {
    this.period = checkPeriod("Ema", "period", period);
    this.#alpha = 2 / (period + 1);
  }

  /** Feeds one value; returns the new EMA, NaN for the first `period - 1` inputs. */
  update(x: number): number {
    if (this.#count >= this.period) {
      this.#value += this.#alpha * (x - this.#value);
      return this.#value;
    }
    this.#seedSum += x;
    if (++this.#count === this.period) this.#value = this.#seedSum / this.period;
    return this.#value;
  }

  /** The latest EMA, NaN until ready. */
  get value(): number {
    return this.#value;
  }

  /** True once `period` values have arrived. */
  get isReady(): boolean {
    return this.#count >= this.period;
  }

  /** Forgets every value. */
  reset(): void {
    this.#count = 0;
    this.#seedSum = 0;
    this.#value = NaN;
  }
}

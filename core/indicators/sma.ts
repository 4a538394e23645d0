/** Simple moving average over a fixed window, O(1) per update. */
import { checkPeriod } from "./_check_period.ts";
import type { PriceIndicator } from "./indicator.ts";

// A running sum drifts by an ulp or so per update on fractional inputs (prices in ticks are
// integers, whose sums are exact below 2^53): re-adding the window every this many windows
// bounds the drift at a cost of one extra addition per update, amortised.
const RESUM_EVERY = 64;

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
  readonly #buf: Float64Array;
  #head = 0;
  #count = 0;
  #sum = 0;
  #untilResum: number;
  #value = NaN;

  /** An SMA over `period` (integer >= 1) values. */
  constructor(period: number) {
    this.period = checkPeriod("Sma", "period", period);
    this.#buf = new Float64Array(this.period);
    this.#untilResum = this.period * RESUM_EVERY;
  }

  /** Feeds one value; returns the mean of the last `period`, NaN until that many arrived. */
  update(x: number): number {
    const n = this.period, buf = this.#buf, h = this.#head;
    // The slot leaving the window is 0 until the window first fills: no branch to skip it.
    this.#sum = this.#sum - buf[h]! + x;
    buf[h] = x;
    this.#head = h + 1 === n ? 0 : h + 1;
    if (--this.#untilResum === 0) this.#resum();
    if (this.#count < n && ++this.#count < n) return NaN;
    return this.#value = this.#sum / n;
  }

  /** The last value returned by update (NaN before the window is full). */
  get value(): number {
    return this.#value;
  }

  /** True once `period` values have arrived. */
  get isReady(): boolean {
    return this.#count === this.period;
  }

  /** Forgets every value. */
  reset(): void {
    this.#buf.fill(0);
    this.#head = 0;
    this.#count = 0;
    this.#sum = 0;
    this.#untilResum = this.period * RESUM_EVERY;
    this.#value = NaN;
  }

  #resum(): void {
    this.#untilResum = this.period * RESUM_EVERY;
    let s = 0;
    for (let i = 0; i < this.#count; i++) s += this.#buf[i]!;
    this.#sum = s;
  }
}

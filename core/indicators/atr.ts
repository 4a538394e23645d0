/** Average True Range with Wilder's smoothing. */
import { checkPeriod } from "./_check_period.ts";
import type { Indicator } from "./indicator.ts";

/**
 * Wilder's ATR: true range = max(high − low, |high − prev close|, |low − prev close|) (just
 * high − low on the first bar), seeded with the mean of the first `period` ranges, then
 * `atr = (atr·(period − 1) + tr) / period`.
 * @example
 * ```ts
 * import { Atr } from "./atr.ts";
 * const atr = new Atr(2);
 * atr.update(11, 9, 10); // NaN (tr 2)
 * atr.update(13, 10, 12); // 2.5 (tr 3)
 * ```
 */
export class Atr implements Indicator {
  readonly period: number;
  #prevClose = NaN;
  #count = 0;
  #value = NaN;
  #seedSum = 0;

  /** An ATR over `period` (integer >= 1) bars. */
  constructor(period: number) {
    this.period = checkPeriod("Atr", "period", period);
  }

  /** Feeds one bar; returns the new ATR, NaN for the first `period − 1` bars. */
  update(high: number, low: number, close: number): number {
    const pc = this.#prevClose;
    this.#prevClose = close;
    let tr = high - low;
    if (pc === pc) {
      const up = high > pc ? high - pc : pc - high;
      const down = low > pc ? low - pc : pc - low;
      if (up > tr) tr = up;
      if (down > tr) tr = down;
    }
    const n = this.period;
    if (this.#count >= n) {
      this.#value = (this.#value * (n - 1) + tr) / n;
      return this.#value;
    }
    this.#seedSum += tr;
    if (++this.#count === n) this.#value = this.#seedSum / n;
    return this.#value;
  }

  /** The latest ATR, NaN until ready. */
  get value(): number {
    return this.#value;
  }

  /** True once `period` bars have arrived. */
  get isReady(): boolean {
    return this.#count >= this.period;
  }

  /** Forgets every bar. */
  reset(): void {
    this.#prevClose = NaN;
    this.#count = 0;
    this.#value = NaN;
    this.#seedSum = 0;
  }
}

/** Cumulative volume-weighted average price since the last reset, backed by trading-signals. */
import { VWAP } from "trading-signals";
import type { Indicator } from "./indicator.ts";

/**
 * Σ price·volume / Σ volume since construction or the last `reset()` (call it at session start).
 * Zero-volume updates leave the value unchanged; it is NaN until some volume has traded.
 * Wraps trading-signals' VWAP, which is O(1) and exact here (README.md has the figures).
 * @example
 * ```ts
 * import { Vwap } from "./vwap.ts";
 * const vwap = new Vwap();
 * vwap.update(10, 100);
 * vwap.update(11, 300); // 10.75
 * ```
 */
export class Vwap implements Indicator {
  #lib = new VWAP();
  // The library weights the typical price (h + l + c) / 3; passing the price as all three makes
  // that the price itself. It keeps a reference to its last candle but reads it only in replace
  // mode, which this wrapper never uses, so one reused object keeps the hot path allocation-free.
  readonly #candle = { high: 0, low: 0, close: 0, volume: 0 };
  #value = NaN;

  /** Feeds a price (a trade, or a bar's typical price) and its volume; returns the new VWAP. */
  update(price: number, volume: number): number {
    if (!(volume >= 0)) throw new RangeError(`Vwap.update(): 'volume' must be >= 0, got ${volume}`);
    const c = this.#candle;
    c.high = price;
    c.low = price;
    c.close = price;
    c.volume = volume;
    // null means a zero-volume candle the library skipped: the VWAP is unchanged.
    const v = this.#lib.add(c);
    if (v !== null) this.#value = v;
    return this.#value;
  }

  /** The latest VWAP, NaN until some volume has traded. */
  get value(): number {
    return this.#value;
  }

  /** True once any volume has traded since the last reset. */
  get isReady(): boolean {
    return this.#value === this.#value;
  }

  /** Starts a new session: forgets all price and volume. */
  reset(): void {
    // A fresh library instance: it has no reset of its own, and this runs once a session.
    this.#lib = new VWAP();
    this.#value = NaN;
  }
}

/**
 * A fixed-size ring of the last `size` values with their running mean and sum of squared
 * deviations (M2), updated in O(1). Private to core/indicators: SMA, rolling stddev, Bollinger
 * Bands and z-score all read their window through it.
 */

// Why not Σx and Σx²: with the level far above the spread (price 60,000, spread 1) Σx² ≈ 3.6e9·n
// and its rounding swamps the variance within a few thousand updates. The sliding Welford update
// below works on deviations, so its rounding scales with the spread, not the level. It still
// cannot recover relative precision when the variance collapses (a spike leaves, and the window
// is quiet): the old M2 and the jump cancel. So each update also adds a worst-case bound on the
// rounding it made to #err, and the window is recomputed exactly (two-pass) when that bound
// exceeds MAX_REL_ERR of M2, or once per `size` updates regardless, so drift never outlives one
// window. Amortised cost stays O(1); a recompute is O(size) on the update that triggers it.
const EPS = 2 ** -52;
/** Relative M2 error allowed before an exact recompute (σ then errs by half of it). */
const MAX_REL_ERR = 1e-11;

/** Ring buffer with O(1) running mean and M2 over its full window. */
export class RollingWindow {
  readonly size: number;
  readonly #buf: Float64Array;
  #head = 0;
  #count = 0;
  #mean = 0;
  #m2 = 0;
  #sinceResync = 0;
  /** Worst-case absolute rounding error in #m2 since the last exact recompute. */
  #err = 0;

  /** A window of the last `size` values (size validated by the caller). */
  constructor(size: number) {
    this.size = size;
    this.#buf = new Float64Array(size);
  }

  /** True once `size` values have been pushed. */
  get isFull(): boolean {
    return this.#count === this.size;
  }

  /** Mean of the values in the window (0 when empty). */
  get mean(): number {
    return this.#mean;
  }

  /** Population variance of the window, never negative. */
  get variance(): number {
    return this.#count === 0 ? 0 : this.#m2 / this.#count;
  }

  /** Pushes `x`, evicting the oldest value once full. */
  push(x: number): void {
    const n = this.size;
    if (this.#count < n) {
      const c = ++this.#count;
      const d = x - this.#mean;
      this.#mean += d / c;
      this.#m2 += d * (x - this.#mean);
    } else {
      const old = this.#buf[this.#head]!;
      const prevMean = this.#mean;
      const d = x - old;
      const mean = prevMean + d / n;
      const a = x - mean, b = old - prevMean;
      const m2 = this.#m2;
      this.#mean = mean;
      this.#m2 = m2 + d * (a + b);
      // Each term is off by a few ulps of its size; the mean's own rounding (ulp of the level)
      // enters through a and b, scaled by the jump d.
      this.#err += 4 * EPS * (m2 + Math.abs(d) * (Math.abs(a) + Math.abs(b) + 2 * Math.abs(mean)));
    }
    this.#buf[this.#head] = x;
    this.#head = this.#head + 1 === n ? 0 : this.#head + 1;
    if (++this.#sinceResync === n || this.#err > MAX_REL_ERR * this.#m2) this.#resync();
  }

  /** Empties the window. */
  clear(): void {
    this.#head = 0;
    this.#count = 0;
    this.#mean = 0;
    this.#m2 = 0;
    this.#sinceResync = 0;
    this.#err = 0;
  }

  #resync(): void {
    this.#sinceResync = 0;
    this.#err = 0;
    const c = this.#count;
    let sum = 0;
    for (let i = 0; i < c; i++) sum += this.#buf[i]!;
    const mean = sum / c;
    let m2 = 0;
    for (let i = 0; i < c; i++) {
      const d = this.#buf[i]! - mean;
      m2 += d * d;
    }
    this.#mean = mean;
    this.#m2 = m2;
  }
}

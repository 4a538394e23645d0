/**
 * Order rate limit over a sliding one-second window, kept in a fixed ring of the last N accepted
 * order times: the (N+1)-th order may go only once the oldest of the last N is a full second old.
 */
import { MICROS_PER_SECOND } from "../domain/units.ts";
import { PASS, REASON } from "./reasons.ts";

const REJECT = REASON.max_orders_per_second;

/** Allows at most `limit` orders in any window [t, t + 1 s); times are epoch µs. */
export class MaxOrdersPerSecond {
  /** Orders allowed per second. */
  readonly limit: number;
  // Times of the last `limit` recorded orders, ascending from #head (oldest) around the ring.
  readonly #times: Float64Array;
  #head = 0;
  #count = 0;

  /** Creates an empty window for `limit` (≥ 1) orders per second. */
  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`'max_orders_per_second' must be an integer >= 1, got ${limit}`);
    }
    this.limit = limit;
    this.#times = new Float64Array(limit);
  }

  /** 0 when an order at `now` keeps every 1-second window within the limit, else the reason id. */
  check(now: number): number {
    if (this.#count < this.limit) return PASS;
    return now - this.#times[this.#head]! >= MICROS_PER_SECOND ? PASS : REJECT;
  }

  /** Records an order sent at `now`; call it only for orders that passed check(). */
  record(now: number): void {
    const n = this.limit;
    if (this.#count > 0) {
      // A clock that steps back must not reorder the ring: clamping to the newest time keeps it
      // sorted and can only make the limit stricter.
      const newest = this.#times[(this.#head + this.#count - 1) % n]!;
      if (now < newest) now = newest;
    }
    if (this.#count < n) {
      this.#times[(this.#head + this.#count) % n] = now;
      this.#count++;
    } else {
      this.#times[this.#head] = now;
      this.#head = (this.#head + 1) % n;
    }
  }

  /** Orders recorded in the second ending at `now`, i.e. at times in (now − 1 s, now]. */
  countInWindow(now: number): number {
    let c = 0;
    for (let i = 0; i < this.#count; i++) {
      const t = this.#times[(this.#head + i) % this.limit]!;
      if (t > now - MICROS_PER_SECOND && t <= now) c++;
    }
    return c;
  }
}

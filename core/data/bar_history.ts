/**
 * The most recent closed bars of one instrument and timeframe, in a fixed-size ring of plain
 * numbers (88 bytes a bar), so 1,000 symbols × 3 timeframes of history stay within a few tens of
 * MB instead of millions of live objects. Bar objects are rebuilt only when queried.
 */
import type { Bar } from "../domain/market_events.ts";

const F = 11; // fields per bar
const EMPTY = 1, VENUE = 2; // flag bits

/** Bounded, oldest-first history of closed bars. */
export class BarHistory {
  // Grows by doubling up to `capacity`, so symbols with little history cost little memory.
  #data: Float64Array;
  #next = 0;
  #size = 0;
  // In a typed array: as a field (`#newest = -Infinity`), each start stored (a time, too large
  // for a small integer) took a fresh heap number, 15 bytes a bar in a backtest's heap profile.
  readonly #newest = new Float64Array([-Infinity]);
  /** Bars ever appended as the newest (evicted ones too; an insert in place is not counted). */
  appended = 0;

  /** Keeps at most `capacity` bars of `symbol` at `timeframe`. */
  constructor(readonly symbol: string, readonly timeframe: string, readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be >= 1, got ${capacity}`);
    }
    this.#data = new Float64Array(Math.min(capacity, 16) * F);
  }

  /** Appends a bar, evicting the oldest when full. */
  push(bar: Bar): void {
    if (this.#size * F === this.#data.length && this.#size < this.capacity) {
      // Not wrapped yet (it wraps only at full capacity), so a plain copy keeps the order.
      const grown = new Float64Array(Math.min(this.capacity, this.#size * 2) * F);
      grown.set(this.#data);
      this.#data = grown;
    }
    const d = this.#data, o = this.#next * F;
    d[o] = bar.start;
    d[o + 1] = bar.end;
    d[o + 2] = bar.open;
    d[o + 3] = bar.high;
    d[o + 4] = bar.low;
    d[o + 5] = bar.close;
    d[o + 6] = bar.volume;
    d[o + 7] = bar.vwap;
    d[o + 8] = bar.tradeCount;
    d[o + 9] = (bar.empty ? EMPTY : 0) | (bar.source === "venue" ? VENUE : 0);
    d[o + 10] = bar.recvTime;
    this.#next = this.#next + 1 === this.capacity ? 0 : this.#next + 1;
    if (this.#size < this.capacity) this.#size++;
    this.#newest[0] = bar.start;
    this.appended++;
  }

  /** Number of bars held. */
  get size(): number {
    return this.#size;
  }

  /** The last `limit` bars, oldest first. */
  last(limit: number): Bar[] {
    const n = Math.min(limit, this.#size);
    const out: Bar[] = new Array(n);
    const d = this.#data;
    for (let k = 0; k < n; k++) {
      const o = ((this.#next - n + k + this.capacity) % this.capacity) * F;
      const flags = d[o + 9]!;
      out[k] = {
        symbol: this.symbol,
        timeframe: this.timeframe,
        start: d[o]!,
        end: d[o + 1]!,
        open: d[o + 2]!,
        high: d[o + 3]!,
        low: d[o + 4]!,
        close: d[o + 5]!,
        volume: d[o + 6]!,
        vwap: d[o + 7]!,
        tradeCount: d[o + 8]!,
        empty: (flags & EMPTY) !== 0,
        source: (flags & VENUE) !== 0 ? "venue" : "aggregated",
        venueTime: d[o + 1]!,
        recvTime: d[o + 10]!,
      };
    }
    return out;
  }

  /** Start of the newest bar, or -Infinity when empty. */
  get newestStart(): number {
    return this.#newest[0]!;
  }

  /**
   * Adds a bar in time order: appended when newest, replacing a held bar of the same start (a
   * venue's correction, or a backfill of a bar already seen), else inserted in place (a gap
   * backfilled after newer bars arrived). Returns true when the bar is now the newest. Rare
   * (backfills), so it rebuilds the ring instead of shifting in place.
   */
  insert(bar: Bar): boolean {
    const newest = this.newestStart;
    if (bar.start > newest) {
      this.push(bar);
      return true;
    }
    const all = this.last(this.#size);
    const at = all.findIndex((b) => b.start >= bar.start);
    if (all[at]!.start === bar.start) all[at] = bar;
    else if (at === 0 && this.#size === this.capacity) return false; // older than all kept
    else all.splice(at, 0, bar);
    const appended = this.appended;
    this.#next = 0;
    this.#size = 0;
    this.#newest[0] = -Infinity;
    for (const b of all.slice(-this.capacity)) this.push(b);
    this.appended = appended;
    return false;
  }
}

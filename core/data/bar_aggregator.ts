/**
 * Builds OHLCV bars from trades for several timeframes of one instrument at once. Buckets are
 * aligned to the epoch ([start, start + tf)), a trade belongs to the bucket of its venue time, and
 * a bar is stamped at its close. A bar closes when a trade of a later bucket arrives or when
 * `onTime` is told the feed clock has passed its end, so bars close on time even with no trades.
 *
 * Empty intervals (no trade in a bucket after at least one earlier bar) follow `empty`:
 * - `flat`: a bar with open = high = low = close = the previous close, volume 0, `empty: true`;
 * - `skip`: no bar, so series have gaps, as Alpaca's own bars do.
 * Trades older than the open bucket ("late") are counted and left out of bars.
 */
import type { Bar } from "../domain/market_events.ts";
import { timeframeLabel } from "./timeframe.ts";

/** How intervals with no trades are reported. */
export type EmptyBarPolicy = "flat" | "skip";

// A feed silent for days must not make millions of flat bars in one call.
const MAX_FLAT_BARS_PER_GAP = 10_000;

/** Per-instrument, multi-timeframe bar builder. */
export class BarAggregator {
  readonly #tf: Float64Array;
  readonly #labels: string[];
  readonly #start: Float64Array;
  readonly #open: Float64Array;
  readonly #high: Float64Array;
  readonly #low: Float64Array;
  readonly #close: Float64Array;
  readonly #volume: Float64Array;
  readonly #pv: Float64Array;
  readonly #count: Float64Array;
  /** End of the last emitted bar per timeframe (0 before the first). */
  readonly #lastEnd: Float64Array;
  readonly #lastClose: Float64Array;
  /** Trades that arrived after their bucket had closed. */
  lateTrades = 0;
  /** Empty intervals not reported because a gap exceeded the flat-bar cap. */
  skippedEmpty = 0;

  /**
   * @param symbol instrument symbol stamped on bars
   * @param timeframes bucket lengths in µs
   * @param emit receives every closed bar
   */
  constructor(
    readonly symbol: string,
    timeframes: readonly number[],
    readonly empty: EmptyBarPolicy,
    readonly emit: (bar: Bar) => void,
  ) {
    const n = timeframes.length;
    this.#tf = Float64Array.from(timeframes);
    this.#labels = timeframes.map(timeframeLabel);
    this.#start = new Float64Array(n).fill(-1);
    this.#open = new Float64Array(n);
    this.#high = new Float64Array(n);
    this.#low = new Float64Array(n);
    this.#close = new Float64Array(n);
    this.#volume = new Float64Array(n);
    this.#pv = new Float64Array(n);
    this.#count = new Float64Array(n);
    this.#lastEnd = new Float64Array(n);
    this.#lastClose = new Float64Array(n);
  }

  /** Adds a trade (integer price and size units) at venue time `ts` µs. */
  onTrade(price: number, size: number, ts: number, recv: number): void {
    const tfs = this.#tf;
    let late = false;
    for (let i = 0; i < tfs.length; i++) {
      const tf = tfs[i]!;
      const bucket = ts - (ts % tf);
      const start = this.#start[i]!;
      if (bucket !== start) {
        if (bucket < start || bucket < this.#lastEnd[i]!) {
          late = true;
          continue;
        }
        if (start >= 0) this.#closeBar(i, recv);
        this.#fillEmpty(i, bucket, recv);
        this.#start[i] = bucket;
        this.#open[i] = price;
        this.#high[i] = price;
        this.#low[i] = price;
        this.#close[i] = price;
        this.#volume[i] = size;
        this.#pv[i] = price * size;
        this.#count[i] = 1;
        continue;
      }
      if (price > this.#high[i]!) this.#high[i] = price;
      if (price < this.#low[i]!) this.#low[i] = price;
      this.#close[i] = price;
      this.#volume[i]! += size;
      this.#pv[i]! += price * size;
      this.#count[i]!++;
    }
    if (late) this.lateTrades++;
  }

  /** Closes every bar whose interval ended at or before feed time `now` µs (and fills empty ones). */
  onTime(now: number, recv: number): void {
    const tfs = this.#tf;
    for (let i = 0; i < tfs.length; i++) {
      const start = this.#start[i]!;
      if (start >= 0 && start + tfs[i]! <= now) this.#closeBar(i, recv);
      if (this.#start[i]! < 0) this.#fillEmpty(i, now - (now % tfs[i]!), recv);
    }
  }

  /** The open (unfinished) bar of timeframe index `i`, or undefined. */
  partial(i: number, recv: number): Bar | undefined {
    return this.#start[i]! < 0 ? undefined : this.#makeBar(i, false, recv);
  }

  #closeBar(i: number, recv: number): void {
    const bar = this.#makeBar(i, false, recv);
    this.#lastEnd[i] = bar.end;
    this.#lastClose[i] = bar.close;
    this.#start[i] = -1;
    this.emit(bar);
  }

  /** Emits flat bars for whole intervals between the last bar's end and `until` (exclusive). */
  #fillEmpty(i: number, until: number, recv: number): void {
    let from = this.#lastEnd[i]!;
    if (from === 0 || from >= until) return;
    const tf = this.#tf[i]!;
    if (this.empty === "skip") {
      this.#lastEnd[i] = until;
      return;
    }
    const gaps = (until - from) / tf;
    if (gaps > MAX_FLAT_BARS_PER_GAP) {
      this.skippedEmpty += gaps - MAX_FLAT_BARS_PER_GAP;
      from = until - MAX_FLAT_BARS_PER_GAP * tf;
    }
    const c = this.#lastClose[i]!;
    for (let s = from; s < until; s += tf) {
      this.emit({
        symbol: this.symbol,
        timeframe: this.#labels[i]!,
        start: s,
        end: s + tf,
        open: c,
        high: c,
        low: c,
        close: c,
        volume: 0,
        vwap: c,
        tradeCount: 0,
        empty: true,
        source: "aggregated",
        venueTime: s + tf,
        recvTime: recv,
      });
    }
    this.#lastEnd[i] = until;
  }

  #makeBar(i: number, empty: boolean, recv: number): Bar {
    const start = this.#start[i]!;
    const tf = this.#tf[i]!;
    const volume = this.#volume[i]!;
    return {
      symbol: this.symbol,
      timeframe: this.#labels[i]!,
      start,
      end: start + tf,
      open: this.#open[i]!,
      high: this.#high[i]!,
      low: this.#low[i]!,
      close: this.#close[i]!,
      volume,
      vwap: volume > 0 ? this.#pv[i]! / volume : this.#close[i]!,
      tradeCount: this.#count[i]!,
      empty,
      source: "aggregated",
      venueTime: start + tf,
      recvTime: recv,
    };
  }
}

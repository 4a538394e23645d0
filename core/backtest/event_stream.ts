/**
 * Where a backtest's events come from: one time-ordered stream of reused ReplayEvent slots, read
 * ahead asynchronously and consumed synchronously. Files (CSV / JSON lines of bars, trades and
 * quotes, several merged in time order) stream through the replay venue's own readers, so memory
 * stays flat however large they are; columns already in memory (benchmarks, notebooks) stream
 * through BarColumns without parsing.
 */
import type { DecodeErrorReason } from "../data/ring_layout.ts";
import type { RecordSink } from "../data/record_sink.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Bar } from "../domain/market_events.ts";
import { MergedStream } from "../venues/replay/merge.ts";
import { EventKind, ReplayEvent } from "../venues/replay/replay_event.ts";
import { type ReplayFile, ReplaySource } from "../venues/replay/replay_source.ts";

/** A time-ordered event stream. */
export interface EventStream {
  /** True when read() must run before the next event is known. */
  readonly needsRead: boolean;
  read(): Promise<void>;
  /** The next event (a slot reused after shift()), undefined at the end. */
  peek(): ReplayEvent | undefined;
  shift(): void;
  /** Rows rejected while reading, by reason. */
  readonly rejected: ReadonlyMap<string, number>;
  close(): void;
  /**
   * The current event, a bar, as a Bar that reads the stream's own storage: only streams whose
   * rows stay put (columns in memory) have it; the engine builds the Bar from the slot otherwise.
   */
  bar?(symbol: string, timeframe: string): Bar;
}

/** Counts rejected rows; a backtest reads files itself, so nothing else reaches this sink. */
class RejectCounter implements RecordSink {
  readonly rejected = new Map<string, number>();
  trade(): void {}
  quote(): void {}
  bookLevel(): void {}
  bar(): void {}
  flush(): void {}
  decodeError(reason: DecodeErrorReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }
}

/** Opens `files` and merges them in time order (ties by file order). Throws naming a bad file. */
export async function openFiles(
  files: readonly ReplayFile[],
  instruments: InstrumentTable,
  log: (line: string) => void = () => {},
): Promise<EventStream> {
  const sink = new RejectCounter();
  const sources: ReplaySource[] = [];
  try {
    for (const f of files) {
      sources.push(
        await ReplaySource.open(f, instruments, sink, {
          log: (e) => log(`${f.path}: ${e.message}`),
          maxLineChars: 1 << 16,
        }),
      );
    }
  } catch (e) {
    for (const s of sources) s.close();
    throw e;
  }
  const merged = new MergedStream(sources);
  return {
    get needsRead() {
      return merged.needsRead;
    },
    read: () => merged.read(),
    peek: () => merged.peek(),
    shift: () => merged.shift(),
    rejected: sink.rejected,
    close: () => sources.forEach((s) => s.close()),
  };
}

/** Bars of one instrument in columns (prices in ticks, volume in lots, times in epoch µs). */
export interface BarColumnsInput {
  readonly inst: number;
  readonly tfMicros: number;
  readonly start: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** An EventStream over bars already in memory: one slot, no parsing, no allocation per bar. */
export class BarColumns implements EventStream {
  readonly needsRead = false;
  readonly rejected: ReadonlyMap<string, number> = new Map();
  readonly #ev = new ReplayEvent();
  #i = 0;

  /** Streams `bars` in order; their starts must increase. */
  constructor(readonly bars: BarColumnsInput) {
    this.#ev.kind = EventKind.Bar;
    this.#ev.inst = bars.inst;
    this.#ev.tfMicros = bars.tfMicros;
    this.#load();
  }

  /** Nothing to read: the data is in memory. */
  read(): Promise<void> {
    return Promise.resolve();
  }

  /** The current bar, or undefined past the last. */
  peek(): ReplayEvent | undefined {
    return this.#i < this.bars.start.length ? this.#ev : undefined;
  }

  /** Moves to the next bar. */
  shift(): void {
    this.#i++;
    this.#load();
  }

  /** Nothing to release. */
  close(): void {}

  /** The current bar, reading these columns (see ColumnBar). */
  bar(symbol: string, timeframe: string): ColumnBar {
    return new ColumnBar(symbol, timeframe, this.bars, this.#i);
  }

  #load(): void {
    const i = this.#i, b = this.bars, ev = this.#ev;
    if (i >= b.start.length) return;
    ev.ts = b.start[i]!;
    ev.at = ev.ts + b.tfMicros;
    ev.open = b.open[i]!;
    ev.high = b.high[i]!;
    ev.low = b.low[i]!;
    ev.close = b.close[i]!;
    ev.volume = b.volume[i]!;
    ev.vwap = ev.close;
    ev.count = 0;
  }
}

/**
 * A bar of BarColumns: its numbers are read from the columns, which a run never changes, so a
 * strategy that keeps it sees the same bar later. V8 keeps every double-valued own field of an
 * object in a heap box of its own: a Bar literal made per bar took 310 bytes (ten boxes), this
 * about 80, and allocation was most of what a bar cost. The numbers but `end` are getters: spread
 * syntax and Object.keys see only symbol, timeframe and end; JSON.stringify (toJSON) and
 * `toBar()` give every field.
 */
export class ColumnBar implements Bar {
  /**
   * Interval end, epoch µs: when the bar exists. Kept (one heap number): the engine reads it
   * four times a bar, as end, venueTime and recvTime.
   */
  readonly end: number = 0;
  readonly #cols: BarColumnsInput;
  readonly #i: number;

  /** Row `i` of `cols`, as a bar of `symbol` at `timeframe`. */
  constructor(
    readonly symbol: string,
    readonly timeframe: string,
    cols: BarColumnsInput,
    i: number,
  ) {
    this.#cols = cols;
    this.#i = i;
    this.end = cols.start[i]! + cols.tfMicros;
  }

  /** Interval start, epoch µs. */
  get start(): number {
    return this.#cols.start[this.#i]!;
  }
  /** A column row is a bar that traded. */
  get empty(): false {
    return false;
  }
  /** Delivered as a bar, not built from trades. */
  get source(): "venue" {
    return "venue";
  }
  /** Opening price, ticks. */
  get open(): number {
    return this.#cols.open[this.#i]!;
  }
  /** Highest price, ticks. */
  get high(): number {
    return this.#cols.high[this.#i]!;
  }
  /** Lowest price, ticks. */
  get low(): number {
    return this.#cols.low[this.#i]!;
  }
  /** Closing price, ticks. */
  get close(): number {
    return this.#cols.close[this.#i]!;
  }
  /** Volume, lots. */
  get volume(): number {
    return this.#cols.volume[this.#i]!;
  }
  /** The columns carry no VWAP: the close stands in, as for file bars without one. */
  get vwap(): number {
    return this.#cols.close[this.#i]!;
  }
  /** Not in the columns. */
  get tradeCount(): number {
    return 0;
  }
  /** The bar's end: a replayed bar is delivered as it closes. */
  get venueTime(): number {
    return this.end;
  }
  /** The bar's end, as venueTime. */
  get recvTime(): number {
    return this.end;
  }

  /** Every field as a plain object. */
  toBar(): Bar {
    return {
      symbol: this.symbol,
      timeframe: this.timeframe,
      start: this.start,
      end: this.end,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume,
      vwap: this.vwap,
      tradeCount: this.tradeCount,
      empty: this.empty,
      source: this.source,
      venueTime: this.venueTime,
      recvTime: this.recvTime,
    };
  }

  /** JSON.stringify writes every field. */
  toJSON(): Bar {
    return this.toBar();
  }
}

/** Trades and quotes of one instrument in memory, described by functions of the row index. */
export interface TickColumnsInput {
  readonly inst: number;
  readonly n: number;
  readonly time: (i: number) => number;
  readonly isTrade: (i: number) => boolean;
  readonly price: (i: number) => number;
  readonly size: (i: number) => number;
  readonly bid: (i: number) => number;
  readonly ask: (i: number) => number;
}

/** An EventStream over trades and quotes already in memory (benchmarks, notebooks). */
export class TickColumns implements EventStream {
  readonly needsRead = false;
  readonly rejected: ReadonlyMap<string, number> = new Map();
  readonly #ev = new ReplayEvent();
  #i = 0;

  /** Streams rows 0..n-1 in order; their times must not decrease. */
  constructor(readonly ticks: TickColumnsInput) {
    this.#ev.inst = ticks.inst;
    this.#load();
  }

  /** Nothing to read: the data is in memory. */
  read(): Promise<void> {
    return Promise.resolve();
  }

  /** The current row, or undefined past the last. */
  peek(): ReplayEvent | undefined {
    return this.#i < this.ticks.n ? this.#ev : undefined;
  }

  /** Moves to the next row. */
  shift(): void {
    this.#i++;
    this.#load();
  }

  /** Nothing to release. */
  close(): void {}

  #load(): void {
    const i = this.#i, t = this.ticks, ev = this.#ev;
    if (i >= t.n) return;
    ev.at = ev.ts = t.time(i);
    if (t.isTrade(i)) {
      ev.kind = EventKind.Trade;
      ev.price = t.price(i);
      ev.size = t.size(i);
    } else {
      ev.kind = EventKind.Quote;
      ev.bidPx = t.bid(i);
      ev.askPx = t.ask(i);
      ev.bidSz = ev.askSz = t.size(i);
    }
  }
}

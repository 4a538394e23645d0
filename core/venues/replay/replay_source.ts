/**
 * One recorded file being replayed: its line reader, its format, and a small queue of parsed rows
 * read ahead of playback. Bad rows are counted on the sink and skipped here, before playback.
 */
import type { RecordSink } from "../../data/record_sink.ts";
import { parseTimeframe, timeframeLabel } from "../../data/timeframe.ts";
import type { InstrumentTable } from "../../domain/instrument.ts";
import type { FeedEvent } from "../venue.ts";
import { csvLayout, CsvRows } from "./csv_rows.ts";
import { EventQueue } from "./event_queue.ts";
import { symbolFromPath } from "./file_symbol.ts";
import { inferTimeframe } from "./infer_timeframe.ts";
import { JsonlRows } from "./jsonl_rows.ts";
import { LINE_TOO_LONG, LineReader } from "./line_reader.ts";
import { EventKind, type ReplayEvent } from "./replay_event.ts";

/** One file to replay, as configured. */
export interface ReplayFile {
  readonly path: string;
  /** Symbol of rows that name none; defaults to one derived from the file name. */
  readonly symbol?: string;
  /** Bar timeframe label ("1m", "1d", …); inferred from the first bars when absent. */
  readonly timeframe?: string;
}

/** Parsed rows held ahead of playback per file; also the rows a timeframe is inferred from. */
export const READ_AHEAD = 256;
// Used when a bar file has fewer than two distinct timestamps among its first rows.
const FALLBACK_TIMEFRAME = 60_000_000;

const skippable = (line: string) => line.trim() === "" || line.startsWith("#");

/** A file's read-ahead of events in file order, refilled on demand. */
export class ReplaySource {
  readonly queue = new EventQueue(READ_AHEAD);
  readonly #reader: LineReader | undefined;
  readonly #rows: CsvRows | JsonlRows | undefined;
  readonly #sink: RecordSink;
  readonly #log: (event: FeedEvent) => void;
  /** A data line read while detecting the format, parsed before any other. */
  #pending: string | undefined;
  #inferring: boolean;
  #lastAt = -Infinity;
  #eof: boolean;
  #closed = false;

  private constructor(
    readonly path: string,
    parts: {
      reader?: LineReader;
      rows?: CsvRows | JsonlRows;
      pending?: string;
      inferring: boolean;
    },
    sink: RecordSink,
    log: (event: FeedEvent) => void,
  ) {
    this.#reader = parts.reader;
    this.#rows = parts.rows;
    this.#pending = parts.pending;
    this.#inferring = parts.inferring;
    this.#eof = parts.rows === undefined;
    this.#sink = sink;
    this.#log = log;
  }

  /**
   * Opens `file` and reads up to its first data line to tell the format: a line starting with `{`
   * is JSON lines, anything else is a CSV header. Throws naming the path when the file cannot be
   * opened or its header is not one ReplayFeed knows; blank and `#` lines before it are skipped.
   * Lines longer than `maxLineChars` are counted as oversized frames and skipped.
   */
  static async open(
    file: ReplayFile,
    instruments: InstrumentTable,
    sink: RecordSink,
    options: { readonly log: (event: FeedEvent) => void; readonly maxLineChars: number },
  ): Promise<ReplaySource> {
    const log = options.log;
    const tf = file.timeframe === undefined ? 0 : parseTimeframe(file.timeframe);
    const symbol = file.symbol ?? symbolFromPath(file.path);
    let reader: LineReader;
    try {
      reader = await LineReader.open(file.path, { maxLineChars: options.maxLineChars });
    } catch (e) {
      throw new Error(`Cannot open replay file ${file.path}: ${(e as Error).message}`);
    }
    try {
      let first = await reader.next();
      while (typeof first === "string" && skippable(first)) first = await reader.next();
      if (first === LINE_TOO_LONG) throw new RangeError("its first line is too long");
      if (first === undefined) {
        reader.close();
        return new ReplaySource(file.path, { inferring: false }, sink, log);
      }
      if (first.trimStart().startsWith("{")) {
        const rows = new JsonlRows(instruments, symbol, tf);
        return new ReplaySource(
          file.path,
          { reader, rows, pending: first, inferring: tf === 0 },
          sink,
          log,
        );
      }
      const layout = csvLayout(first);
      const rows = new CsvRows(layout, instruments, symbol, tf);
      if (layout.columns.symbol! < 0 && instruments.get(symbol) === undefined) {
        log({
          type: "venue_error",
          message: `replay file ${file.path}: symbol ${symbol} is not an instrument`,
        });
      }
      return new ReplaySource(
        file.path,
        { reader, rows, inferring: layout.kind === "bar" && tf === 0 },
        sink,
        log,
      );
    } catch (e) {
      reader.close();
      throw new Error(`Cannot replay ${file.path}: ${(e as Error).message}`);
    }
  }

  /** True once the file is read to the end and every queued event has been taken. */
  get done(): boolean {
    return this.#eof && this.queue.size === 0;
  }

  /**
   * Reads and parses lines until the queue is full or the file ends. A read error ends this file
   * (logged as an error); the other files play on.
   */
  async fill(): Promise<void> {
    const rows = this.#rows;
    const queue = this.queue;
    while (!queue.full && !this.#eof && rows !== undefined) {
      let line: string | typeof LINE_TOO_LONG | undefined = this.#pending;
      this.#pending = undefined;
      if (line === undefined) {
        try {
          line = await this.#reader!.next();
        } catch (e) {
          // A read cut short by close() (stop) is not a failure worth reporting.
          if (!this.#closed) {
            this.#log({
              type: "error",
              message: `replay file ${this.path}: ${(e as Error).message}`,
            });
          }
          line = undefined;
        }
      }
      if (line === undefined) {
        this.#eof = true;
        break;
      }
      if (line === LINE_TOO_LONG) {
        this.#sink.decodeError("oversized_frame");
        continue;
      }
      if (skippable(line)) continue;
      const ev = queue.slot();
      const rejected = rows.parse(line, ev);
      if (rejected !== undefined) {
        this.#sink.decodeError(rejected);
        continue;
      }
      // While the timeframe is unknown, bar close times are too; order is checked once it is known.
      if (!this.#inferring && !this.#inOrder(ev)) continue;
      queue.push();
    }
    if (this.#inferring) this.#finishInference(rows!);
  }

  /** Closes the file. */
  close(): void {
    this.#closed = true;
    this.#eof = true;
    this.#reader?.close();
  }

  /** Sets the bar timeframe from the queued first rows, then applies the order check to them. */
  #finishInference(rows: CsvRows | JsonlRows): void {
    this.#inferring = false;
    const starts: number[] = [];
    for (let i = 0; i < this.queue.size; i++) {
      const ev = this.queue.at(i);
      if (ev.kind === EventKind.Bar && ev.tfMicros === 0) starts.push(ev.ts);
    }
    let tf = inferTimeframe(starts);
    if (tf === undefined) {
      tf = FALLBACK_TIMEFRAME;
      if (starts.length > 0) {
        this.#log({
          type: "venue_error",
          message: `replay file ${this.path}: cannot infer the bar timeframe from one timestamp; ` +
            `assuming ${timeframeLabel(tf)} (set 'timeframe' to choose)`,
        });
      }
    }
    rows.barTfMicros = tf;
    for (let i = 0; i < this.queue.size; i++) {
      const ev = this.queue.at(i);
      if (ev.kind === EventKind.Bar && ev.tfMicros === 0) {
        ev.tfMicros = tf;
        ev.at = ev.ts + tf;
      }
    }
    this.queue.retain((ev) => this.#inOrder(ev));
  }

  /** Counts and rejects an event earlier than the previous one of this file. */
  #inOrder(ev: ReplayEvent): boolean {
    if (ev.at < this.#lastAt) {
      this.#sink.decodeError("bad_timestamp");
      return false;
    }
    this.#lastAt = ev.at;
    return true;
  }
}

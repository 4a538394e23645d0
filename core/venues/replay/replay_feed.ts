/**
 * The replay venue's market-data feed: plays recorded bars, trades and quotes from CSV or
 * JSON-lines files through the sink, in real time, N× faster, or as fast as possible. Files are
 * streamed and merged in time order; pacing uses only the injected clock, so a SimClock drives a
 * replay deterministically.
 */
import type { TimerId } from "../../clock/clock.ts";
import { parseTimeframe } from "../../data/timeframe.ts";
import type { FeedContext, FeedSource } from "../venue.ts";
import { MergedStream } from "./merge.ts";
import { EventKind, type ReplayEvent } from "./replay_event.ts";
import { type ReplayFile, ReplaySource } from "./replay_source.ts";

export type { ReplayFile } from "./replay_source.ts";

/** What to replay and how fast. */
export interface ReplaySettings {
  /** Files merged in time order; see core/venues/replay/README.md for their formats. */
  readonly files: readonly ReplayFile[];
  /** 1 = real time, N = N× faster, 0 = as fast as possible. */
  readonly speed: number;
}

// Events written between two flushes at most, so a catch-up (or speed 0) publishes in bounded frames.
const MAX_BATCH = 4096;

/**
 * FeedSource over recorded files. Event i goes out at `t + (at_i − at_0) / speed` of clock time,
 * where t is when playback started and `at` is the event's time (a bar's close: see README.md).
 * @example
 * ```ts
 * import { SimClock } from "../../clock/sim_clock.ts";
 * import type { RecordSink } from "../../data/record_sink.ts";
 * import { InstrumentTable } from "../../domain/instrument.ts";
 * import { ReplayFeed } from "./replay_feed.ts";
 * export async function replayAapl(sink: RecordSink): Promise<ReplayFeed> {
 *   const instruments = new InstrumentTable(["AAPL"], "REPLAY");
 *   const clock = new SimClock(0);
 *   const ctx = { instruments, clock, sink, maxFrameBytes: 1 << 20, log: console.log };
 *   const feed = new ReplayFeed(ctx, { files: [{ path: "data/aapl.csv", timeframe: "1m" }], speed: 10 });
 *   feed.subscribe(["AAPL"]);
 *   await feed.start(); // the first bar goes out now; advance `clock` for the rest
 *   return feed;
 * }
 * ```
 */
export class ReplayFeed implements FeedSource {
  readonly #subscribed: Uint8Array;
  #state: "idle" | "running" | "stopped" = "idle";
  #sources: ReplaySource[] = [];
  #loop: Promise<void> | undefined;
  #timer: TimerId | undefined;
  #merge: MergedStream | undefined;
  /** True while playback waits on the clock, has ended, or is not running. */
  #parked = true;
  #settledWaiters: Array<() => void> = [];
  #batch = 0;
  #originClock = 0;
  #originFeed = 0;
  #ended = false;
  /** Events written to the sink since start. */
  emitted = 0;

  /** Creates the feed; throws on a bad speed or timeframe. Nothing is opened until start(). */
  constructor(readonly ctx: FeedContext, readonly settings: ReplaySettings) {
    if (!Number.isFinite(settings.speed) || settings.speed < 0) {
      throw new RangeError(
        `Cannot replay: 'speed' must be a finite number >= 0, got ${settings.speed}`,
      );
    }
    for (const file of settings.files) {
      if (file.timeframe === undefined) continue;
      try {
        parseTimeframe(file.timeframe);
      } catch (e) {
        throw new RangeError(`Cannot replay ${file.path}: ${(e as Error).message}`);
      }
    }
    this.#subscribed = new Uint8Array(ctx.instruments.size);
  }

  /** Opens every file (throwing naming one that cannot be read) and starts playback. */
  async start(): Promise<void> {
    if (this.#state === "running") return;
    if (this.#state === "stopped") throw new Error("ReplayFeed cannot start again after stop()");
    this.#state = "running";
    this.#parked = false;
    const sources: ReplaySource[] = [];
    try {
      for (const file of this.settings.files) {
        // A line is the replay's frame; its UTF-16 length stands in for bytes (equal for ASCII data).
        const options = { log: this.ctx.log, maxLineChars: this.ctx.maxFrameBytes };
        sources.push(await ReplaySource.open(file, this.ctx.instruments, this.ctx.sink, options));
      }
    } catch (e) {
      for (const s of sources) s.close();
      this.#state = "idle";
      this.#park();
      throw e;
    }
    this.#sources = sources;
    if (this.#state !== "running") {
      for (const s of sources) s.close(); // stop() ran while the files were opening
      return;
    }
    const merge = new MergedStream(sources);
    await merge.read();
    if (this.#state !== "running") return; // stopped while reading ahead; stop() closed the files
    this.ctx.log({
      type: "connected",
      message: `replaying ${sources.length} file(s) at speed ${this.settings.speed}`,
    });
    this.#originClock = this.ctx.clock.nowMicros();
    this.#originFeed = merge.peek()?.at ?? 0;
    this.#merge = merge;
    this.#resume();
  }

  /** Subscribes symbols known to the instrument table; unknown ones are reported and ignored. */
  subscribe(symbols: readonly string[]): void {
    for (const s of symbols) {
      const inst = this.ctx.instruments.get(s);
      if (inst === undefined) {
        this.ctx.log({ type: "venue_error", message: `unknown symbol ${s}` });
        continue;
      }
      this.#subscribed[inst.index] = 1;
    }
    this.ctx.log({ type: "subscribed", message: this.subscribed().join(",") });
  }

  /** Stops output for `symbols`; their rows are still read (and paced) but not emitted. */
  unsubscribe(symbols: readonly string[]): void {
    for (const s of symbols) {
      const inst = this.ctx.instruments.get(s);
      if (inst !== undefined) this.#subscribed[inst.index] = 0;
    }
  }

  /** Symbols currently subscribed, in instrument order. */
  subscribed(): readonly string[] {
    return this.ctx.instruments.list().filter((i) => this.#subscribed[i.index] === 1).map((i) =>
      i.symbol
    );
  }

  /**
   * Resolves once playback is waiting on the clock for its next event, has ended, or is not
   * running: the point where a SimClock driver (a test or backtest) may advance time.
   */
  settled(): Promise<void> {
    if (this.#parked) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  /** Stops playback, cancels its timer and closes the files. */
  async stop(): Promise<void> {
    if (this.#state === "stopped") return;
    this.#state = "stopped";
    if (this.#timer !== undefined) this.ctx.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await this.#loop;
    for (const s of this.#sources) s.close();
    this.#park();
  }

  /** Runs playback until it must wait for the clock (a timer calls this again) or has ended. */
  #resume(): void {
    this.#parked = false;
    this.#loop = this.#run().catch((e) => {
      this.ctx.log({ type: "error", message: `replay stopped: ${(e as Error).message}` });
      this.#park();
    });
  }

  async #run(): Promise<void> {
    const merge = this.#merge!;
    for (;;) {
      if (this.#state !== "running") return;
      // The pump runs synchronously inside the timer callback, so a SimClock advanced past several
      // events fires each at its own due time; only a dry read-ahead makes playback wait on disk.
      const next = this.#pump(merge);
      this.#flush();
      if (next === "read") {
        await merge.read();
        continue;
      }
      if (next === "end" && !this.#ended) {
        this.#ended = true;
        this.ctx.log({ type: "ended", message: `replay of ${this.#sources.length} file(s) ended` });
      }
      this.#park();
      return;
    }
  }

  /** Emits every buffered event due by now; says what playback waits for next. */
  #pump(merge: MergedStream): "read" | "timer" | "end" {
    const clock = this.ctx.clock;
    const speed = this.settings.speed;
    for (;;) {
      if (merge.needsRead) return "read";
      const ev = merge.peek();
      if (ev === undefined) return "end";
      const now = clock.nowMicros();
      if (speed > 0) {
        // Ceil: an event may go out late by a timer's granularity, never early.
        const due = this.#originClock + Math.ceil((ev.at - this.#originFeed) / speed);
        if (due > now) {
          this.#timer = clock.setTimer((due - now) / 1000, () => {
            this.#timer = undefined;
            this.#resume();
          });
          return "timer";
        }
      }
      if (this.#subscribed[ev.inst] === 1) {
        this.#emit(ev, now);
        if (this.#batch >= MAX_BATCH) this.#flush();
      }
      merge.shift();
    }
  }

  #emit(ev: ReplayEvent, recv: number): void {
    const sink = this.ctx.sink;
    switch (ev.kind) {
      case EventKind.Trade:
        // Recorded rows carry no trade id or aggressor side: 0 = unknown for both.
        sink.trade(ev.inst, ev.price, ev.size, 0, 0, ev.ts, recv);
        break;
      case EventKind.Quote:
        sink.quote(ev.inst, ev.bidPx, ev.bidSz, ev.askPx, ev.askSz, ev.ts, recv);
        break;
      case EventKind.Bar:
        sink.bar(
          ev.inst,
          ev.tfMicros,
          ev.ts,
          ev.open,
          ev.high,
          ev.low,
          ev.close,
          ev.volume,
          ev.vwap,
          ev.count,
          recv,
        );
        break;
    }
    this.#batch++;
    this.emitted++;
  }

  #flush(): void {
    if (this.#batch === 0) return;
    this.#batch = 0;
    this.ctx.sink.flush();
  }

  #park(): void {
    this.#parked = true;
    const waiters = this.#settledWaiters;
    this.#settledWaiters = [];
    for (const w of waiters) w();
  }
}

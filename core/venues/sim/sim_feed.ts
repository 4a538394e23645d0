/**
 * The simulated venue's market-data feed: every `frame_interval_ms` of clock time it asks the
 * SimMarket for the events now due and decodes the frame into the sink, exactly as an Alpaca
 * frame from a WebSocket would be.
 */
import type { TimerId } from "../../clock/clock.ts";
import { AlpacaFrameDecoder } from "../alpaca/decode.ts";
import type { FeedContext, FeedSource } from "../venue.ts";
import { type SimFeedSettings, SimMarket } from "./sim_market.ts";

// Frames stay well under V8's large-object threshold (~128 KB): a larger frame string is
// allocated straight into old space, and at 1,000 symbols that alone grew the worker's heap by
// tens of MB between full GCs. 200 events are ~500 messages, ~65 KB.
const MAX_EVENTS_PER_FRAME = 200;

/** FeedSource over a SimMarket. */
export class SimFeed implements FeedSource {
  readonly market: SimMarket;
  readonly #decoder: AlpacaFrameDecoder;
  readonly #subscribed = new Set<string>();
  #timer: TimerId | undefined;
  /** Frames emitted since start. */
  frames = 0;

  /** Creates the feed; the market starts at the clock's current time. */
  constructor(readonly ctx: FeedContext, readonly settings: SimFeedSettings) {
    this.market = new SimMarket(ctx.instruments, settings, ctx.clock.nowMicros());
    this.#decoder = new AlpacaFrameDecoder(ctx.instruments, ctx.sink, () => {}, ctx.maxFrameBytes);
    for (const inst of ctx.instruments.list()) this.market.setEnabled(inst.symbol, false);
  }

  /** Starts emitting frames on the clock. */
  start(): Promise<void> {
    if (this.#timer === undefined) {
      this.#timer = this.ctx.clock.setInterval(this.settings.frame_interval_ms, () => this.pump());
      this.ctx.log({ type: "connected", message: "sim feed started" });
    }
    return Promise.resolve();
  }

  /** Emits every event due by the clock's current time (called by the timer; tests may call it). */
  pump(): void {
    const now = this.ctx.clock.nowMicros();
    for (;;) {
      const frame = this.market.frameUntil(now, MAX_EVENTS_PER_FRAME);
      if (frame === "") {
        // Still flush: a frame of only disabled symbols advanced the market without output.
        if (this.market.nextEventTime() > now) return;
        continue;
      }
      this.frames++;
      this.#decoder.decode(frame, now);
    }
  }

  /** Subscribes symbols known to the instrument table; unknown ones are reported and ignored. */
  subscribe(symbols: readonly string[]): void {
    for (const s of symbols) {
      if (this.ctx.instruments.get(s) === undefined) {
        this.ctx.log({ type: "venue_error", message: `unknown symbol ${s}` });
        continue;
      }
      this.#subscribed.add(s);
      this.market.setEnabled(s, true);
    }
    const list = [...this.#subscribed];
    // thousands of symbols must not make one log line of tens of KB
    const shown = list.length > 10
      ? `${list.slice(0, 10).join(",")},… (${list.length} symbols)`
      : list.join(",");
    this.ctx.log({ type: "subscribed", message: shown });
  }

  /** Stops output for `symbols`. */
  unsubscribe(symbols: readonly string[]): void {
    for (const s of symbols) {
      this.#subscribed.delete(s);
      this.market.setEnabled(s, false);
    }
  }

  /** Symbols currently subscribed. */
  subscribed(): readonly string[] {
    return [...this.#subscribed];
  }

  /** Stops the frame timer. */
  stop(): Promise<void> {
    if (this.#timer !== undefined) this.ctx.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    return Promise.resolve();
  }
}

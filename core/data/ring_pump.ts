/**
 * Moves records from the feed ring into the MarketEngine on the engine thread. While records keep
 * coming it spins on the ring for up to `sliceMicros`, then yields one event-loop turn (HTTP,
 * timers) and spins again: an event-loop yield per record would add tens of µs to the tail, a
 * slice bounds the yield cost to one per slice. After `spinMicros` with nothing new it sleeps on
 * the ring's wake word, so an idle feed costs no CPU.
 */
import type { Clock } from "../clock/clock.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import { timeframeLabel } from "./timeframe.ts";
import type { MarketEngine } from "./market_engine.ts";
import type { RingReader } from "./ring_buffer.ts";
import { Ctl, RecordFlag, RecordKind } from "./ring_layout.ts";

/** Decodes ring records into MarketEngine calls. */
export class RecordApplier {
  // A BAR record is followed by its BAR_EXT record; the first half waits here.
  #bar = new Float64Array(8);
  #barInst = -1;
  /** Records of an unknown kind or for an unknown instrument (a producer bug, counted not thrown). */
  badRecords = 0;

  /** Binds to the engine the records are applied to. */
  constructor(readonly engine: MarketEngine, readonly instruments: InstrumentTable) {}

  /** Applies record `rec` of the ring views. */
  readonly apply = (f64: Float64Array, u32: Uint32Array, rec: number): void => {
    const w = rec * 16;
    const word = u32[w]!;
    const kind = word & 0xff;
    const flags = (word >>> 8) & 0xff;
    const inst = u32[w + 1]!;
    const s = rec * 8;
    if (inst >= this.instruments.size) {
      this.badRecords++;
      return;
    }
    const e = this.engine;
    switch (kind) {
      case RecordKind.Trade:
        e.onTrade(
          inst,
          f64[s + 3]!,
          f64[s + 4]!,
          f64[s + 5]!,
          f64[s + 6]!,
          f64[s + 1]!,
          f64[s + 2]!,
        );
        return;
      case RecordKind.Quote:
        e.onQuote(
          inst,
          f64[s + 3]!,
          f64[s + 4]!,
          f64[s + 5]!,
          f64[s + 6]!,
          f64[s + 1]!,
          f64[s + 2]!,
        );
        return;
      case RecordKind.BookLevel:
        e.onBookLevel(
          inst,
          flags & RecordFlag.Ask ? 1 : 0,
          f64[s + 3]!,
          f64[s + 4]!,
          (flags & RecordFlag.Reset) !== 0,
          (flags & RecordFlag.End) !== 0,
          f64[s + 1]!,
          f64[s + 2]!,
        );
        return;
      case RecordKind.Bar:
        this.#bar.set(f64.subarray(s, s + 8));
        this.#barInst = inst;
        return;
      case RecordKind.BarExt: {
        if (this.#barInst !== inst) {
          this.badRecords++;
          return;
        }
        const b = this.#bar;
        const tf = f64[s + 5]!;
        const start = f64[s + 6]!;
        e.onVenueBar(inst, {
          symbol: this.instruments.at(inst).symbol,
          timeframe: timeframeLabel(tf),
          start,
          end: start + tf,
          open: b[3]!,
          high: b[4]!,
          low: b[5]!,
          close: b[6]!,
          volume: b[7]!,
          vwap: f64[s + 3]!,
          tradeCount: f64[s + 4]!,
          empty: false,
          source: "venue",
          venueTime: start + tf,
          recvTime: b[2]!,
        });
        this.#barInst = -1;
        return;
      }
      default:
        this.badRecords++;
    }
  };
}

/** Called for each ring record: the record index into the shared views. */
export type RecordHandler = (f64: Float64Array, u32: Uint32Array, rec: number) => void;

/** Drives a RingReader into a record handler (normally RecordApplier.apply) until stopped. */
export class RingPump {
  #running = false;
  #stopped: Promise<void> | undefined;
  /** Records applied since start. */
  applied = 0;

  /**
   * @param batch most records applied per event-loop turn, so HTTP and timers stay responsive
   * @param spinMicros how long to keep polling after the ring empties before sleeping
   */
  /**
   * @param batch most records applied per drain call
   * @param spinMicros how long to keep polling after the ring empties before sleeping
   * @param sliceMicros longest stretch of polling before yielding to the event loop
   */
  constructor(
    readonly reader: RingReader,
    readonly apply: RecordHandler,
    readonly clock: Clock,
    readonly batch = 4096,
    readonly spinMicros = 200,
    readonly sliceMicros = 1000,
  ) {}

  /** Starts pumping on the current thread's event loop. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopped = this.#loop();
  }

  /** Stops after the current batch; resolves when the loop has exited. */
  async stop(): Promise<void> {
    this.#running = false;
    Atomics.notify(this.reader.ctl, Ctl.Wake); // wake a sleeping waitForData at once
    await this.#stopped;
  }

  /** Applies everything currently in the ring (tests and shutdown). */
  drainAll(): number {
    let total = 0;
    for (let n = 1; n > 0;) {
      n = this.reader.drain(this.batch, this.apply);
      total += n;
    }
    this.applied += total;
    return total;
  }

  async #loop(): Promise<void> {
    const clock = this.clock, reader = this.reader;
    let idleSince = -1;
    while (this.#running) {
      const sliceEnd = clock.nowMicros() + this.sliceMicros;
      let sleep = false;
      for (;;) {
        const n = reader.drain(this.batch, this.apply);
        this.applied += n;
        const now = clock.nowMicros();
        if (n > 0) idleSince = -1;
        else if (idleSince < 0) idleSince = now;
        else if (now - idleSince > this.spinMicros) {
          sleep = true;
          break;
        }
        if (now >= sliceEnd) break;
      }
      if (sleep) {
        await reader.waitForData(250);
        idleSince = -1;
      } else {
        await new Promise<void>((resolve) => clock.immediate(resolve));
      }
    }
  }
}

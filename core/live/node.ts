/**
 * The live node: wires clock, bus, market engine, feed worker, ring pump, KV and HTTP into one
 * process, and stops them in order. The engine state lives on this (main) thread; the feed worker
 * reaches it only through the ring.
 */
import type { Config } from "../../schemas/config.ts";
import { Bus } from "../bus/bus.ts";
import type { Clock, TimerId } from "../clock/clock.ts";
import type { FromFeedWorker, ToFeedWorker } from "../data/feed_protocol.ts";
import { MarketEngine } from "../data/market_engine.ts";
import { RingReader } from "../data/ring_buffer.ts";
import { allocateRing, Ctl, type RingBuffers } from "../data/ring_layout.ts";
import { RecordApplier, RingPump } from "../data/ring_pump.ts";
import { parseTimeframe } from "../data/timeframe.ts";
import { InstrumentTable } from "../domain/instrument.ts";
import type { Heartbeat } from "../domain/market_events.ts";
import { appliedConfigKey, statusKey } from "../store/keys.ts";
import { lockDataDir } from "../store/data_dir_lock.ts";
import { openStore } from "../store/kv_store.ts";
import { replayVenue } from "../venues/replay/mod.ts";
import { simVenue } from "../venues/sim/mod.ts";
import { alpacaVenue } from "../venues/alpaca/mod.ts";
import type { Secrets } from "./config.ts";
import { startTrading, type Trading } from "./trading_setup.ts";
import { FeedRecorder } from "./feed_recorder.ts";
import { alpacaTradingVenue, simTradingVenue, type TradingVenue } from "./trading_venues.ts";
import type { Venue } from "../venues/venue.ts";

/** Lifecycle of the feed as /health reports it. */
export type FeedState = "starting" | "running" | "ended" | "failed" | "stopped";

/** What a LiveNode needs from its host process. */
export interface LiveNodeOptions {
  readonly config: Config;
  /** Broker keys (from the environment); never logged or stored. */
  readonly secrets?: Secrets;
  readonly clock: Clock;
  /** One line of log output. */
  readonly log: (line: string) => void;
}

const BAR_TICK_MS = 50;

/** Builds the venue named by the config. */
export function venueFor(config: Config, secrets: Secrets = {}): Venue {
  switch (config.venue) {
    case "replay":
      return replayVenue(config.replay);
    case "alpaca-paper":
    case "alpaca-live":
      if (secrets.alpaca === undefined) {
        throw new RangeError(`venue ${config.venue} needs Alpaca keys`);
      }
      return alpacaVenue(config.venue, config.alpaca, secrets.alpaca);
    default:
      return simVenue(config.sim);
  }
}

/** A running core process. */
export class LiveNode {
  readonly bus = new Bus();
  readonly instruments: InstrumentTable;
  readonly engine: MarketEngine;
  readonly venue: Venue;
  readonly ring: RingBuffers;
  readonly reader: RingReader;
  readonly applier: RecordApplier;
  readonly pump: RingPump;
  readonly startedAt: number;
  state: "starting" | "running" | "stopping" | "stopped" = "starting";
  feedState: FeedState = "starting";
  feedErrors = 0;
  kvErrors = 0;
  /** The trading loop (sim venue); undefined for a data-only venue such as replay. */
  trading: Trading | undefined;
  /** Records the feed when `record_path` is set. */
  recorder: FeedRecorder | undefined;
  #worker: Worker | undefined;
  #kv: Deno.Kv | undefined;
  #timers: TimerId[] = [];
  #kvWrites = new Set<Promise<unknown>>();
  #unlock: (() => void) | undefined;
  #stopped: Promise<void> | undefined;

  private constructor(
    readonly config: Config,
    readonly clock: Clock,
    readonly log: (line: string) => void,
    secrets: Secrets,
  ) {
    this.venue = venueFor(config, secrets);
    this.instruments = new InstrumentTable(
      config.symbols,
      this.venue.instrumentVenue,
      config.instruments,
    );
    this.engine = new MarketEngine(this.instruments, this.bus, {
      timeframes: config.bars.timeframes.map(parseTimeframe),
      emptyBars: config.bars.empty,
      barHistory: config.bars.history,
      maxBookLevels: config.book.max_levels,
      timeScale: this.venue.timeScale,
      closeGraceMicros: config.bars.close_grace_ms * 1000,
    });
    this.ring = allocateRing(config.ring.capacity);
    this.reader = new RingReader(this.ring);
    this.applier = new RecordApplier(this.engine, this.instruments);
    this.pump = new RingPump(this.reader, this.applier.apply, clock);
    this.startedAt = clock.nowMicros();
    this.bus.onHandlerError = (error, topic) =>
      log(`bus subscriber on ${topic} failed: ${String(error)}`);
  }

  /** Starts every part: KV, engine timers, ring pump, then the feed worker. */
  static async start(options: LiveNodeOptions): Promise<LiveNode> {
    const node = new LiveNode(options.config, options.clock, options.log, options.secrets ?? {});
    node.#unlock = await lockDataDir(options.config.data_dir);
    node.#kv = await openStore(options.config.data_dir);
    // KV values are capped at 64 KiB: a config with thousands of symbols is kept in the log only.
    await node.#kv.set(appliedConfigKey(), options.config).catch((e) =>
      options.log(`applied config not stored in KV: ${e instanceof Error ? e.message : String(e)}`)
    );
    const { config, clock, log } = options;
    const kv = node.#kv;
    let venue: TradingVenue | undefined; // replay: market data only
    if (config.venue === "sim") {
      venue = await simTradingVenue({
        config,
        instruments: node.instruments,
        clock,
        market: node.engine,
        kv,
      });
    } else if (config.venue === "alpaca-paper" || config.venue === "alpaca-live") {
      try {
        venue = await alpacaTradingVenue({
          config,
          secrets: options.secrets ?? {},
          instruments: node.instruments,
          clock,
          kv,
          log,
        });
      } catch (e) {
        // Fail safe: without the broker's trading API the core streams market data and sends nothing.
        log(
          `trading disabled: Alpaca trading API unreachable (${
            e instanceof Error ? e.message : String(e)
          })`,
        );
      }
    }
    if (venue !== undefined) {
      // Restored and reconciled before the feed starts: no strategy sees data before that.
      node.trading = await startTrading({
        config,
        instruments: node.instruments,
        bus: node.bus,
        clock,
        market: node.engine,
        kv,
        log,
        venue,
      });
    }
    if (config.record_path !== undefined) {
      // Started with the strategies, before the feed: the file holds every event they saw.
      node.recorder = await FeedRecorder.start(config.record_path, {
        market: node.engine,
        instruments: node.instruments,
        clock,
        log,
      }, node.trading?.warmupBars);
      log(`recording the feed to ${config.record_path}`);
    }
    node.pump.start();
    node.#timers.push(
      node.clock.setInterval(BAR_TICK_MS, () => node.engine.onTime(node.clock.nowMicros())),
    );
    node.#timers.push(node.clock.setInterval(1000, () => node.#heartbeat()));
    node.#startWorker();
    node.state = "running";
    return node;
  }

  /** Uptime in seconds. */
  uptimeSeconds(): number {
    return (this.clock.nowMicros() - this.startedAt) / 1e6;
  }

  /** Symbols whose last update is older than the stale threshold. */
  staleSymbols(): string[] {
    return this.engine.staleSymbols(
      this.clock.nowMicros(),
      this.config.stale_after_s * 1e6,
      this.startedAt,
    );
  }

  /** Ring drops of all kinds. */
  ringDropped(): number {
    return this.reader.counter(Ctl.DroppedTrades) + this.reader.counter(Ctl.DroppedBook) +
      this.reader.counter(Ctl.DroppedOther);
  }

  /** Builds the heartbeat message (also used by the summary log). */
  heartbeat(): Heartbeat {
    let decodeErrors = 0;
    for (let i = 0; i < 8; i++) decodeErrors += this.reader.counter(Ctl.DecodeErrorsBase + i);
    return {
      time: this.clock.nowMicros(),
      uptimeSeconds: this.uptimeSeconds(),
      venue: this.venue.name,
      messagesIn: this.engine.messagesIn,
      ringOccupancy: this.reader.occupancy(),
      ringDropped: this.ringDropped(),
      ringConflated: this.reader.counter(Ctl.ConflatedQuotes),
      decodeErrors,
      stale: this.staleSymbols(),
    };
  }

  /** Stops the feed, the pump, timers and KV; safe to call more than once. */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.state = "stopping";
    for (const t of this.#timers) this.clock.clearTimer(t);
    this.#timers = [];
    await this.#stopWorker();
    await this.pump.stop();
    this.pump.drainAll();
    await this.recorder?.stop();
    await this.trading?.stop();
    await Promise.allSettled([...this.#kvWrites]);
    this.#kv?.close();
    this.#kv = undefined;
    this.#unlock?.();
    if (this.feedState !== "failed" && this.feedState !== "ended") this.feedState = "stopped";
    this.state = "stopped";
  }

  #startWorker(): void {
    const worker = new Worker(new URL("../data/feed_worker.ts", import.meta.url).href, {
      type: "module",
    });
    this.#worker = worker;
    worker.onmessage = (e: MessageEvent<FromFeedWorker>) => this.#onWorkerMessage(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.feedErrors++;
      this.feedState = "failed";
      this.log(`feed worker failed: ${e.message}`);
    };
    const start: ToFeedWorker = {
      type: "start",
      spec: this.venue.feed,
      symbols: this.config.symbols,
      venue: this.venue.instrumentVenue,
      overrides: this.config.instruments,
      ring: this.ring,
      fullWaitMs: this.config.ring.full_wait_ms,
      maxFrameBytes: this.config.max_frame_bytes,
    };
    worker.postMessage(start);
  }

  #workerStopped: (() => void) | undefined;

  #onWorkerMessage(msg: FromFeedWorker): void {
    switch (msg.type) {
      case "started":
        if (this.feedState === "starting") this.feedState = "running";
        return;
      case "feed_event":
        if (msg.event.type === "ended") this.feedState = "ended";
        if (msg.event.type === "venue_error" || msg.event.type === "error") this.feedErrors++;
        this.log(`feed ${msg.event.type}: ${msg.event.message}`);
        return;
      case "fatal":
        this.feedErrors++;
        this.log(`feed error: ${msg.message}`);
        return;
      case "stopped":
        this.#workerStopped?.();
        return;
    }
  }

  async #stopWorker(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    const stopped = new Promise<void>((resolve) => {
      this.#workerStopped = resolve;
      this.clock.setTimer(300, resolve);
    });
    worker.postMessage({ type: "stop" } satisfies ToFeedWorker);
    await stopped;
    worker.terminate();
  }

  #heartbeat(): void {
    const hb = this.heartbeat();
    this.bus.publish("system.heartbeat", hb);
    const kv = this.#kv;
    if (kv === undefined) return;
    if (this.trading !== undefined) {
      this.trading.tick();
      const snap = this.trading.snapshot().catch((e) => {
        this.kvErrors++;
        this.log(`KV portfolio write failed: ${String(e)}`);
      }).finally(() => this.#kvWrites.delete(snap));
      this.#kvWrites.add(snap);
    }
    const write = kv.set(statusKey(), { ...hb, stale: [...hb.stale], feed: this.feedState })
      .catch((e) => {
        this.kvErrors++;
        this.log(`KV status write failed: ${String(e)}`);
      })
      .finally(() => this.#kvWrites.delete(write));
    this.#kvWrites.add(write);
  }
}

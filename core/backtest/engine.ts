/**
 * The backtest engine: the core's own kernel (strategy host, slippage and pre-trade risk, order
 * router with its rate limiter, order state, portfolio) on a SimClock, over the backtest venue.
 * Nothing is re-implemented here; this file only drives time and market data.
 *
 * For each event, in time order: the clock moves to the event's time; the venue fills working
 * orders from it (a bar's open comes before its close, so orders placed on earlier bars fill
 * first); the kernel applies those fills; then the market engine takes the event and the
 * strategies see it. A strategy can only read bars that have closed: a bar event arrives at its
 * close, and the context serves closed bars only. Events before `from` only build the market's
 * history, on which strategies warm up when trading starts, as they do live on the venue's.
 */
import { Bus } from "../bus/bus.ts";
import { SimClock } from "../clock/sim_clock.ts";
import { MarketEngine } from "../data/market_engine.ts";
import { timeframeLabel } from "../data/timeframe.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import { type Cash, cashToNumber } from "../domain/money.ts";
import type { Fill } from "../domain/order.ts";
import { SeededRng } from "../domain/seeded_rng.ts";
import { RunOrderIds } from "../execution/client_order_ids.ts";
import { OrderRouter } from "../execution/order_router.ts";
import { RateLimiter } from "../execution/rate_limiter.ts";
import { StrategyHost } from "../kernel/strategy_host.ts";
import { TradingKernel } from "../kernel/trading_kernel.ts";
import { resolveRiskLimits } from "../risk/limits.ts";
import type { Strategy } from "../strategy/strategy.ts";
import { EventKind, type ReplayEvent } from "../venues/replay/replay_event.ts";
import { riskConfigSchema } from "../../schemas/risk.ts";
import { type BacktestFees, type BacktestSettings, BacktestVenue } from "./backtest_venue.ts";
import { DailyLedger } from "./daily_ledger.ts";
import type { EventStream } from "./event_stream.ts";
import { type LoggedOrder, loggedOrder, RunLog } from "./run_log.ts";

/** The strategy threw while starting (onStart): the run is refused, not played empty. */
export class StrategyStartError extends Error {
  /** `message` is the strategy's own. */
  constructor(message: string) {
    super(message);
    this.name = "StrategyStartError";
  }
}

/** How a backtest trades. */
export interface BacktestEngineOptions {
  readonly instruments: InstrumentTable;
  readonly strategies: readonly Strategy[];
  readonly startingCash: Cash;
  /** Seeds the router's retry jitter (the only randomness in the loop). */
  readonly seed: number;
  /** Fill rules and venue latency. */
  readonly venue?: BacktestSettings;
  readonly fees?: BacktestFees;
  /** Pre-trade risk config (schemas/risk.ts input); defaults as in live. */
  readonly risk?: unknown;
  /** Slippage guard and request budget, as in live. */
  readonly execution?: {
    readonly maxSlippageBps?: number;
    readonly maxSpreadBps?: number;
    readonly ratePerMinute?: number;
    readonly burst?: number;
    readonly maxQueue?: number;
  };
  /** Bar timeframes built from trades (µs); bar files bring their own. */
  readonly timeframes?: readonly number[];
  readonly emptyBars?: "flat" | "skip";
  readonly closeGraceMicros?: number;
  /** Only events at or after this time (µs) are traded on; earlier ones build history (warm-up). */
  readonly from?: number;
  /** Only events before this time (µs). */
  readonly to?: number;
  /** Called every `progressEvery` events with the count and the event time. */
  readonly onProgress?: (events: number, at: number) => void;
  readonly progressEvery?: number;
  readonly log?: (line: string) => void;
  /**
   * Finished orders and fills the kernel holds as objects, the newest (default 64); the run log
   * keeps every one. Tests set it low to prove results do not depend on it.
   */
  readonly keepFinished?: number;
}

// Few enough that a finished order's objects die young (before the collector promotes them),
// enough that a trim (a pass over the held ones) stays rare.
const KEEP_FINISHED = 64;

// Microtask turns an order on the asynchronous path (a retry) may take to reach the venue; one
// still on its way after that waits on simulated time (the rate limiter, a backoff), which the
// next event moves.
const SETTLE_TURNS = 200;

// What the synchronous loop stopped for (see #play).
const END = 0, READ = 1, SETTLE_THEN_MARKET = 2, SETTLE = 3;

/** One backtest run over one event stream. */
export class BacktestEngine {
  readonly clock: SimClock;
  readonly bus = new Bus();
  readonly market: MarketEngine;
  readonly venue: BacktestVenue;
  readonly kernel: TradingKernel;
  readonly host: StrategyHost;
  readonly ledger: DailyLedger;
  /** Orders and fills the kernel no longer holds. */
  readonly runLog: RunLog;
  /** Events traded on. */
  events = 0;
  // First and last traded event's time, in a typed array: as fields (`last = NaN`), each time
  // stored took a fresh heap number, 16 bytes a bar in the heap profile.
  readonly #span = new Float64Array([NaN, NaN]);
  /** Risk and readiness refusals by reason. */
  readonly refusals = new Map<string, number>();
  #started = false;
  readonly #barSymbols: string[];
  /** 1 once an instrument has had a real quote. */
  readonly #quoted: Uint8Array;
  readonly #barLabels = new Map<number, string>();
  #lastTf = NaN;
  #lastLabel = "";
  readonly #from: number;
  readonly #to: number;
  readonly #every: number;
  readonly #onProgress: ((events: number, at: number) => void) | undefined;

  /** Wires the kernel; run() drives it. */
  constructor(readonly options: BacktestEngineOptions) {
    const { instruments } = options;
    const ex = options.execution ?? {};
    this.#from = options.from ?? -Infinity;
    this.#to = options.to ?? Infinity;
    this.#every = options.progressEvery ?? 100_000;
    this.#onProgress = options.onProgress;
    this.clock = new SimClock(0);
    this.market = new MarketEngine(instruments, this.bus, {
      timeframes: options.timeframes ?? [60e6],
      emptyBars: options.emptyBars ?? "flat",
      barHistory: 1000,
      maxBookLevels: 50,
      timeScale: 1,
      closeGraceMicros: options.closeGraceMicros ?? 0,
    });
    this.venue = new BacktestVenue({
      instruments,
      clock: this.clock,
      settings: options.venue,
      fees: options.fees,
      startingCash: options.startingCash,
      keepFinished: options.keepFinished ?? KEEP_FINISHED,
    });
    const limiter = new RateLimiter(this.clock, {
      perMinute: ex.ratePerMinute ?? 200,
      burst: ex.burst ?? 10,
      maxQueue: ex.maxQueue ?? 100,
    });
    const router = new OrderRouter(this.venue, limiter, {
      clock: this.clock,
      rng: new SeededRng(options.seed),
    });
    const log = options.log ?? (() => {});
    const runLog = this.runLog = new RunLog(instruments);
    this.kernel = new TradingKernel({
      instruments,
      bus: this.bus,
      clock: this.clock,
      market: this.market,
      router,
      ids: new RunOrderIds("bt"),
      limits: resolveRiskLimits(riskConfigSchema.parse(options.risk ?? {}), instruments.list()),
      execution: { maxSlippageBps: ex.maxSlippageBps ?? 50, maxSpreadBps: ex.maxSpreadBps ?? 50 },
      startingCash: options.startingCash,
      isMarketOpen: () => true, // the data decides when there is a market
      keepFinished: options.keepFinished ?? KEEP_FINISHED,
      fillsReportedOnce: true,
      onForget: { orders: (o) => runLog.addOrders(o), fills: (f) => runLog.addFills(f) },
      log,
    });
    // A fresh account at a fresh venue: nothing to restore or reconcile.
    this.kernel.ready = true;
    this.kernel.attach((h) => this.venue.onTradeUpdate(h));
    this.host = new StrategyHost({
      instruments,
      market: this.market,
      bus: this.bus,
      clock: this.clock,
      position: (i) => this.kernel.portfolio.view(i),
      expectedPosition: (i) => this.kernel.expectedPosition(i),
      onSignal: (s) => this.kernel.onSignal(s),
      log,
    }, options.strategies);
    this.kernel.onFill = (f) => this.host.onFill(f);
    this.bus.subscribe("risk.rejected", (r) => {
      const reason = r.reason ?? "unknown";
      this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
    });
    this.ledger = new DailyLedger(instruments, this.kernel, options.startingCash);
    this.#barSymbols = instruments.list().map((i) => i.symbol);
    this.#quoted = new Uint8Array(instruments.size);
  }

  /** Plays `stream` to its end (or `to`); resolves when every report is applied. */
  async run(stream: EventStream): Promise<void> {
    for (;;) {
      const step = this.#play(stream);
      if (step === END) break;
      if (step === READ) {
        await stream.read();
        continue;
      }
      await this.#settle();
      if (step === SETTLE_THEN_MARKET) {
        this.#toStrategies(stream, stream.peek()!);
        if (!this.kernel.idle) await this.#settle();
      }
    }
    await this.#settle();
    this.ledger.close();
    this.host.stop();
  }

  /**
   * Plays events synchronously until the stream needs a read, the kernel has something to wait
   * for (an order held by the rate limiter or a retry), or the data ends; says which. Kept apart
   * from the async run() so the hot loop compiles as a plain loop.
   */
  #play(stream: EventStream): number {
    const from = this.#from, to = this.#to, kernel = this.kernel, clock = this.clock;
    for (;;) {
      if (stream.needsRead) return READ;
      const ev = stream.peek();
      if (ev === undefined) return END;
      // A bar belongs to the window by its start (its day), a trade or quote by its time.
      const t = ev.kind === EventKind.Bar ? ev.ts : ev.at;
      if (t >= to) return END;
      if (t < from) {
        // Before the window: history only, as the live node loads it before strategies start;
        // they warm up on it at the first traded event (Strategy.warmup) and trade from `from`.
        this.#toMarket(stream, ev, false);
        stream.shift();
        continue;
      }
      if (!this.#started) this.#start(ev.at, t);
      if (ev.at > clock.nowMicros()) clock.advanceTo(ev.at);
      this.ledger.onEvent(t, clock.nowMicros());
      this.#toVenue(ev);
      // Fills of this event reach the portfolio before any strategy sees the event. The backtest
      // venue answers within the call, so the kernel is idle here unless an order waits on the
      // rate limiter or a retry.
      if (!kernel.idle) return SETTLE_THEN_MARKET;
      this.#toStrategies(stream, ev);
      if (!kernel.idle) return SETTLE;
    }
  }

  /** The event to the market engine and the strategies, then the next one. */
  #toStrategies(stream: EventStream, ev: ReplayEvent): void {
    this.#toMarket(stream, ev, true);
    this.#span[1] = ev.kind === EventKind.Bar ? ev.ts : ev.at;
    this.events++;
    const at = ev.at; // the slot is reused by shift()
    stream.shift();
    if (this.#onProgress !== undefined && this.events % this.#every === 0) {
      this.#onProgress(this.events, at);
    }
  }

  /** Time of the first event traded on (a bar's start), µs; NaN before it. */
  get first(): number {
    return this.#span[0]!;
  }

  /** Time of the last event traded on (a bar's start), µs; NaN before the first. */
  get last(): number {
    return this.#span[1]!;
  }

  /** Every order of the run, oldest first: those logged, then those the kernel holds. */
  orders(): LoggedOrder[] {
    const all = this.runLog.orders();
    for (const o of this.kernel.orders.held()) all.push(loggedOrder(o));
    // A finished order is logged before an older one still working: back to submission order.
    return all.sort((a, b) => a.seq - b.seq);
  }

  /** Every fill of the run, in the order applied. */
  fills(): Fill[] {
    const all = this.runLog.fills();
    for (const f of this.kernel.fills) all.push(f);
    return all;
  }

  /** Account equity now, in account currency (reporting only). */
  equity(): number {
    return cashToNumber(this.kernel.portfolio.equity);
  }

  #start(at: number, t: number): void {
    this.#started = true;
    this.#span[0] = t;
    this.clock.advanceTo(at);
    this.kernel.portfolio.startSession(at);
    this.host.start();
    // Live, a failing strategy is counted and the rest trade on; a backtest whose strategy cannot
    // even start (a qty the instrument cannot hold) would only produce an empty report.
    if (this.host.errors > 0) throw new StrategyStartError(this.host.lastError);
  }

  #toVenue(ev: ReplayEvent): void {
    const i = ev.inst;
    if (!this.venue.hasWorking(i)) return;
    switch (ev.kind) {
      case EventKind.Bar:
        return this.venue.onBar(i, ev.open, ev.high, ev.low, ev.close, ev.volume, ev.ts, ev.at);
      case EventKind.Quote:
        return this.venue.onQuote(i, ev.bidPx, ev.bidSz, ev.askPx, ev.askSz, ev.at);
      case EventKind.Trade:
        return this.venue.onTrade(i, ev.price, ev.size, ev.at);
    }
  }

  /** The event to the market engine; `mark`: and to the daily ledger's prices (traded events). */
  #toMarket(stream: EventStream, ev: ReplayEvent, mark: boolean): void {
    const m = this.market, i = ev.inst, at = ev.at;
    switch (ev.kind) {
      case EventKind.Bar: {
        // Bars carry no spread: at the close, the slippage guard and the mark see a zero-spread
        // quote at the close price. Spread costs come from the venue's slippage model.
        m.quoteBid[i] = ev.close;
        m.quoteAsk[i] = ev.close;
        m.lastTradePrice[i] = ev.close;
        if (mark) this.ledger.price(i, ev.close);
        const symbol = this.#barSymbols[i]!;
        if (stream.bar !== undefined) {
          m.onVenueBar(i, stream.bar(symbol, this.#label(ev.tfMicros)));
          return;
        }
        m.onVenueBar(i, {
          symbol,
          timeframe: this.#label(ev.tfMicros),
          start: ev.ts,
          end: at,
          open: ev.open,
          high: ev.high,
          low: ev.low,
          close: ev.close,
          volume: ev.volume,
          vwap: ev.vwap,
          tradeCount: ev.count,
          empty: false,
          source: "venue",
          venueTime: at,
          recvTime: at,
        });
        return;
      }
      case EventKind.Quote:
        m.onTime(at);
        this.#quoted[i] = 1;
        m.onQuote(i, ev.bidPx, ev.bidSz, ev.askPx, ev.askSz, at, at);
        if (mark) this.ledger.price(i, Math.round((ev.bidPx + ev.askPx) / 2));
        return;
      case EventKind.Trade:
        m.onTime(at);
        // Trades without quotes (a trades-only file): like a bar's close, the last print is a
        // zero-spread quote for the slippage guard. Real quotes, once seen, take over.
        if (this.#quoted[i] === 0) {
          m.quoteBid[i] = ev.price;
          m.quoteAsk[i] = ev.price;
        }
        m.onTrade(i, ev.price, ev.size, 0, 0, at, at);
        if (mark) this.ledger.price(i, ev.price);
        return;
    }
  }

  #label(tf: number): string {
    if (tf === this.#lastTf) return this.#lastLabel;
    let l = this.#barLabels.get(tf);
    if (l === undefined) this.#barLabels.set(tf, l = timeframeLabel(tf));
    this.#lastTf = tf;
    this.#lastLabel = l;
    return l;
  }

  /** Lets submitted orders reach the venue and queued reports reach the portfolio. */
  async #settle(): Promise<void> {
    for (let t = 0; t < SETTLE_TURNS && !this.kernel.idle; t++) await null;
    await this.kernel.settled();
  }
}

// Builds a whole in-process trading loop on a SimClock: market engine, sim venue over the matching
// engine, router, risk, kernel and strategy host. Real components throughout; only time is simulated.
import { Bus } from "../../../core/bus/bus.ts";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { MarketEngine } from "../../../core/data/market_engine.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { parseCash } from "../../../core/domain/money.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { ClientOrderIds } from "../../../core/execution/client_order_ids.ts";
import { OrderRouter } from "../../../core/execution/order_router.ts";
import { RateLimiter } from "../../../core/execution/rate_limiter.ts";
import { reconcileWithVenue, restoreFromJournal } from "../../../core/kernel/recovery.ts";
import { StrategyHost } from "../../../core/kernel/strategy_host.ts";
import { TradingKernel } from "../../../core/kernel/trading_kernel.ts";
import { MatchingEngine } from "../../../core/matching/matching_engine.ts";
import { resolveRiskLimits } from "../../../core/risk/limits.ts";
import { CheckpointStore } from "../../../core/store/checkpoint_store.ts";
import { Journal, type JournalEntry } from "../../../core/store/journal.ts";
import type { Strategy } from "../../../core/strategy/strategy.ts";
import { SimTrading } from "../../../core/venues/sim/sim_trading.ts";
import { riskConfigSchema } from "../../../schemas/risk.ts";

import { buy, T0 } from "./_signals.ts";
export { T0 };
let runs = 0; // each harness is a new "process": its venue ids must not repeat earlier runs' ids

/** Options for one harness. */
export interface HarnessOptions {
  kv?: Deno.Kv;
  risk?: unknown;
  strategies?: Strategy[];
  latencyMs?: number;
  onJournal?: (entry: JournalEntry) => void;
  /** Awaited before each journal write: a test holds writes (a slow disk) with it. */
  beforeJournal?: (entry: JournalEntry) => Promise<void>;
  /** The venue's report stream health (default: always up). */
  venueReady?: () => boolean;
  /** As live: adopt orders first seen in a venue report (default: off, as in backtests). */
  adoptUnknownOrders?: boolean;
  /** As live: finished orders and fills held in memory (default: all, as in backtests). */
  keepFinished?: number;
  log?: (line: string) => void;
}

/** A running in-process trading loop. */
// deno-lint-ignore explicit-module-boundary-types -- a test builder: its shape is what it returns
export async function harness(options: HarnessOptions = {}) {
  const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const clock = new SimClock(T0);
  const bus = new Bus();
  const market = new MarketEngine(instruments, bus, {
    timeframes: [1e6, 60e6],
    emptyBars: "flat",
    barHistory: 100,
    maxBookLevels: 100,
    timeScale: 1,
    closeGraceMicros: 0,
  });
  const kv = options.kv ?? await Deno.openKv(":memory:");
  const book = (s: string) => market.books[instruments.get(s)!.index]!;
  const venue = await SimTrading.open({
    instruments,
    clock,
    matching: new MatchingEngine(instruments, { idPrefix: `SIM${++runs}` }),
    book,
    latencyMs: options.latencyMs ?? 5,
    startingCash: parseCash("100000"),
    kv,
  });
  market.addTradeTap((i, price, size) =>
    venue.onMarketTrade(instruments.at(i).symbol, price, size)
  );
  market.addBookTap((i) => venue.onMarketBook(instruments.at(i).symbol));
  const limiter = new RateLimiter(clock, { perMinute: 200, burst: 10, maxQueue: 100 });
  const router = new OrderRouter(venue, limiter, { clock, rng: new SeededRng(1) });
  const journal = await Journal.open(kv);
  const recording = {
    append: (entry: JournalEntry) => {
      // Called in the same turn unless held: the journal numbers entries as append is called.
      const write = () => journal.append(entry).then((seq) => (options.onJournal?.(entry), seq));
      const hold = options.beforeJournal?.(entry);
      return hold === undefined ? write() : hold.then(write);
    },
  };
  const kernel = new TradingKernel({
    instruments,
    bus,
    clock,
    market,
    router,
    ids: new ClientOrderIds(clock, "t"),
    limits: resolveRiskLimits(riskConfigSchema.parse(options.risk ?? {}), instruments.list()),
    execution: { maxSlippageBps: 50, maxSpreadBps: 50 },
    startingCash: parseCash("100000"),
    isMarketOpen: () => true,
    venueReady: options.venueReady,
    adoptUnknownOrders: options.adoptUnknownOrders,
    keepFinished: options.keepFinished,
    journal: recording,
    log: options.log ?? (() => {}),
  });
  kernel.attach((h) => venue.onTradeUpdate(h));
  const host = new StrategyHost({
    instruments,
    market,
    bus,
    clock,
    position: (i) => kernel.portfolio.view(i),
    expectedPosition: (i) => kernel.expectedPosition(i),
    onSignal: (s) => kernel.onSignal(s),
    log: () => {},
  }, options.strategies ?? []);
  kernel.onFill = (f) => host.onFill(f);
  /** Awaits `p` while moving simulated time, so venue latency timers fire. */
  const pump = async <T>(p: Promise<T>): Promise<T> => {
    let done = false;
    p.finally(() => (done = true)).catch(() => {});
    while (!done) {
      clock.advanceBy(1000);
      await new Promise((r) => setTimeout(r, 0));
    }
    return await p;
  };
  const checkpoints = new CheckpointStore(kv);
  await restoreFromJournal(kernel, journal, checkpoints);
  const differences = await pump(reconcileWithVenue(kernel, venue));
  host.start();

  /** Sets a two-sided book for AAPL (ticks of $0.0001) and optionally prints a trade. */
  const quoteAapl = (bid: number, ask: number, size = 500) => {
    const inst = instruments.get("AAPL")!.index;
    market.onBookLevel(inst, 0, bid, size, true, false, clock.nowMicros(), clock.nowMicros());
    market.onBookLevel(inst, 1, ask, size, false, true, clock.nowMicros(), clock.nowMicros());
  };
  /** Advances simulated time in small steps so timers and promise chains interleave. */
  const run = async (ms: number) => {
    const turns = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    };
    for (let t = 0; t < ms; t++) {
      clock.advanceBy(1000);
      await turns();
    }
    await kernel.settled();
    // The venue reports only after its own KV writes, then its latency; a fill then waits for the
    // journal's write. A slow disk outlasts the turns above: go on until it has written all.
    for (let writes = venue.flushed();;) {
      await writes;
      await turns();
      clock.advanceBy((options.latencyMs ?? 5) * 1000 + 1000);
      await turns();
      await kernel.settled();
      if (venue.flushed() === writes) break;
      writes = venue.flushed();
    }
  };
  /**
   * Runs as `run` does, a millisecond of real and simulated time a step, until `done()`: a fill is
   * applied only after its journal write, which a slow disk may hold for longer than fixed turns.
   */
  const until = async (done: () => boolean, what = "the condition") => {
    for (let waited = 0; !done(); waited++) {
      if (waited === 5000) throw new Error(`${what} not met in 5 s`);
      clock.advanceBy(1000);
      await new Promise((r) => setTimeout(r, 1));
      await kernel.settled();
    }
  };
  return {
    instruments,
    clock,
    bus,
    market,
    venue,
    kernel,
    journal,
    checkpoints,
    kv,
    host,
    differences,
    quoteAapl,
    run,
    pump,
    until,
  };
}

/**
 * `n` buy-then-close round trips of 1 AAPL market orders on `h` (a book must be there), each order
 * finished before the next signal: a fill waits for its journal write, which takes real time, so a
 * close sent after a fixed number of turns may find the buy not yet filled on a slow disk.
 */
export async function roundTrips(
  h: Awaited<ReturnType<typeof harness>>,
  n: number,
): Promise<void> {
  const working = new Set(["pending_new", "new", "partially_filled"]);
  for (let i = 0; i < n; i++) {
    for (const s of [buy(1), { ...buy(1), action: "close" as const, qty: 0 }]) {
      h.clock.advanceBy(400_000); // the rate limiter's budget (200 a minute) refills
      const added = h.kernel.orders.added;
      h.kernel.onSignal(s);
      await h.run(4);
      const sent = h.kernel.orders.added > added ? h.kernel.orders.list()[0] : undefined;
      await h.until(() => sent === undefined || !working.has(sent.status), "order finished");
    }
  }
}

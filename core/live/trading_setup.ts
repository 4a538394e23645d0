/**
 * Wires the trading loop into a live node: the simulated venue's trading side over the shared
 * matching engine, the rate-limited router, risk limits, the kernel, the strategies, and the
 * start-up sequence (journal replay → reconcile with the venue → only then strategies start).
 */
import type { Config } from "../../schemas/config.ts";
import type { ReconcileDifference } from "../bus/topics.ts";
import type { Bus } from "../bus/bus.ts";
import type { Clock, TimerId } from "../clock/clock.ts";
import type { MarketEngine } from "../data/market_engine.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Bar } from "../domain/market_events.ts";
import { SeededRng } from "../domain/seeded_rng.ts";
import { ClientOrderIds } from "../execution/client_order_ids.ts";
import { OrderRouter } from "../execution/order_router.ts";
import { RateLimiter } from "../execution/rate_limiter.ts";
import { reconcileWithVenue, restoreFromJournal } from "../kernel/recovery.ts";
import { StrategyHost } from "../kernel/strategy_host.ts";
import { TradingKernel } from "../kernel/trading_kernel.ts";
import { isNewSession, sessionStartMicros } from "../portfolio/session_clock.ts";
import { resolveRiskLimits } from "../risk/limits.ts";
import { CheckpointStore } from "../store/checkpoint_store.ts";
import { Journal } from "../store/journal.ts";
import { killSwitchKey, portfolioKey } from "../store/keys.ts";
import { createStrategy } from "../strategies/registry.ts";
import type { TradingVenue } from "./trading_venues.ts";
import { loadWarmupBars } from "./warmup_bars.ts";
import { withTimeout } from "../clock/with_timeout.ts";
import { ConfigError } from "./config.ts";
import type { TradingClient } from "../execution/trading_client.ts";

/** The running trading loop of a live node. */
export interface Trading {
  readonly kernel: TradingKernel;
  readonly host: StrategyHost;
  readonly venue: TradingClient;
  readonly router: OrderRouter;
  readonly limiter: RateLimiter;
  readonly journal: Journal;
  /** The journal entry the latest checkpoint covers (0 without one). */
  checkpointSeq(): number;
  /** The venue's bars strategies warmed up on before trading (in market history, unpublished). */
  readonly warmupBars: readonly Bar[];
  /** What start-up reconciliation found. */
  readonly reconcile: { state: "ok" | "mismatch"; differences: ReconcileDifference[] };
  /** Session bookkeeping; call every second. */
  tick(): void;
  /** Writes the portfolio snapshot for readers outside the core. */
  snapshot(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds and starts the trading loop over the node's market engine. */
export async function startTrading(deps: {
  readonly config: Config;
  readonly instruments: InstrumentTable;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly market: MarketEngine;
  readonly kv: Deno.Kv;
  readonly log: (line: string) => void;
  /** The venue's trading side (sim or Alpaca). */
  readonly venue: TradingVenue;
}): Promise<Trading> {
  const { config, instruments, bus, clock, market, kv, log } = deps;
  const tv = deps.venue;
  const venue = tv.client;

  const ex = config.execution;
  const limiter = new RateLimiter(clock, {
    perMinute: ex.rate_limit_per_minute,
    burst: ex.rate_limit_burst,
    maxQueue: ex.max_queued_requests,
  });
  const router = new OrderRouter(venue, limiter, { clock, rng: new SeededRng(config.sim.seed) });
  const journal = await Journal.open(kv);
  const gap = {
    /** Reports may have been missed and are not yet recovered. */
    pending: false,
    recovering: false,
    again: false,
    recoveries: 0,
    timer: undefined as TimerId | undefined,
  };
  const kernel = new TradingKernel({
    instruments,
    bus,
    clock,
    market,
    router,
    ids: new ClientOrderIds(clock, ex.client_order_prefix),
    limits: resolveRiskLimits(config.risk, instruments.list()),
    execution: { maxSlippageBps: ex.max_slippage_bps, maxSpreadBps: ex.max_spread_bps },
    startingCash: tv.startingCash,
    isMarketOpen: tv.isMarketOpen,
    // While missed reports are being recovered no order leaves: risk would judge a stale position.
    venueReady: () => tv.ready() && !gap.pending,
    adoptUnknownOrders: true,
    keepFinished: ex.keep_finished_orders,
    journal,
    persistKillSwitch: async (state, reason, since) => {
      await kv.set(killSwitchKey(), { state, reason, since });
    },
    log,
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
    log,
  }, config.strategies.map((s) => createStrategy(s)));
  kernel.onFill = (f) => host.onFill(f);

  const checkpoints = new CheckpointStore(kv);
  const restored = await restoreFromJournal(kernel, journal, checkpoints);
  const now = clock.nowMicros();
  let session = sessionStartMicros("crypto", now); // the sim venue's day starts at 00:00 UTC
  /** A new session `start` (P&L counted from `from`), journaled at `at`; kept on the kernel too, as a checkpoint carries it. */
  const newSession = (start: number, from: number, at: number) => {
    kernel.portfolio.startSession(from);
    kernel.lastSession = { start, equity: kernel.portfolio.equity };
    return journal.append({ type: "session_start", at, ...kernel.lastSession });
  };
  const last = kernel.lastSession;
  if (last !== undefined && last.start === session) {
    kernel.portfolio.startSession(session, last.equity);
  } else {
    await newSession(session, session, now);
  }
  // A checkpoint every `journal.checkpoint_every` entries folds the journal into the kernel's
  // state (core/store/checkpoint_store.ts), off the trading path: taken in the 1 s tick, written
  // asynchronously.
  const checkpointing = {
    busy: false,
    stopped: false,
    seq: restored.checkpoint,
    done: Promise.resolve(),
  };
  const checkpoint = (attempt = 0): void => {
    if (checkpointing.busy || checkpointing.stopped) return;
    if (journal.lastSeq - checkpointing.seq < config.journal.checkpoint_every) return;
    const c = kernel.checkpoint(journal.lastSeq);
    if (c === undefined) {
      // A fill is being journaled (about a millisecond): look again soon, not only next tick, or a
      // steady flow of fills could put checkpoints off indefinitely.
      if (attempt < 50) clock.setTimer(10, () => checkpoint(attempt + 1));
      return;
    }
    checkpointing.busy = true;
    checkpointing.done = checkpoints.write(c).then(
      (deleted) => {
        checkpointing.seq = c.seq;
        log(`journal checkpoint at entry ${c.seq}: ${deleted} entries folded in`);
      },
      (e) => log(`journal checkpoint failed: ${e instanceof Error ? e.message : String(e)}`),
    ).finally(() => (checkpointing.busy = false));
  };
  let differences: ReconcileDifference[];
  try {
    // Orders are held until the venue's reports flow (trade_updates authorized and listening),
    // then state is reconciled; a venue that cannot be reached leaves trading disabled.
    await withTimeout(tv.connected(), 15_000, clock, "the venue's order stream did not connect");
    differences = await reconcileWithVenue(kernel, venue);
  } catch (e) {
    kernel.ready = false;
    const detail = e instanceof Error ? e.message : String(e);
    differences = [{ kind: "venue_unreachable", symbol: "*", detail }];
    log(`trading disabled: ${detail}`);
  }
  const reconcile = { state: kernel.ready ? "ok" as const : "mismatch" as const, differences };

  // After trade_updates reconnects (or a report could not be read), fills and order states
  // missed in the gap are recovered over REST before any new order: the same reconciliation as
  // at start-up. A failure keeps orders held and retries in 5 s.
  const recover = async (): Promise<void> => {
    gap.pending = true;
    if (gap.recovering) {
      gap.again = true;
      return;
    }
    gap.recovering = true;
    try {
      do {
        gap.again = false;
        const found = await reconcileWithVenue(kernel, venue);
        gap.recoveries++;
        reconcile.differences.push(...found);
        reconcile.state = kernel.ready ? "ok" : "mismatch";
        log(
          `trade report gap recovered: ${found.length} differences; trading ${
            kernel.ready ? "on" : "off"
          }`,
        );
      } while (gap.again);
      gap.pending = false;
      kernel.closes.release(); // closes whose orders finished in the gap waited for it to end
    } catch (e) {
      log(
        `trade report gap recovery failed, retrying in 5 s: ${
          e instanceof Error ? e.message : String(e)
        }`,
      );
      if (gap.timer === undefined) {
        gap.timer = clock.setTimer(5_000, () => {
          gap.timer = undefined;
          void recover();
        });
      }
    } finally {
      gap.recovering = false;
    }
  };
  tv.onGap(() => void recover());
  const entries = restored.entries;
  log(
    `trading: ${
      restored.checkpoint > 0 ? `checkpoint at entry ${restored.checkpoint} loaded, ` : ""
    }${entries} journal entr${
      entries === 1 ? "y" : "ies"
    } replayed, ${kernel.orders.added} orders, ${kernel.fillsApplied} fills; ` +
      `reconcile ${reconcile.state} (${differences.length} differences); kill switch ${kernel.risk.killSwitch.state}; ` +
      `${config.strategies.length} strateg${config.strategies.length === 1 ? "y" : "ies"}`,
  );
  // Strategies warm up on the venue's recent bars before they trade (Strategy.warmup).
  const warmBars = await loadWarmupBars({
    strategies: host.strategies,
    instruments,
    market,
    source: tv.history,
    now: clock.nowMicros(),
    capacity: config.bars.history,
    clock,
    log,
  });
  host.start();
  if (warmBars.length > 0 || host.warmups.length > 0) {
    const short = host.warmups.filter((w) => w.fed < w.wanted);
    log(
      `warm-up: ${warmBars.length} bars loaded from the venue; ${
        host.warmups.length - short.length
      } of ${host.warmups.length} strategy symbols ready` +
        short.map((w) => `; ${w.strategy} ${w.symbol} has ${w.fed} of ${w.wanted} ${w.timeframe}`)
          .join(""),
    );
  }
  if (host.errors > 0) {
    // A strategy that cannot start (a qty the instrument cannot hold) would fail on every bar:
    // refuse the config instead of trading without it.
    host.stop();
    throw new ConfigError(
      `Invalid config: a strategy failed to start: ${host.lastError}`,
      "strategies",
    );
  }

  return {
    kernel,
    host,
    venue,
    router,
    limiter,
    journal,
    warmupBars: warmBars,
    checkpointSeq: () => checkpointing.seq,
    reconcile,
    tick() {
      const t = clock.nowMicros();
      if (isNewSession("crypto", session, t)) {
        session = sessionStartMicros("crypto", t);
        void newSession(session, t, t);
        tv.onNewSession();
      }
      tv.tick();
      kernel.checkAutoHalt();
      checkpoint(0);
    },
    async snapshot() {
      const t = kernel.portfolio.totals();
      await kv.set(portfolioKey(), {
        at: clock.nowMicros(),
        totals: t,
        positions: kernel.portfolio.positions(),
      });
    },
    async stop() {
      host.stop();
      await kernel.settled();
      await tv.flushed();
      await journal.flushed();
      checkpointing.stopped = true; // no new one (a retry may be due)
      await checkpointing.done; // cut off, it would be safe but leave its parts behind
      await tv.close();
    },
  };
}

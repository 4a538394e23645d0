/**
 * Wires the trading loop into a live node: the simulated venue's trading side over the shared
 * matching engine, the rate-limited router, risk limits, the kernel, the strategies, and the
 * start-up sequence (journal replay → reconcile with the venue → only then strategies start).
 */
import type { Config } from "../../schemas/config.ts";
import type { ReconcileDifference } from "../bus/topics.ts";
import type { Bus } from "../bus/bus.ts";
import type { Clock } from "../clock/clock.ts";
import type { MarketEngine } from "../data/market_engine.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import { parseCash } from "../domain/money.ts";
import { SeededRng } from "../domain/seeded_rng.ts";
import { ClientOrderIds } from "../execution/client_order_ids.ts";
import { OrderRouter } from "../execution/order_router.ts";
import { RateLimiter } from "../execution/rate_limiter.ts";
import { reconcileWithVenue, restoreFromJournal } from "../kernel/recovery.ts";
import { StrategyHost } from "../kernel/strategy_host.ts";
import { TradingKernel } from "../kernel/trading_kernel.ts";
import { bpsFee } from "../matching/fee_model.ts";
import { MatchingEngine } from "../matching/matching_engine.ts";
import { isNewSession, sessionStartMicros } from "../portfolio/session_clock.ts";
import { resolveRiskLimits } from "../risk/limits.ts";
import { Journal } from "../store/journal.ts";
import { killSwitchKey, portfolioKey } from "../store/keys.ts";
import { createStrategy } from "../strategies/registry.ts";
import { SimTrading } from "../venues/sim/sim_trading.ts";

/** The running trading loop of a live node. */
export interface Trading {
  readonly kernel: TradingKernel;
  readonly host: StrategyHost;
  readonly venue: SimTrading;
  readonly router: OrderRouter;
  readonly limiter: RateLimiter;
  readonly journal: Journal;
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
}): Promise<Trading> {
  const { config, instruments, bus, clock, market, kv, log } = deps;
  const book = (symbol: string) => market.books[instruments.get(symbol)!.index]!;
  const matching = new MatchingEngine(instruments, {
    // Venue order ids (and so fill ids) must not repeat across restarts of the embedded venue:
    // the start time makes every run's ids distinct.
    idPrefix: `SIM${clock.nowMicros().toString(36).toUpperCase()}`,
    fees: bpsFee(config.sim.fee_bps),
    fillOnTouch: config.sim.fill_on_touch,
  });
  const venue = await SimTrading.open({
    instruments,
    clock,
    matching,
    book,
    latencyMs: config.sim.latency_ms,
    startingCash: parseCash(config.sim.starting_cash),
    kv,
  });
  market.addTradeTap((i, price, size) =>
    venue.onMarketTrade(instruments.at(i).symbol, price, size)
  );
  market.addBookTap((i) => venue.onMarketBook(instruments.at(i).symbol));

  const ex = config.execution;
  const limiter = new RateLimiter(clock, {
    perMinute: ex.rate_limit_per_minute,
    burst: ex.rate_limit_burst,
    maxQueue: ex.max_queued_requests,
  });
  const router = new OrderRouter(venue, limiter, { clock, rng: new SeededRng(config.sim.seed) });
  const journal = await Journal.open(kv);
  const kernel = new TradingKernel({
    instruments,
    bus,
    clock,
    market,
    router,
    ids: new ClientOrderIds(clock, ex.client_order_prefix),
    limits: resolveRiskLimits(config.risk, instruments.list()),
    execution: { maxSlippageBps: ex.max_slippage_bps, maxSpreadBps: ex.max_spread_bps },
    startingCash: parseCash(config.sim.starting_cash),
    isMarketOpen: () => true, // the embedded venue trades around the clock
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
    position: (i) => kernel.positionView(i),
    onSignal: (s) => kernel.onSignal(s),
    log,
  }, config.strategies.map((s) => createStrategy(s)));
  kernel.onFill = (f) => host.onFill(f);

  const entries = await restoreFromJournal(kernel, journal);
  const now = clock.nowMicros();
  let session = sessionStartMicros("crypto", now); // the sim venue's day starts at 00:00 UTC
  const last = kernel.lastSession;
  if (last !== undefined && last.start === session) {
    kernel.portfolio.startSession(session, last.equity);
  } else {
    kernel.portfolio.startSession(session);
    await journal.append({
      type: "session_start",
      at: now,
      start: session,
      equity: kernel.portfolio.equity,
    });
  }
  const differences = await reconcileWithVenue(kernel, venue);
  const reconcile = { state: kernel.ready ? "ok" as const : "mismatch" as const, differences };
  log(
    `trading: ${entries} journal entries replayed, ${kernel.orders.size} orders, ${kernel.fills.length} fills; ` +
      `reconcile ${reconcile.state} (${differences.length} differences); kill switch ${kernel.risk.killSwitch.state}; ` +
      `${config.strategies.length} strateg${config.strategies.length === 1 ? "y" : "ies"}`,
  );
  host.start();

  return {
    kernel,
    host,
    venue,
    router,
    limiter,
    journal,
    reconcile,
    tick() {
      const t = clock.nowMicros();
      if (isNewSession("crypto", session, t)) {
        session = sessionStartMicros("crypto", t);
        kernel.portfolio.startSession(t);
        void journal.append({
          type: "session_start",
          at: t,
          start: session,
          equity: kernel.portfolio.equity,
        });
        venue.expireDayOrders();
      }
      kernel.checkAutoHalt();
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
      await venue.flushed();
      await journal.flushed();
    },
  };
}

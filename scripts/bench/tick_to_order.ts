/**
 * In-process tick-to-order latency: a trade applied on the engine thread → bus → strategy →
 * signal → slippage + pre-trade risk → order built and routed → the venue client's submitOrder
 * called. The client records the time it is handed the order and refuses it (a final error), so
 * the kernel releases it and every tick produces exactly one order. Also reports signals/s
 * through slippage + risk + routing on one core.
 * Usage: deno run -A scripts/bench/tick_to_order.ts [--ticks N]
 */
import { parseArgs } from "node:util";
import { Bus } from "../../core/bus/bus.ts";
import { SimClock } from "../../core/clock/sim_clock.ts";
import { MarketEngine } from "../../core/data/market_engine.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { parseCash } from "../../core/domain/money.ts";
import type { Fill, OrderRequest, Signal } from "../../core/domain/order.ts";
import { SeededRng } from "../../core/domain/seeded_rng.ts";
import { ClientOrderIds } from "../../core/execution/client_order_ids.ts";
import { OrderRouter } from "../../core/execution/order_router.ts";
import { RateLimiter } from "../../core/execution/rate_limiter.ts";
import type { TradingClient, VenueOrder } from "../../core/execution/trading_client.ts";
import { VenueError } from "../../core/execution/venue_error.ts";
import { StrategyHost } from "../../core/kernel/strategy_host.ts";
import { TradingKernel } from "../../core/kernel/trading_kernel.ts";
import { resolveRiskLimits } from "../../core/risk/limits.ts";
import type { Strategy } from "../../core/strategy/strategy.ts";
import { configSchema } from "../../schemas/config.ts";
import { riskConfigSchema } from "../../schemas/risk.ts";
import { report, summarize } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { ticks: { type: "string", default: "200000" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("Usage: deno run -A scripts/bench/tick_to_order.ts [--ticks N]");
  Deno.exit(0);
}
const ticks = Number(values.ticks);
const T0 = 1_704_205_800_000_000;

let handedAt = 0;
let handed = 0;
const refusal = new VenueError("rejected", "benchmark venue refuses every order", {
  maybeReceived: false,
});
/** Records when it is handed an order, then refuses it. */
class RecordingClient implements TradingClient {
  submitOrder(_r: OrderRequest): Promise<VenueOrder> {
    handedAt = performance.now();
    handed++;
    return Promise.reject(refusal);
  }
  cancelOrder = () => Promise.resolve();
  replaceOrder = () => Promise.reject(refusal);
  getOrderByClientId = () => Promise.resolve(undefined);
  openOrders = () => Promise.resolve([]);
  positions = () => Promise.resolve([]);
  account = () => Promise.resolve({ cash: 0n, buyingPower: 0n, equity: 0n });
  fillsSince = (): Promise<Fill[]> => Promise.resolve([]);
  onTradeUpdate() {}
}

/** Emits a 1-lot buy on every trade: the shortest path from tick to order. */
class EveryTick implements Strategy {
  readonly id = "every_tick";
  readonly symbols = ["AAPL"];
  onTrade(ctx: Parameters<NonNullable<Strategy["onTrade"]>>[0], t: { price: number }): void {
    const signal: Signal = {
      strategyId: this.id,
      symbol: "AAPL",
      action: "buy",
      confidence: 1,
      qty: 1,
      targetNotional: 0n,
      orderType: "limit",
      limitPrice: t.price,
      time: ctx.now(),
    };
    ctx.emit(signal);
  }
}

const instruments = new InstrumentTable(["AAPL", "MSFT", "BTC/USD"], "SIM");
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
const client = new RecordingClient();
const limiter = new RateLimiter(clock, { perMinute: 1e9, burst: 1e9, maxQueue: 10 });
const router = new OrderRouter(client, limiter, { clock, rng: new SeededRng(1) });
const kernel = new TradingKernel({
  instruments,
  bus,
  clock,
  market,
  router,
  ids: new ClientOrderIds(clock, "b"),
  limits: resolveRiskLimits(
    riskConfigSchema.parse({
      max_orders_per_second: 1_000_000,
      defaults: { max_open_orders: 1_000_000, max_position_value: "1000000000" },
    }),
    instruments.list(),
  ),
  execution: { maxSlippageBps: 50, maxSpreadBps: 50 },
  startingCash: parseCash("1000000"),
  isMarketOpen: () => true,
  // As live (execution.keep_finished_orders): the newest finished orders are held, not all 420,000.
  keepFinished: configSchema.parse({}).execution.keep_finished_orders,
  log: () => {},
});
kernel.ready = true;
const host = new StrategyHost({
  instruments,
  market,
  bus,
  clock,
  position: (i) => kernel.portfolio.view(i),
  expectedPosition: (i) => kernel.expectedPosition(i),
  onSignal: (s) => kernel.onSignal(s),
  log: () => {},
}, [new EveryTick()]);
host.start();
market.onBookLevel(0, 0, 1_872_500, 500, true, false, T0, T0);
market.onBookLevel(0, 1, 1_872_600, 500, false, true, T0, T0);

const lat = new Float64Array(ticks);
const warm = Math.min(20_000, ticks / 4);
for (let i = -warm; i < ticks; i++) {
  clock.advanceBy(10);
  const now = clock.nowMicros();
  const t0 = performance.now();
  market.onTrade(0, 1_872_500 + (i & 1) * 100, 10, i, 1, now, now);
  // the order reaches the client after the promise hops in kernel.submit → router → limiter
  for (let hops = 0; handedAt < t0; hops++) {
    if (hops > 1000) {
      throw new Error(`tick ${i} produced no order: ${JSON.stringify(kernel.risk.rejections())}`);
    }
    await Promise.resolve();
  }
  if (i >= 0) lat[i] = (handedAt - t0) * 1000; // µs
  await kernel.settled(); // the refusal is processed off the measured path
}
await kernel.settled();
const s = summarize(lat);

// Throughput of signals through slippage + risk + routing, one core, no timing calls in the loop.
const n = ticks;
const before = handed;
const t1 = performance.now();
const signal: Signal = {
  strategyId: "x",
  symbol: "AAPL",
  action: "buy",
  confidence: 1,
  qty: 1,
  targetNotional: 0n,
  orderType: "limit",
  limitPrice: 1_872_500,
  time: T0,
};
for (let i = 0; i < n; i++) {
  kernel.onSignal(signal);
  // every 1,024 signals let the refusals come back, so working orders do not pile up in risk
  if ((i & 1023) === 1023) { while (kernel.openOrderCount(0) > 0) await Promise.resolve(); }
}
await kernel.settled();
for (let hops = 0; handed - before < n; hops++) {
  if (hops > 1_000_000) {
    throw new Error(
      `only ${handed - before} of ${n} signals became orders: ${
        JSON.stringify(kernel.risk.rejections())
      }`,
    );
  }
  await Promise.resolve();
}
const perSecond = n / ((performance.now() - t1) / 1000);

// Signals through risk alone: a second kernel whose order-rate limit (the last check) is 1/s, at a
// fixed clock time, so every signal runs every check and only the first becomes an order.
const riskOnly = new TradingKernel({
  ...kernel.deps,
  limits: resolveRiskLimits(
    riskConfigSchema.parse({
      max_orders_per_second: 1,
      defaults: { max_position_value: "1000000000" },
    }),
    instruments.list(),
  ),
});
riskOnly.ready = true;
let decided = 0;
bus.subscribe("risk.rejected", () => decided++);
bus.subscribe("risk.approved", () => decided++);
const t2 = performance.now();
for (let i = 0; i < n; i++) riskOnly.onSignal(signal);
const riskPerSecond = n / ((performance.now() - t2) / 1000);
await riskOnly.settled();
await report("tick_to_order", {
  ticks,
  orders_handed_to_client: handed,
  p50_us: Math.round(s.p50 * 100) / 100,
  p99_us: Math.round(s.p99 * 100) / 100,
  p999_us: Math.round(s.p999 * 100) / 100,
  signals_through_risk_per_s: Math.round(riskPerSecond),
  signals_to_venue_client_per_s: Math.round(perSecond),
  risk_decisions: decided,
  risk_approvals: kernel.risk.approvals(),
  target: "p99 <= 20 us tick-to-order; >= 200,000 signals/s through risk",
  pass: s.p99 <= 20 && riskPerSecond >= 200_000,
});

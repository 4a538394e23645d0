// The live trading loop's gap handling: after the venue's report stream comes back, fills missed
// while it was down are recovered before any new order may leave. The venue is the real sim
// venue; only the report stream's outage is staged (reports are dropped while "down").
import assert from "node:assert/strict";
import { Bus } from "../../../core/bus/bus.ts";
import { WallClock } from "../../../core/clock/wall_clock.ts";
import { MarketEngine } from "../../../core/data/market_engine.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import type { OrderRequest } from "../../../core/domain/order.ts";
import type { TradeUpdate, TradingClient } from "../../../core/execution/trading_client.ts";
import { startTrading } from "../../../core/live/trading_setup.ts";
import { ConfigError } from "../../../core/live/config.ts";
import { simTradingVenue, type TradingVenue } from "../../../core/live/trading_venues.ts";
import { formatCash } from "../../../core/domain/money.ts";
import { configSchema } from "../../../schemas/config.ts";

/** A market engine as these tests need it: 1 m bars, a few levels. */
function marketEngine(instruments: InstrumentTable, bus: Bus): MarketEngine {
  return new MarketEngine(instruments, bus, {
    timeframes: [60e6],
    emptyBars: "skip",
    barHistory: 10,
    maxBookLevels: 10,
    timeScale: 1,
    closeGraceMicros: 0,
  });
}

const until = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 2));
  assert.ok(ok(), `timed out waiting for ${what}`);
};

Deno.test("after a report gap no order leaves until the missed fill is recovered, and a late report of it is not applied twice", async () => {
  const config = configSchema.parse({ strategies: [], sim: { latency_ms: 0 } });
  const instruments = new InstrumentTable(["AAPL"], "SIM");
  const clock = new WallClock();
  const bus = new Bus();
  const market = marketEngine(instruments, bus);
  const kv = await Deno.openKv(":memory:");
  const sim = await simTradingVenue({ config, instruments, clock, market, kv });
  let up = true;
  let onGap = () => {};
  let openGate = () => {};
  const gate = new Promise<void>((r) => (openGate = r));
  let recoveries = 0;
  const real = sim.client;
  const client: TradingClient = {
    submitOrder: (r) => real.submitOrder(r),
    cancelOrder: (id) => real.cancelOrder(id),
    replaceOrder: (id, next) => real.replaceOrder(id, next),
    getOrderByClientId: (id) => real.getOrderByClientId(id),
    openOrders: () => real.openOrders(),
    positions: () => real.positions(),
    account: () => real.account(),
    fillsSince: async (after, since) => {
      if (++recoveries > 1) await gate; // start-up passes; the gap's recovery waits for the test
      return await real.fillsSince(after, since);
    },
    // Reports sent while the stream is "down" are lost, as on a dropped socket.
    onTradeUpdate: (h) => real.onTradeUpdate((u: TradeUpdate) => up && h(u)),
  };
  const venue: TradingVenue = {
    ...sim,
    client,
    ready: () => up,
    onGap: (h) => (onGap = h),
  };
  const trading = await startTrading({
    config,
    instruments,
    bus,
    clock,
    market,
    kv,
    log: () => {},
    venue,
  });
  const { kernel } = trading;
  try {
    assert.equal(kernel.ready, true);
    const now = clock.nowMicros();
    const inst = instruments.get("AAPL")!;
    market.onBookLevel(inst.index, 0, 1_000_000, 500, true, false, now, now);
    market.onBookLevel(inst.index, 1, 1_000_100, 500, false, true, now, now);
    const buy = (id: string, limitPrice: number): OrderRequest => ({
      clientOrderId: id,
      symbol: "AAPL",
      side: "buy",
      type: "limit",
      tif: "gtc",
      qty: 10,
      limitPrice,
      stopPrice: 0,
      source: "test",
      createdAt: clock.nowMicros(),
    });
    await kernel.submit(buy("resting", 999_900));
    await until(() => kernel.orders.get("resting")?.status === "new", "the order to rest");

    up = false; // the stream drops; a print through the limit fills the order unseen
    assert.equal(kernel.check(buy("x", 999_900), inst), "venue_disconnected");
    const t = clock.nowMicros();
    market.onTrade(inst.index, 999_800, 100, 1, 0, t, t);
    for (let i = 0; i < 500 && (await real.fillsSince(undefined)).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.equal((await real.fillsSince(undefined)).length, 1, "the venue filled the order");
    assert.equal(kernel.positionQty(inst.index), 0, "the fill was not seen");

    up = true; // back, but missed reports are not yet recovered
    onGap();
    assert.equal(
      kernel.check(buy("y", 999_900), inst),
      "venue_disconnected",
      "held while recovering",
    );
    openGate();
    await until(() => kernel.check(buy("z", 999_900), inst) === "", "recovery to finish");
    assert.equal(kernel.positionQty(inst.index), 10, "the missed fill is applied");
    assert.equal(kernel.fills.length, 1, "exactly once");
    assert.equal(kernel.orders.get("resting")?.status, "filled");
  } finally {
    await trading.stop();
    kv.close();
  }
});

Deno.test("a strategy that cannot start (a qty AAPL cannot hold) refuses the config instead of failing on every bar", async () => {
  const config = configSchema.parse({
    strategies: [{ id: "ma", kind: "ma_crossover", symbols: ["AAPL"], params: { qty: "0.5" } }],
  });
  const instruments = new InstrumentTable(["AAPL"], "SIM");
  const clock = new WallClock();
  const bus = new Bus();
  const market = marketEngine(instruments, bus);
  const kv = await Deno.openKv(":memory:");
  try {
    const venue = await simTradingVenue({ config, instruments, clock, market, kv });
    await assert.rejects(
      startTrading({ config, instruments, bus, clock, market, kv, log: () => {}, venue }),
      (e) => e instanceof ConfigError && /'qty' allows at most 0 decimals/.test(e.message),
    );
  } finally {
    kv.close();
  }
});

Deno.test("a gap recovery that fails keeps orders held and is retried until it succeeds", async () => {
  const config = configSchema.parse({ strategies: [], sim: { latency_ms: 0 } });
  const instruments = new InstrumentTable(["AAPL"], "SIM");
  // Wall time with timers 100× shorter: the 5 s retry comes after 50 ms.
  const clock = new class extends WallClock {
    override setTimer(delayMs: number, fn: () => void) {
      return super.setTimer(delayMs / 100, fn);
    }
  }();
  const bus = new Bus();
  const market = marketEngine(instruments, bus);
  const kv = await Deno.openKv(":memory:");
  const sim = await simTradingVenue({ config, instruments, clock, market, kv });
  let onGap = () => {};
  let calls = 0, failing = true;
  const real = sim.client;
  const client: TradingClient = {
    submitOrder: (r) => real.submitOrder(r),
    cancelOrder: (id) => real.cancelOrder(id),
    replaceOrder: (id, next) => real.replaceOrder(id, next),
    getOrderByClientId: (id) => real.getOrderByClientId(id),
    openOrders: () => real.openOrders(),
    positions: () => real.positions(),
    account: () => real.account(),
    fillsSince: (after, since) => {
      calls++; // the first call is start-up's reconciliation
      if (calls > 1 && failing) return Promise.reject(new Error("venue unreachable"));
      return real.fillsSince(after, since);
    },
    onTradeUpdate: (h) => real.onTradeUpdate(h),
  };
  const logs: string[] = [];
  const trading = await startTrading({
    config,
    instruments,
    bus,
    clock,
    market,
    kv,
    log: (l) => logs.push(l),
    venue: { ...sim, client, onGap: (h) => (onGap = h) },
  });
  const { kernel } = trading;
  try {
    const now = clock.nowMicros();
    const inst = instruments.get("AAPL")!;
    market.onBookLevel(inst.index, 0, 1_000_000, 500, true, false, now, now);
    market.onBookLevel(inst.index, 1, 1_000_100, 500, false, true, now, now);
    const buy = {
      clientOrderId: "b",
      symbol: "AAPL",
      side: "buy" as const,
      type: "limit" as const,
      tif: "gtc" as const,
      qty: 1,
      limitPrice: 1_000_000,
      stopPrice: 0,
      source: "test",
      createdAt: now,
    };
    onGap();
    await until(() => calls >= 3, "two failed attempts");
    assert.equal(kernel.check(buy, inst), "venue_disconnected", "held while recovery fails");
    assert.ok(logs.some((l) => /gap recovery failed, retrying in 5 s: venue unreachable/.test(l)));
    failing = false;
    await until(() => kernel.check(buy, inst) === "", "the retry to succeed");
  } finally {
    await trading.stop();
    kv.close();
  }
});

Deno.test("the trading loop folds its journal into a checkpoint every journal.checkpoint_every entries, and a restart loads it", async () => {
  const config = configSchema.parse({
    strategies: [],
    sim: { latency_ms: 0 },
    journal: { checkpoint_every: 100 },
    execution: { rate_limit_per_minute: 100_000, rate_limit_burst: 1000 },
    risk: { max_orders_per_second: 1000 },
  });
  const instruments = new InstrumentTable(["AAPL"], "SIM");
  const dir = await Deno.makeTempDir();
  const start = async (logs: string[]) => {
    const clock = new WallClock();
    const bus = new Bus();
    const market = marketEngine(instruments, bus);
    const kv = await Deno.openKv(`${dir}/k.kv`);
    const venue = await simTradingVenue({ config, instruments, clock, market, kv });
    const log = (l: string) => void logs.push(l);
    const trading = await startTrading({ config, instruments, bus, clock, market, kv, log, venue });
    const now = clock.nowMicros();
    market.onBookLevel(0, 0, 1_000_000, 1_000_000, true, false, now, now);
    market.onBookLevel(0, 1, 1_000_100, 1_000_000, false, true, now, now);
    return { trading, kv, clock };
  };
  const logs: string[] = [];
  const first = await start(logs);
  const { kernel } = first.trading;
  for (let i = 0; i < 40; i++) {
    await kernel.submit({
      clientOrderId: `c${i}`,
      symbol: "AAPL",
      side: i % 2 === 0 ? "buy" : "sell",
      type: "market",
      tif: "day",
      qty: 1,
      limitPrice: 0,
      stopPrice: 0,
      source: "test",
      createdAt: first.clock.nowMicros(),
    });
    await until(() => kernel.orders.get(`c${i}`)?.status === "filled", `order ${i} to fill`);
  }
  await first.trading.journal.flushed();
  assert.ok(first.trading.journal.lastSeq >= 100, `${first.trading.journal.lastSeq} entries`);
  first.trading.tick();
  await until(() => logs.some((l) => /^journal checkpoint at entry \d+/.test(l)), "a checkpoint");
  const at = Number(
    /journal checkpoint at entry (\d+): (\d+) entries folded in/.exec(
      logs.find((l) => l.startsWith("journal checkpoint"))!,
    )![1],
  );
  const cash = formatCash(kernel.portfolio.totals().cash);
  await first.trading.stop();
  first.kv.close();

  const again: string[] = [];
  const second = await start(again);
  try {
    assert.ok(
      again.some((l) => l.startsWith(`trading: checkpoint at entry ${at} loaded, `)),
      again.join("\n"),
    );
    assert.equal(second.trading.kernel.fillsApplied, 40);
    assert.equal(second.trading.checkpointSeq(), at, "shown on /metrics");
    assert.equal(formatCash(second.trading.kernel.portfolio.totals().cash), cash);
    assert.equal(second.trading.kernel.ready, true);
  } finally {
    await second.trading.stop();
    second.kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

// Strategy warm-up before live trading: the venue's recent bars are loaded into the market
// engine's history (not published), the host feeds them to strategies with signals dropped, and
// the strategy can act on the first live bar. Real market engine, strategy host and strategies.
import assert from "node:assert/strict";
import { Bus } from "../../../core/bus/bus.ts";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { MarketEngine } from "../../../core/data/market_engine.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import type { Bar } from "../../../core/domain/market_events.ts";
import type { Signal } from "../../../core/domain/order.ts";
import { StrategyHost } from "../../../core/kernel/strategy_host.ts";
import { loadWarmupBars } from "../../../core/live/warmup_bars.ts";
import { createStrategy } from "../../../core/strategies/registry.ts";
import { simHistory } from "../../../core/venues/sim/sim_history.ts";
import type { StrategyContext } from "../../../core/strategy/strategy.ts";
import { simConfigSchema } from "../../../schemas/config.ts";

const MIN = 60_000_000;
const T0 = Date.UTC(2024, 0, 2, 15) * 1000; // a minute boundary

function bar(symbol: string, start: number, close: number): Bar {
  return {
    symbol,
    timeframe: "1m",
    start,
    end: start + MIN,
    open: close,
    high: close,
    low: close,
    close,
    volume: 100,
    vwap: close,
    tradeCount: 1,
    empty: false,
    source: "venue",
    venueTime: start + MIN,
    recvTime: start + MIN,
  };
}

function setup(closes: number[]) {
  const instruments = new InstrumentTable(["AAPL"], "SIM");
  const bus = new Bus();
  const clock = new SimClock(T0 + 30_000_000); // mid-minute: the 15:00 bar is still open
  const market = new MarketEngine(instruments, bus, {
    timeframes: [MIN],
    emptyBars: "skip",
    barHistory: 100,
    maxBookLevels: 10,
    timeScale: 1,
    closeGraceMicros: 0,
  });
  const signals: Signal[] = [];
  const strategy = createStrategy({
    id: "ma",
    kind: "ma_crossover",
    symbols: ["AAPL"],
    params: { timeframe: "1m", fast: 2, slow: 4, qty: "1" },
  });
  const host = new StrategyHost({
    instruments,
    market,
    bus,
    clock,
    position: () => ({ qty: 0, avgPrice: 0 }),
    expectedPosition: () => 0,
    onSignal: (s) => signals.push(s),
    log: () => {},
  }, [strategy]);
  // The venue's recent bars, oldest first, the last one closing at T0; plus the open bar.
  const history = closes.map((c, i) => bar("AAPL", T0 - (closes.length - i) * MIN, c));
  const source = (symbols: readonly string[], tf: number, count: number, end: number) => {
    assert.deepEqual([symbols, tf, count, end], [["AAPL"], MIN, 4, T0]);
    return Promise.resolve([...history, bar("AAPL", T0, 1)]);
  };
  return { instruments, bus, clock, market, signals, strategy, host, source };
}

Deno.test("warm-up bars go into history unpublished, the strategy is fed them, and it acts on the first live bar", async () => {
  // the fast average below the slow one through the last 4 (the warm-up): side "below" is known
  const t = setup([1_000_000, 1_000_100, 1_000_200, 990_000, 980_000, 970_000]);
  const published: Bar[] = [];
  t.bus.subscribe("market.bar", (b) => published.push(b));
  const lines: string[] = [];
  const loaded = await loadWarmupBars({
    strategies: [t.strategy],
    instruments: t.instruments,
    market: t.market,
    source: t.source,
    now: t.clock.nowMicros(),
    capacity: 100,
    clock: t.clock,
    log: (l) => lines.push(l),
  });
  assert.equal(loaded.length, 4, "the last 4 closed bars; the open one is not history");
  assert.deepEqual(published, [], "history is not published");
  assert.deepEqual(
    t.market.bars(0, "1m", 10)!.map((b) => b.start),
    [1, 2, 3, 4].map((k) => T0 - (5 - k) * MIN),
  );
  t.host.start();
  assert.deepEqual(t.host.warmups, [
    { strategy: "ma", symbol: "AAPL", timeframe: "1m", wanted: 4, fed: 4 },
  ]);
  assert.equal(t.signals.length, 0, "nothing traded on the past");
  // first live bar: a jump up crosses the fast average above the slow one
  t.market.onVenueBar(0, bar("AAPL", T0, 1_100_000));
  assert.deepEqual(t.signals.map((s) => s.action), ["buy"], "acts at once, not 4 bars later");
  assert.deepEqual(lines, []);
});

Deno.test("without warm-up bars the same first live bar does nothing; a failing history source is logged and trading starts cold", async () => {
  const t = setup([]);
  const lines: string[] = [];
  const loaded = await loadWarmupBars({
    strategies: [t.strategy],
    instruments: t.instruments,
    market: t.market,
    source: () => Promise.reject(new Error("GET /v2/stocks/bars failed: network down")),
    now: t.clock.nowMicros(),
    capacity: 100,
    clock: t.clock,
    log: (l) => lines.push(l),
  });
  assert.equal(loaded.length, 0);
  assert.match(
    lines[0]!,
    /warm-up bars not loaded \(GET .* network down\): strategies warm up on live bars/,
  );
  t.host.start();
  assert.deepEqual(t.host.warmups[0]!.fed, 0);
  t.market.onVenueBar(0, bar("AAPL", T0, 1_100_000));
  assert.equal(t.signals.length, 0);
});

Deno.test("a warm-up longer than bars.history loads what history keeps and says so", async () => {
  const t = setup([1, 2, 3, 4]);
  const lines: string[] = [];
  const loaded = await loadWarmupBars({
    strategies: [t.strategy],
    instruments: t.instruments,
    market: t.market,
    source: (_s, _tf, count) =>
      Promise.resolve([1, 2, 3, 4].slice(-count).map((c) => bar("AAPL", T0 - (5 - c) * MIN, c))),
    now: t.clock.nowMicros(),
    capacity: 3,
    clock: t.clock,
    log: (l) => lines.push(l),
  });
  assert.equal(loaded.length, 3);
  assert.deepEqual(lines, ["warm-up: a strategy wants 4 bars but bars.history keeps 3"]);
});

Deno.test("the sim venue's synthetic history is seeded, contiguous, closes at the market's start price and is well formed", () => {
  const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const sim = simConfigSchema.parse({ seed: 7 });
  const end = T0;
  const a = simHistory(sim, instruments, "AAPL", MIN, 50, end);
  assert.deepEqual(a, simHistory(sim, instruments, "AAPL", MIN, 50, end), "same seed, same bars");
  assert.notDeepEqual(
    a.map((b) => b.close),
    simHistory({ ...sim, seed: 8 }, instruments, "AAPL", MIN, 50, end).map((b) => b.close),
  );
  assert.equal(a.length, 50);
  assert.equal(a.at(-1)!.end, end);
  assert.equal(a.at(-1)!.close, 190 * 10 ** instruments.get("AAPL")!.priceDecimals);
  for (let i = 0; i < a.length; i++) {
    const b = a[i]!;
    if (i > 0) {
      assert.equal(b.start, a[i - 1]!.end, "no gaps");
      assert.equal(b.open, a[i - 1]!.close, "each bar opens where the last closed");
    }
    assert.ok(b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close));
    assert.ok(b.low > 0 && Number.isInteger(b.low) && Number.isInteger(b.high));
  }
  const btc = simHistory(sim, instruments, "BTC/USD", 1_000_000, 20, end);
  assert.equal(btc.at(-1)!.close, 60_000 * 10 ** instruments.get("BTC/USD")!.priceDecimals);
  assert.equal(btc[0]!.timeframe, "1s");
  const cent = 10 ** (instruments.get("BTC/USD")!.priceDecimals - 2);
  assert.ok(btc.every((b) => [b.open, b.high, b.low, b.close].every((p) => p % cent === 0)));
});

Deno.test("signals a strategy emits on warm-up bars are dropped and counted, never sent", () => {
  const t = setup([1, 2, 3]);
  const eager = {
    id: "eager",
    symbols: ["AAPL"],
    warmup: { timeframe: "1m", bars: 3 },
    onBar: (ctx: StrategyContext, b: Bar) =>
      ctx.emit({
        strategyId: "eager",
        symbol: b.symbol,
        action: "buy",
        confidence: 1,
        qty: 1,
        targetNotional: 0n,
        orderType: "market",
        limitPrice: 0,
        time: b.end,
      }),
  };
  const host = new StrategyHost({ ...t.host.deps }, [eager]);
  t.market.loadHistory(0, [1, 2, 3].map((c) => bar("AAPL", T0 - (4 - c) * MIN, c)));
  host.start();
  assert.equal(host.warmupSignals, 3);
  assert.equal(t.signals.length, 0);
  t.market.onVenueBar(0, bar("AAPL", T0, 4));
  assert.equal(t.signals.length, 1, "live bars trade");
});

Deno.test("a strategy that throws on a warm-up bar is logged and counted apart, and still starts", () => {
  const t = setup([]);
  const lines: string[] = [];
  const picky = {
    id: "picky",
    symbols: ["AAPL"],
    warmup: { timeframe: "1m", bars: 2 },
    onBar: (_ctx: StrategyContext, b: Bar) => {
      if (b.close === 1) throw new Error("odd bar");
    },
  };
  const host = new StrategyHost({ ...t.host.deps, log: (l) => lines.push(l) }, [picky]);
  t.market.loadHistory(0, [1, 2].map((c) => bar("AAPL", T0 - (3 - c) * MIN, c)));
  host.start();
  assert.equal(host.warmupErrors, 1);
  assert.equal(host.errors, 0, "not a failure to start");
  assert.deepEqual(lines, ["strategy picky failed on a warm-up bar: odd bar"]);
});

Deno.test("a history source that never answers is given up after its timeout: trading starts cold, not never", async () => {
  const t = setup([]);
  const lines: string[] = [];
  const loading = loadWarmupBars({
    strategies: [t.strategy],
    instruments: t.instruments,
    market: t.market,
    source: () => new Promise<Bar[]>(() => {}), // a data API that hangs
    now: t.clock.nowMicros(),
    capacity: 100,
    clock: t.clock,
    timeoutMs: 15_000,
    log: (l) => lines.push(l),
  });
  await Promise.resolve();
  t.clock.advanceBy(15_000_000);
  assert.deepEqual(await loading, []);
  assert.deepEqual(lines, [
    "warm-up bars not loaded (no answer in 15 s): strategies warm up on live bars",
  ]);
});

import assert from "node:assert/strict";
import { z } from "zod";
import { SeededRng } from "../../../../core/domain/seeded_rng.ts";
import { Ema, Sma } from "../../../../core/indicators/mod.ts";
import { createMaCrossoverStrategy } from "../../../../core/strategies/ma_crossover/strategy.ts";
import { bar, drive, StubContext } from "../_stub_context.ts";

// fast 2 / slow 4 SMA: bars 0–3 warm up (equal averages), bar 4 puts fast below slow
// (9.5 < 9.75), bar 6 crosses above (10 > 9.75), bar 9 crosses back below (10 < 10.25).
const UP_THEN_DOWN = [10, 10, 10, 10, 9, 8, 12, 14, 9, 7];

function strategy(config: Parameters<typeof createMaCrossoverStrategy>[2] = {}) {
  return createMaCrossoverStrategy("ma-test", ["AAPL"], { fast: 2, slow: 4, ...config });
}

Deno.test("MaCrossover emits one market buy on the bar where fast crosses above slow, not before", () => {
  const s = strategy({ qty: "3" });
  const ctx = new StubContext();
  s.onStart(ctx);
  const at = drive(ctx, (c, b) => s.onBar(c, b), UP_THEN_DOWN.slice(0, 8));
  assert.deepEqual(at, [6]);
  assert.deepEqual(ctx.signals[0], {
    strategyId: "ma-test",
    symbol: "AAPL",
    action: "buy",
    confidence: 1,
    qty: 3,
    targetNotional: 0n,
    orderType: "market",
    limitPrice: 0,
    time: bar(6, 0).end,
  });
});

Deno.test("MaCrossover closes the long on the bar where fast crosses below slow", () => {
  const s = strategy();
  const ctx = new StubContext();
  const at = drive(ctx, (c, b) => s.onBar(c, b), UP_THEN_DOWN, true);
  assert.deepEqual(at, [6, 9]);
  assert.deepEqual(ctx.signals.map((x) => x.action), ["buy", "close"]);
  assert.equal(ctx.positions.get("AAPL"), 0);
});

Deno.test("MaCrossover closes on the down cross even while its entry's fill is still on the way", () => {
  const s = strategy();
  const ctx = new StubContext();
  // Nothing ever fills: the position stays 0 and the strategy must go by what it sent.
  const at = drive(ctx, (c, b) => s.onBar(c, b), [...UP_THEN_DOWN, 12, 15], "in_flight");
  assert.deepEqual(at, [6, 9, 11]);
  assert.deepEqual(ctx.signals.map((x) => x.action), ["buy", "close", "buy"]);
  assert.equal(ctx.positions.get("AAPL") ?? 0, 0);
});

Deno.test("MaCrossover never enters again while a position is open in that direction", () => {
  const s = strategy();
  const ctx = new StubContext();
  ctx.positions.set("AAPL", 1); // already long when the upward cross comes
  const at = drive(ctx, (c, b) => s.onBar(c, b), UP_THEN_DOWN.slice(0, 8));
  assert.deepEqual(at, []);

  const short = strategy({ allow_short: true });
  const ctx2 = new StubContext();
  ctx2.positions.set("AAPL", -1); // already short when the downward cross comes
  drive(ctx2, (c, b) => short.onBar(c, b), [10, 10, 10, 10, 11, 12, 8, 6]);
  assert.equal(ctx2.signals.length, 0);
});

Deno.test("MaCrossover without allow_short stays flat on a downward cross", () => {
  const s = strategy();
  const ctx = new StubContext();
  const at = drive(ctx, (c, b) => s.onBar(c, b), [10, 10, 10, 10, 11, 12, 8, 6]);
  assert.deepEqual(at, []);
});

Deno.test("MaCrossover with allow_short closes the long and sells on a downward cross", () => {
  const s = strategy({ allow_short: true });
  const ctx = new StubContext();
  const at = drive(ctx, (c, b) => s.onBar(c, b), UP_THEN_DOWN, true);
  assert.deepEqual(at, [6, 9, 9]);
  assert.deepEqual(ctx.signals.map((x) => x.action), ["buy", "close", "sell"]);
  assert.equal(ctx.positions.get("AAPL"), -1);
});

Deno.test("MaCrossover ignores empty bars and bars of other timeframes", () => {
  const s = strategy();
  const ctx = new StubContext();
  UP_THEN_DOWN.slice(0, 6).forEach((c, i) => {
    s.onBar(ctx, bar(i, c));
    // A flat bar repeating a far-off close, and a 5m bar: either would fake an early cross.
    s.onBar(ctx, bar(i, 1_000, { empty: true }));
    s.onBar(ctx, bar(i, 1_000, { timeframe: "5m" }));
  });
  assert.equal(ctx.signals.length, 0);
  s.onBar(ctx, bar(6, 12));
  assert.deepEqual(ctx.signals.map((x) => x.action), ["buy"]);
});

Deno.test("MaCrossover signals exactly where the SMA or EMA lines change sides", () => {
  for (const kind of ["sma", "ema"] as const) {
    const rng = new SeededRng(kind === "sma" ? 1 : 2);
    const closes: number[] = [];
    let p = 1_000_000;
    for (let i = 0; i < 2000; i++) closes.push(p += Math.round(rng.normal() * 500));
    const s = strategy({ kind, fast: 5, slow: 12, allow_short: true });
    const ctx = new StubContext();
    const at = drive(ctx, (c, b) => s.onBar(c, b), closes, true);
    // The same crossings found from the indicators directly.
    const f = kind === "sma" ? new Sma(5) : new Ema(5);
    const sl = kind === "sma" ? new Sma(12) : new Ema(12);
    const crosses: number[] = [];
    let side = 0;
    closes.forEach((c, i) => {
      const d = Math.sign(f.update(c) - sl.update(c));
      if (!sl.isReady || d === 0 || d === side) return;
      if (side !== 0) crosses.push(i);
      side = d;
    });
    assert.ok(crosses.length > 50, `${kind}: only ${crosses.length} crosses`);
    assert.deepEqual([...new Set(at)], crosses, kind);
  }
});

Deno.test("MaCrossover converts qty with the instrument's units and prices limits at the close", () => {
  const s = createMaCrossoverStrategy("ma-btc", ["BTC/USD"], {
    fast: 2,
    slow: 4,
    qty: "0.25",
    order_type: "limit",
  });
  const ctx = new StubContext();
  s.onStart(ctx);
  UP_THEN_DOWN.slice(0, 7).forEach((c, i) => s.onBar(ctx, bar(i, c, { symbol: "BTC/USD" })));
  assert.equal(ctx.signals.length, 1);
  assert.equal(ctx.signals[0]!.qty, 250_000_000); // BTC/USD lots are 10^-9
  assert.equal(ctx.signals[0]!.orderType, "limit");
  assert.equal(ctx.signals[0]!.limitPrice, 12);
});

Deno.test("MaCrossover config fills defaults", () => {
  const s = createMaCrossoverStrategy("ma", ["AAPL"]);
  assert.deepEqual(s.config, {
    timeframe: "1m",
    fast: 10,
    slow: 30,
    kind: "sma",
    qty: "1",
    allow_short: false,
    order_type: "market",
  });
  assert.equal(
    createMaCrossoverStrategy("ma", ["AAPL"], { timeframe: "60s" }).config.timeframe,
    "1m",
  );
});

Deno.test("MaCrossover config errors name the offending field", () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ fast: 30, slow: 10 }, "fast"],
    [{ fast: 0 }, "fast"],
    [{ slow: 2.5 }, "slow"],
    [{ kind: "wma" }, "kind"],
    [{ qty: "one" }, "qty"],
    [{ qty: "0" }, "qty"],
    [{ timeframe: "7m" }, "timeframe"],
    [{ allow_short: "yes" }, "allow_short"],
  ];
  for (const [config, field] of cases) {
    assert.throws(
      () => createMaCrossoverStrategy("ma", ["AAPL"], config as never),
      (e: unknown) => e instanceof z.ZodError && e.issues.some((i) => i.path[0] === field),
      JSON.stringify(config),
    );
  }
  assert.throws(
    () => createMaCrossoverStrategy("ma", ["AAPL"], { fastt: 5 } as never),
    (e: unknown) => e instanceof z.ZodError && /fastt/.test(e.message),
  );
});

Deno.test("MaCrossover.onStart() rejects a qty finer than the instrument's lot, naming 'qty'", () => {
  const s = createMaCrossoverStrategy("ma", ["AAPL"], { qty: "0.5" }); // US stocks trade whole shares
  assert.throws(() => s.onStart(new StubContext()), /'qty'/);
});

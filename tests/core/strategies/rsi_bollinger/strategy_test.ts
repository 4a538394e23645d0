import assert from "node:assert/strict";
import { z } from "zod";
import { createRsiBollingerStrategy } from "../../../../core/strategies/rsi_bollinger/strategy.ts";
import { bar, drive, StubContext } from "../_stub_context.ts";

// RSI(2) and bands(3, k 1) are readable by hand:
// bar 2 (100): RSI 50 · bar 3 (101): RSI 75 · bar 4 (95): RSI ≈ 10.7, bands of [100, 101, 95] are
// 98.67 ± 2.62, so 95 is under the lower band (96.04) → buy. Bar 5 (96): middle 97.33, RSI ≈ 30.6
// → hold. Bar 6 (90): still oversold and under the band, but already long → nothing.
// Bar 7 (99): above the middle of [96, 90, 99] (95) → close.
const DIP_AND_RECOVER = [100, 101, 100, 101, 95, 96, 90, 99];
// The mirror image around 100 for the short side.
const SPIKE_AND_FADE = DIP_AND_RECOVER.map((c) => 200 - c);

function strategy(config: Parameters<typeof createRsiBollingerStrategy>[2] = {}) {
  return createRsiBollingerStrategy("mr-test", ["AAPL"], {
    rsi_period: 2,
    bb_period: 3,
    bb_k: 1,
    ...config,
  });
}

Deno.test("RsiBollinger buys on the first bar that is oversold and under the lower band", () => {
  const s = strategy({ qty: "5" });
  const ctx = new StubContext();
  s.onStart(ctx);
  const at = drive(ctx, (c, b) => s.onBar(c, b), DIP_AND_RECOVER.slice(0, 5));
  assert.deepEqual(at, [4]);
  assert.deepEqual(ctx.signals[0], {
    strategyId: "mr-test",
    symbol: "AAPL",
    action: "buy",
    confidence: 1,
    qty: 5,
    targetNotional: 0n,
    orderType: "market",
    limitPrice: 0,
    time: bar(4, 0).end,
  });
});

Deno.test("RsiBollinger holds the long without re-entering, then closes above the middle band", () => {
  const s = strategy();
  const ctx = new StubContext();
  const at = drive(ctx, (c, b) => s.onBar(c, b), DIP_AND_RECOVER, true);
  assert.deepEqual(at, [4, 7]);
  assert.deepEqual(ctx.signals.map((x) => x.action), ["buy", "close"]);
  assert.equal(ctx.positions.get("AAPL"), 0);
});

Deno.test("RsiBollinger exits on time even while its entry's fill is still on the way", () => {
  const s = strategy();
  const ctx = new StubContext();
  const at = drive(ctx, (c, b) => s.onBar(c, b), DIP_AND_RECOVER, "in_flight");
  assert.deepEqual(at, [4, 7], "no second entry on the bars after the first");
  assert.deepEqual(ctx.signals.map((x) => x.action), ["buy", "close"]);
});

Deno.test("RsiBollinger closes the long when RSI turns overbought even under the middle band", () => {
  // RSI(1) is 100 on any up bar. Bar 5 (105) bounces off 100: still far under the middle band of
  // [200, 200, 200, 100, 105] (161), so only the RSI rule can close it.
  const s = strategy({ rsi_period: 1, bb_period: 5 });
  const ctx = new StubContext();
  ctx.positions.set("AAPL", 1);
  const at = drive(ctx, (c, b) => s.onBar(c, b), [200, 200, 200, 200, 100, 105]);
  assert.deepEqual(at, [5]);
  assert.deepEqual(ctx.signals.map((x) => x.action), ["close"]);
});

Deno.test("RsiBollinger trades the short side only when allow_short is set", () => {
  const flat = new StubContext();
  const noShort = strategy();
  // Bar 4 is the short setup; bar 7 (101, RSI ≈ 28.8, under the lower band 101.26) is a genuine
  // long setup, taken only because no short is open to close on that bar.
  assert.deepEqual(drive(flat, (c, b) => noShort.onBar(c, b), SPIKE_AND_FADE, true), [7]);
  assert.deepEqual(flat.signals.map((x) => x.action), ["buy"]);

  const s = strategy({ allow_short: true });
  const ctx = new StubContext();
  const at = drive(ctx, (c, b) => s.onBar(c, b), SPIKE_AND_FADE, true);
  assert.deepEqual(at, [4, 7]);
  assert.deepEqual(ctx.signals.map((x) => x.action), ["sell", "close"]);
  assert.equal(ctx.positions.get("AAPL"), 0);
});

Deno.test("RsiBollinger ignores empty bars and bars of other timeframes", () => {
  const s = strategy();
  const ctx = new StubContext();
  DIP_AND_RECOVER.slice(0, 4).forEach((c, i) => {
    s.onBar(ctx, bar(i, c));
    s.onBar(ctx, bar(i, 10, { empty: true }));
    s.onBar(ctx, bar(i, 10, { timeframe: "5m" }));
  });
  assert.equal(ctx.signals.length, 0);
  s.onBar(ctx, bar(4, 95));
  assert.deepEqual(ctx.signals.map((x) => x.action), ["buy"]);
});

Deno.test("RsiBollinger config fills defaults", () => {
  assert.deepEqual(createRsiBollingerStrategy("mr", ["AAPL"]).config, {
    timeframe: "1m",
    rsi_period: 14,
    bb_period: 20,
    bb_k: 2,
    oversold: 30,
    overbought: 70,
    qty: "1",
    allow_short: false,
    order_type: "market",
  });
});

Deno.test("RsiBollinger config errors name the offending field", () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ oversold: 80, overbought: 20 }, "oversold"],
    [{ rsi_period: 0 }, "rsi_period"],
    [{ bb_period: 1 }, "bb_period"],
    [{ bb_k: -1 }, "bb_k"],
    [{ overbought: 101 }, "overbought"],
    [{ qty: "-1" }, "qty"],
    [{ timeframe: "1w" }, "timeframe"],
    [{ order_type: "stop" }, "order_type"],
  ];
  for (const [config, field] of cases) {
    assert.throws(
      () => createRsiBollingerStrategy("mr", ["AAPL"], config as never),
      (e: unknown) => e instanceof z.ZodError && e.issues.some((i) => i.path[0] === field),
      JSON.stringify(config),
    );
  }
});

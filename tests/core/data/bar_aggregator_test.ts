import assert from "node:assert/strict";
import { BarAggregator } from "../../../core/data/bar_aggregator.ts";
import { parseTimeframe, timeframeLabel } from "../../../core/data/timeframe.ts";
import type { Bar } from "../../../core/domain/market_events.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";

const S = 1_000_000, M = 60 * S;
const T0 = 1_700_000_040 * S; // 2023-11-14T22:14:00Z, on a minute boundary

function collect(tfs: number[], empty: "flat" | "skip" = "flat") {
  const bars: Bar[] = [];
  const agg = new BarAggregator("AAPL", tfs, empty, (b) => bars.push(b));
  return { agg, bars };
}

Deno.test("BarAggregator builds OHLCV, VWAP and trade count, stamped at the close", () => {
  const { agg, bars } = collect([M]);
  const base = T0 - (T0 % M);
  agg.onTrade(100, 10, base + 1 * S, 0);
  agg.onTrade(105, 20, base + 20 * S, 0);
  agg.onTrade(98, 10, base + 40 * S, 0);
  agg.onTrade(101, 60, base + 59 * S, 0);
  assert.equal(bars.length, 0);
  agg.onTrade(102, 1, base + M, 0); // first trade of the next minute closes the bar
  assert.equal(bars.length, 1);
  const b = bars[0]!;
  assert.deepEqual(
    [b.open, b.high, b.low, b.close, b.volume, b.tradeCount, b.start, b.end, b.venueTime],
    [100, 105, 98, 101, 100, 4, base, base + M, base + M],
  );
  assert.equal(b.vwap, (100 * 10 + 105 * 20 + 98 * 10 + 101 * 60) / 100);
  assert.equal(b.timeframe, "1m");
});

Deno.test("BarAggregator closes a bar on the clock when no further trade arrives", () => {
  const { agg, bars } = collect([S]);
  const base = T0;
  agg.onTrade(100, 1, base + 100, 0);
  agg.onTime(base + S - 1, 0);
  assert.equal(bars.length, 0);
  agg.onTime(base + S, 0);
  assert.equal(bars.length, 1);
  assert.equal(bars[0]!.end, base + S);
});

Deno.test("BarAggregator fills empty intervals with flat bars at the previous close (policy flat)", () => {
  const { agg, bars } = collect([S]);
  agg.onTrade(100, 1, T0, 0);
  agg.onTrade(107, 2, T0 + 3 * S + 5, 0); // seconds 1 and 2 had no trades
  assert.deepEqual(bars.map((b) => [b.start - T0, b.close, b.volume, b.empty]), [
    [0, 100, 1, false],
    [S, 100, 0, true],
    [2 * S, 100, 0, true],
  ]);
  agg.onTime(T0 + 6 * S, 0); // closes second 3, then seconds 4 and 5 are empty
  assert.deepEqual(bars.slice(3).map((b) => [b.start - T0, b.close, b.empty]), [
    [3 * S, 107, false],
    [4 * S, 107, true],
    [5 * S, 107, true],
  ]);
});

Deno.test("BarAggregator leaves gaps for empty intervals under policy skip, and counts late trades", () => {
  const { agg, bars } = collect([S], "skip");
  agg.onTrade(100, 1, T0, 0);
  agg.onTrade(101, 1, T0 + 3 * S, 0);
  agg.onTime(T0 + 10 * S, 0);
  assert.deepEqual(bars.map((b) => b.start - T0), [0, 3 * S]);
  agg.onTrade(99, 1, T0 + 2 * S, 0); // belongs to a closed interval
  assert.equal(agg.lateTrades, 1);
  assert.equal(bars.length, 2);
});

Deno.test("five 1m bars make the 5m bar (multi-timeframe consistency)", () => {
  const { agg, bars } = collect([M, 5 * M]);
  const rng = new SeededRng(5);
  const start = T0 - (T0 % (5 * M));
  for (let t = start; t < start + 5 * M; t += 1 + rng.int(3 * S)) {
    agg.onTrade(10_000 + rng.int(500), 1 + rng.int(100), t, 0);
  }
  agg.onTime(start + 5 * M, 0);
  const ones = bars.filter((b) => b.timeframe === "1m");
  const five = bars.filter((b) => b.timeframe === "5m");
  assert.equal(ones.length, 5);
  assert.equal(five.length, 1);
  const f = five[0]!;
  assert.equal(f.open, ones[0]!.open);
  assert.equal(f.close, ones[4]!.close);
  assert.equal(f.high, Math.max(...ones.map((b) => b.high)));
  assert.equal(f.low, Math.min(...ones.map((b) => b.low)));
  assert.equal(f.volume, ones.reduce((s, b) => s + b.volume, 0));
  assert.equal(f.tradeCount, ones.reduce((s, b) => s + b.tradeCount, 0));
  const pv = ones.reduce((s, b) => s + b.vwap * b.volume, 0);
  assert.ok(Math.abs(f.vwap - pv / f.volume) < 1e-9);
  assert.equal(f.start, ones[0]!.start);
  assert.equal(f.end, ones[4]!.end);
});

Deno.test("timeframes parse, label and reject what does not divide a day", () => {
  assert.equal(parseTimeframe("5m"), 5 * M);
  assert.equal(timeframeLabel(parseTimeframe("1d")), "1d");
  assert.equal(timeframeLabel(parseTimeframe("15s")), "15s");
  assert.throws(() => parseTimeframe("7m"), /divide a day/);
  assert.throws(() => parseTimeframe("1w"), /must look like/);
  assert.throws(() => parseTimeframe("2d"), /at most 1d/);
});

import assert from "node:assert/strict";
import { computeMetrics, type MetricPoint } from "../../../core/backtest/metrics.ts";
import type { Metrics } from "../../../core/backtest/results.ts";

const DAY_MS = 86_400_000;

/** Points on the given day offsets from 2024-01-01 with the given equities, fully invested. */
function curve(equities: readonly number[], dayOffsets?: readonly number[]): MetricPoint[] {
  return equities.map((equity, i) => ({
    date: new Date(Date.UTC(2024, 0, 1) + (dayOffsets?.[i] ?? i) * DAY_MS).toISOString().slice(
      0,
      10,
    ),
    equity,
    grossExposure: equity,
  }));
}

function assertClose(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
}

function assertAllFinite(m: Metrics): void {
  for (const [k, v] of Object.entries(m)) {
    assert.ok(v === null ? k === "profitFactor" : Number.isFinite(v), `${k} is ${v}`);
  }
}

Deno.test("computeMetrics() of a constant daily return: CAGR in closed form, no volatility, no drawdown", () => {
  // 366 consecutive calendar days of +0.1 %: 365 returns over 365 days.
  const m = computeMetrics({
    equity: curve(Array.from({ length: 366 }, (_, i) => 100 * 1.001 ** i)),
    tradePnls: [],
    tradedNotional: 0,
  });
  assertClose(m.totalReturn, 1.001 ** 365 - 1, 1e-12);
  assertClose(m.cagr, 1.001 ** 365.25 - 1, 1e-12);
  assert.equal(m.annualVolatility, 0);
  assert.equal(m.sharpe, 0, "Sharpe is 0 by convention when the stdev is 0");
  assert.equal(m.sortino, 0, "no downside: Sortino is 0 by convention");
  assert.equal(m.maxDrawdown, 0);
  assert.equal(m.maxDrawdownDays, 0);
  assert.equal(m.calmar, 0, "no drawdown: Calmar is 0 by convention");
});

Deno.test("computeMetrics() of 100 → 80 → 110: a 20 % drawdown lasting from peak to recovery", () => {
  const m = computeMetrics({
    equity: curve([100, 80, 110], [0, 4, 10]),
    tradePnls: [],
    tradedNotional: 0,
  });
  assertClose(m.maxDrawdown, 0.2);
  assert.equal(m.maxDrawdownDays, 10);
  assertClose(m.totalReturn, 0.1);
  assertClose(m.cagr, 1.1 ** (365.25 / 10) - 1, 1e-9);
  assertClose(m.calmar, m.cagr / 0.2, 1e-9);
});

Deno.test("computeMetrics() counts an unrecovered drawdown to the last date", () => {
  const m = computeMetrics({
    equity: curve([100, 120, 90, 100], [0, 3, 5, 30]),
    tradePnls: [],
    tradedNotional: 0,
  });
  assertClose(m.maxDrawdown, 0.25);
  assert.equal(m.maxDrawdownDays, 27, "from the 120 peak on day 3 to the last day, 30");
});

Deno.test("computeMetrics() reports the duration of the deepest drawdown, not the longest", () => {
  // A long shallow dip (days 0–20, 5 %) then a short deep one (days 20–25, 30 %).
  const m = computeMetrics({
    equity: curve([100, 95, 100, 70, 101], [0, 10, 20, 22, 25]),
    tradePnls: [],
    tradedNotional: 0,
  });
  assertClose(m.maxDrawdown, 0.3);
  assert.equal(m.maxDrawdownDays, 5);
});

Deno.test("computeMetrics() volatility, Sharpe and Sortino match hand-computed values", () => {
  // Returns +10 %, −10 %, +10 %: mean 1/30, sample variance 1/75, downside √(0.01 / 3).
  const m = computeMetrics({
    equity: curve([100, 110, 99, 108.9]),
    tradePnls: [],
    tradedNotional: 0,
  });
  const root = Math.sqrt(252);
  assertClose(m.annualVolatility, Math.sqrt(1 / 75) * root, 1e-12);
  assertClose(m.sharpe, (1 / 30) / Math.sqrt(1 / 75) * root, 1e-12);
  assertClose(m.sortino, (1 / 30) / Math.sqrt(0.01 / 3) * root, 1e-12);
  assertClose(m.maxDrawdown, 0.1);
  assert.equal(m.maxDrawdownDays, 2, "not recovered: peak on day 1 to the last day, 3");
});

Deno.test("computeMetrics() annualises with periodsPerYear", () => {
  const equity = curve([100, 110, 99, 108.9]);
  const daily = computeMetrics({ equity, tradePnls: [], tradedNotional: 0 });
  const weekly = computeMetrics({ equity, tradePnls: [], tradedNotional: 0, periodsPerYear: 52 });
  assertClose(weekly.sharpe / daily.sharpe, Math.sqrt(52 / 252));
  assertClose(weekly.annualVolatility / daily.annualVolatility, Math.sqrt(52 / 252));
});

Deno.test("computeMetrics() subtracts the risk-free rate compounded down to one period", () => {
  const equity = curve([100, 110, 99, 108.9]);
  const rf = 0.05;
  const m = computeMetrics({ equity, tradePnls: [], tradedNotional: 0, riskFreeRate: rf });
  const rfDay = 1.05 ** (1 / 252) - 1;
  const excessMean = 1 / 30 - rfDay;
  assertClose(m.sharpe, excessMean / Math.sqrt(1 / 75) * Math.sqrt(252), 1e-12);
  // Shortfalls below rfDay: 0.1 − rfDay is positive, so only −0.1 − rfDay counts.
  const downside = Math.sqrt((-0.1 - rfDay) ** 2 / 3);
  assertClose(m.sortino, excessMean / downside * Math.sqrt(252), 1e-12);
  assert.equal(
    m.annualVolatility,
    computeMetrics({ equity, tradePnls: [], tradedNotional: 0 })
      .annualVolatility,
  );
});

Deno.test("computeMetrics() trade statistics of a known win/loss list", () => {
  const m = computeMetrics({
    equity: curve([100, 100]),
    tradePnls: [100, -50, 30, 0, -20],
    tradedNotional: 0,
  });
  assert.equal(m.trades, 5);
  assert.equal(m.winRate, 0.4, "a break-even trade counts in the denominator, not as a win");
  assertClose(m.profitFactor!, 130 / 70);
  assert.equal(m.avgWin, 65);
  assert.equal(m.avgLoss, -35, "avgLoss is the mean losing P&L, negative");
  assert.equal(m.expectancy, 12);
  assertClose(m.expectancy, m.winRate * m.avgWin + (2 / 5) * m.avgLoss);
});

Deno.test("computeMetrics() reports profit factor null when there are no losses, not Infinity or 0", () => {
  const m = computeMetrics({ equity: curve([100, 130]), tradePnls: [10, 20], tradedNotional: 0 });
  assert.equal(m.profitFactor, null);
  assert.equal(m.winRate, 1);
  assert.equal(m.avgLoss, 0);
  assert.equal(m.avgWin, 15);
});

Deno.test("computeMetrics() with no trades reports zero trade statistics", () => {
  const m = computeMetrics({ equity: curve([100, 100]), tradePnls: [], tradedNotional: 0 });
  assert.deepEqual(
    [m.trades, m.winRate, m.profitFactor, m.avgWin, m.avgLoss, m.expectancy],
    [0, 0, null, 0, 0, 0],
  );
});

Deno.test("computeMetrics() exposure is the share of days with a position", () => {
  const equity = curve([100, 100, 100, 100]).map((p, i) => ({
    ...p,
    grossExposure: [0, 50, 0, 10][i]!,
  }));
  const m = computeMetrics({ equity, tradePnls: [], tradedNotional: 0 });
  assert.equal(m.exposure, 0.5);
});

Deno.test("computeMetrics() turnover is traded notional over average equity per calendar year", () => {
  // 2024-01-01 → 2024-12-31 is 365 days; average equity 150.
  const m = computeMetrics({
    equity: curve([100, 200], [0, 365]),
    tradePnls: [],
    tradedNotional: 3_000,
  });
  assertClose(m.turnover, 3_000 / 150 / (365 / 365.25));
});

Deno.test("computeMetrics() of an empty or one-day curve is all zeros (profit factor null), never NaN", () => {
  const empty = computeMetrics({ equity: [], tradePnls: [], tradedNotional: 0 });
  assertAllFinite(empty);
  const { profitFactor, ...rest } = empty;
  assert.equal(profitFactor, null);
  assert.ok(Object.values(rest).every((v) => v === 0));
  const one = computeMetrics({ equity: curve([100]), tradePnls: [], tradedNotional: 50 });
  assertAllFinite(one);
  assert.equal(one.exposure, 1);
  assert.equal(one.cagr, 0);
  assert.equal(one.turnover, 0, "no elapsed time: turnover is 0");
});

Deno.test("computeMetrics() of a curve that is wiped out reports −100 %, never NaN", () => {
  const m = computeMetrics({ equity: curve([100, 50, 0, 0]), tradePnls: [], tradedNotional: 0 });
  assertAllFinite(m);
  assert.equal(m.totalReturn, -1);
  assert.equal(m.cagr, -1);
  assert.equal(m.maxDrawdown, 1);
  assert.equal(m.maxDrawdownDays, 3);
  assert.equal(m.calmar, -1);
});

Deno.test("computeMetrics() reports a CAGR that overflows a double as 0, keeping results.json valid", () => {
  const m = computeMetrics({ equity: curve([1, 1e6]), tradePnls: [], tradedNotional: 0 });
  assertAllFinite(m);
  assert.equal(m.cagr, 0);
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(m))), JSON.stringify(m));
});

Deno.test("computeMetrics() throws on dates that do not increase, malformed dates and NaN", () => {
  const ok = curve([100, 101]);
  assert.throws(
    () => computeMetrics({ equity: [ok[1]!, ok[0]!], tradePnls: [], tradedNotional: 0 }),
    /'date' must be strictly increasing, got 2024-01-01 after 2024-01-02/,
  );
  assert.throws(
    () => computeMetrics({ equity: [ok[0]!, ok[0]!], tradePnls: [], tradedNotional: 0 }),
    /strictly increasing/,
  );
  assert.throws(
    () =>
      computeMetrics({
        equity: [{ date: "2024-1-1", equity: 1, grossExposure: 0 }],
        tradePnls: [],
        tradedNotional: 0,
      }),
    /'date' must be YYYY-MM-DD/,
  );
  assert.throws(
    () =>
      computeMetrics({ equity: [{ ...ok[0]!, equity: NaN }], tradePnls: [], tradedNotional: 0 }),
    /'equity' must be finite, got NaN on 2024-01-01/,
  );
  assert.throws(
    () => computeMetrics({ equity: ok, tradePnls: [Infinity], tradedNotional: 0 }),
    /'tradePnls' must be finite/,
  );
  assert.throws(
    () => computeMetrics({ equity: ok, tradePnls: [], tradedNotional: -1 }),
    /'tradedNotional'/,
  );
  assert.throws(
    () => computeMetrics({ equity: ok, tradePnls: [], tradedNotional: 0, periodsPerYear: 0 }),
    /'periodsPerYear' must be > 0, got 0/,
  );
});

import assert from "node:assert/strict";
import {
  dailyReturns,
  downsideDeviation,
  drawdowns,
  mean,
  monthlyReturns,
  rollingSharpe,
  sampleStdev,
} from "../../../core/backtest/series.ts";

function assertClose(actual: number | null | undefined, expected: number, tol = 1e-12): void {
  assert.ok(
    typeof actual === "number" && Math.abs(actual - expected) <= tol,
    `expected ${expected}, got ${actual}`,
  );
}

Deno.test("dailyReturns() gives v[t]/v[t-1] − 1, one fewer than the values", () => {
  const r = dailyReturns([100, 110, 99]);
  assert.equal(r.length, 2);
  assertClose(r[0], 0.1);
  assertClose(r[1], -0.1);
  assert.deepEqual(dailyReturns([100]), []);
  assert.deepEqual(dailyReturns([]), []);
});

Deno.test("dailyReturns() gives 0 after a zero value instead of Infinity or NaN", () => {
  assert.deepEqual(dailyReturns([0, 50, 0, 0]), [0, -1, 0]);
});

Deno.test("drawdowns() measures the fraction below the running peak", () => {
  assert.deepEqual(drawdowns([100, 80, 110, 99, 121]), [0, 0.2, 0, 0.1, 0]);
  assert.deepEqual(drawdowns([]), []);
});

Deno.test("drawdowns() is 0 while the running peak is not positive", () => {
  assert.deepEqual(drawdowns([0, -5, -2]), [0, 0, 0]);
});

Deno.test("monthlyReturns() compares each month's last equity with the previous month's last", () => {
  const m = monthlyReturns([
    { date: "2024-01-02", equity: 100 },
    { date: "2024-01-31", equity: 110 },
    { date: "2024-02-01", equity: 50 },
    { date: "2024-02-29", equity: 99 },
    // March has no points: April compares with February's last.
    { date: "2024-04-30", equity: 108.9 },
  ]);
  assert.deepEqual(m.map((x) => x.month), ["2024-01", "2024-02", "2024-04"]);
  assertClose(m[0]?.ret, 0.1);
  assertClose(m[1]?.ret, -0.1);
  assertClose(m[2]?.ret, 0.1);
});

Deno.test("monthlyReturns() measures the first month from the first point's equity", () => {
  const m = monthlyReturns([{ date: "2024-03-15", equity: 200 }, {
    date: "2024-03-29",
    equity: 150,
  }]);
  assert.deepEqual(m, [{ month: "2024-03", ret: -0.25 }]);
  assert.deepEqual(monthlyReturns([]), []);
});

Deno.test("monthlyReturns() throws on dates out of order or not YYYY-MM-DD", () => {
  assert.throws(
    () => monthlyReturns([{ date: "2024-02-01", equity: 1 }, { date: "2024-01-31", equity: 1 }]),
    /2024-01-31 after 2024-02-01/,
  );
  assert.throws(() => monthlyReturns([{ date: "2024/01/31", equity: 1 }]), /YYYY-MM-DD/);
});

Deno.test("rollingSharpe() is null until the window is full, then mean / sample stdev × √252", () => {
  const out = rollingSharpe([0.01, -0.01, 0.02, 0.02], 3);
  assert.equal(out.length, 4);
  assert.equal(out[0], null);
  assert.equal(out[1], null);
  // [0.01, -0.01, 0.02]: mean 0.02/3, sample variance 0.00046667/2 → stdev √(7/30000).
  assertClose(out[2], (0.02 / 3) / Math.sqrt(7 / 30_000) * Math.sqrt(252), 1e-9);
  // [-0.01, 0.02, 0.02]: mean 0.01, deviations −0.02, 0.01, 0.01 → stdev √0.0003.
  assertClose(out[3], 0.01 / Math.sqrt(0.0003) * Math.sqrt(252), 1e-9);
});

Deno.test("rollingSharpe() annualises with the periods per year it is given", () => {
  const daily = rollingSharpe([0.01, 0.03], 2)[1]!;
  const weekly = rollingSharpe([0.01, 0.03], 2, 52)[1]!;
  assertClose(weekly / daily, Math.sqrt(52 / 252));
});

Deno.test("rollingSharpe() is 0 over a window of equal returns", () => {
  const returns = dailyReturns(Array.from({ length: 10 }, (_, i) => 100 * 1.003 ** i));
  assert.deepEqual(rollingSharpe(returns, 5).slice(4), [0, 0, 0, 0, 0]);
});

Deno.test("rollingSharpe() throws on a window below 2 or a non-positive year", () => {
  assert.throws(() => rollingSharpe([0.1, 0.2], 1), /'window' must be an integer >= 2, got 1/);
  assert.throws(() => rollingSharpe([0.1, 0.2], 2.5), /'window'/);
  assert.throws(() => rollingSharpe([0.1, 0.2], 2, 0), /'periodsPerYear' must be > 0, got 0/);
});

Deno.test("rollingSharpe() of a series shorter than the window is all null", () => {
  assert.deepEqual(rollingSharpe([0.1, 0.2], 5), [null, null]);
});

Deno.test("sampleStdev() uses the n − 1 denominator and is 0 for fewer than two values", () => {
  assertClose(sampleStdev([1, 2, 3, 4]), Math.sqrt(5 / 3));
  assert.equal(sampleStdev([5]), 0);
  assert.equal(sampleStdev([]), 0);
  assert.equal(mean([]), 0);
  assert.equal(mean([1, 2, 6]), 3);
});

Deno.test("sampleStdev() snaps the float noise of equal compounded returns to 0", () => {
  const returns = dailyReturns(Array.from({ length: 300 }, (_, i) => 100_000 * 1.0007 ** i));
  assert.equal(sampleStdev(returns), 0);
  // A genuinely tiny dispersion survives: a cent on $100k once in a year of days.
  const cent = returns.map((_, i) => (i === 100 ? 1e-7 : 0));
  assert.ok(sampleStdev(cent) > 0);
});

Deno.test("downsideDeviation() averages squared shortfalls over every period, not just the losing ones", () => {
  // Shortfalls below 0: only −0.1; over 3 periods → √(0.01 / 3).
  assertClose(downsideDeviation([0.1, -0.1, 0.1]), Math.sqrt(0.01 / 3));
  // Below a target of 0.05, 0.1 falls short by nothing and −0.1 by 0.15.
  assertClose(downsideDeviation([0.1, -0.1], 0.05), Math.sqrt(0.0225 / 2));
  assert.equal(downsideDeviation([0.1, 0.2]), 0);
  assert.equal(downsideDeviation([]), 0);
});

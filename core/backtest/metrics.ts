/**
 * The metric set of a backtest (strategy or benchmark) from its daily equity curve and its
 * round-trip P&Ls. Definitions, units and edge cases are in README.md beside this file; the code
 * and that table must say the same thing.
 *
 * Every result is a finite number, because results.json cannot carry NaN or Infinity: a ratio whose
 * denominator is 0 (no volatility, no losses, no drawdown, no elapsed time) is reported as 0, and
 * any other non-finite value (a CAGR that overflows over a span of days) is reported as 0 too.
 */
import type { EquityPoint, Metrics } from "./results.ts";
import { dailyReturns, downsideDeviation, drawdowns, mean, sampleStdev } from "./series.ts";

/** The fields of one daily equity point that metrics read. */
export type MetricPoint = Pick<EquityPoint, "date" | "equity" | "grossExposure">;

/** What `computeMetrics` needs. */
export interface MetricInput {
  /** One point per UTC day, dates `YYYY-MM-DD` strictly increasing; equity in account currency. */
  readonly equity: readonly MetricPoint[];
  /** Realised P&L after fees of each closed round trip, in account currency. */
  readonly tradePnls: readonly number[];
  /** Sum of |qty × price| over every fill, in account currency. */
  readonly tradedNotional: number;
  /** Return periods per year used to annualise volatility, Sharpe and Sortino; default 252. */
  readonly periodsPerYear?: number;
  /** Annual risk-free rate as a fraction (0.04 = 4 %); default 0. */
  readonly riskFreeRate?: number;
}

const DAY_MS = 86_400_000;
/** Calendar days per year for CAGR and turnover (the Julian year). */
const DAYS_PER_YEAR = 365.25;

function fail(field: string, why: string, got: unknown): never {
  throw new RangeError(`Cannot compute metrics: '${field}' ${why}, got ${got}`);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) fail("date", "must be YYYY-MM-DD", JSON.stringify(date));
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** `num / den`, or 0 when the denominator is 0 (the documented convention for undefined ratios). */
function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/** Largest drawdown and the calendar days from its peak to its recovery (or to the last day). */
function maxDrawdownOf(values: readonly number[], days: readonly number[]): [number, number] {
  const dd = drawdowns(values);
  let peakIdx = 0;
  let worst = 0;
  let worstPeakIdx = 0;
  let troughIdx = -1;
  for (let i = 0; i < values.length; i++) {
    // `>=`: returning to the old high ends the episode, so a later fall starts a new one there.
    if (values[i]! >= values[peakIdx]!) peakIdx = i;
    // `>`: of equal drawdowns the first one is reported.
    if (dd[i]! > worst) {
      worst = dd[i]!;
      worstPeakIdx = peakIdx;
      troughIdx = i;
    }
  }
  if (troughIdx < 0) return [0, 0];
  let endIdx = values.length - 1;
  for (let j = troughIdx + 1; j < values.length; j++) {
    if (values[j]! >= values[worstPeakIdx]!) {
      endIdx = j;
      break;
    }
  }
  return [worst, days[endIdx]! - days[worstPeakIdx]!];
}

/**
 * Computes the metric set from a daily equity curve and round-trip P&Ls (definitions in README.md).
 * Throws on corrupt input: a non-finite number, a malformed date, or dates not strictly increasing.
 * @example
 * ```ts
 * import { computeMetrics } from "./metrics.ts";
 * const m = computeMetrics({
 *   equity: [
 *     { date: "2024-01-01", equity: 100, grossExposure: 0 },
 *     { date: "2024-01-05", equity: 80, grossExposure: 80 },
 *     { date: "2024-01-11", equity: 110, grossExposure: 110 },
 *   ],
 *   tradePnls: [30, -20],
 *   tradedNotional: 400,
 * });
 * m.maxDrawdown; // 0.2
 * m.maxDrawdownDays; // 10
 * ```
 */
export function computeMetrics(input: MetricInput): Metrics {
  const { equity: points, tradePnls, tradedNotional } = input;
  const periodsPerYear = input.periodsPerYear ?? 252;
  const riskFreeRate = input.riskFreeRate ?? 0;
  if (!Number.isFinite(periodsPerYear) || periodsPerYear <= 0) {
    fail("periodsPerYear", "must be > 0", periodsPerYear);
  }
  if (!Number.isFinite(riskFreeRate) || riskFreeRate <= -1) {
    fail("riskFreeRate", "must be a finite rate > -1", riskFreeRate);
  }
  if (!Number.isFinite(tradedNotional) || tradedNotional < 0) {
    fail("tradedNotional", "must be finite and >= 0", tradedNotional);
  }
  const values: number[] = [];
  const days: number[] = [];
  let exposed = 0;
  for (const p of points) {
    const day = dayNumber(p.date);
    const prev = days[days.length - 1];
    if (prev !== undefined && day <= prev) {
      fail(
        "date",
        "must be strictly increasing",
        `${p.date} after ${points[days.length - 1]!.date}`,
      );
    }
    if (!Number.isFinite(p.equity)) fail("equity", "must be finite", `${p.equity} on ${p.date}`);
    if (!Number.isFinite(p.grossExposure)) {
      fail("grossExposure", "must be finite", `${p.grossExposure} on ${p.date}`);
    }
    values.push(p.equity);
    days.push(day);
    if (p.grossExposure > 0) exposed++;
  }
  for (const pnl of tradePnls) if (!Number.isFinite(pnl)) fail("tradePnls", "must be finite", pnl);

  const first = values[0] ?? 0;
  const last = values[values.length - 1] ?? 0;
  const years = values.length < 2 ? 0 : (days[days.length - 1]! - days[0]!) / DAYS_PER_YEAR;
  // A curve that starts at or below zero has no base to be a fraction of.
  const totalReturn = first <= 0 ? 0 : last / first - 1;
  // A curve that ends at or below zero lost everything: −100 % a year, not the NaN of a root of a
  // negative number.
  const cagr = finite(
    first <= 0 || years === 0 ? 0 : last <= 0 ? -1 : (last / first) ** (1 / years) - 1,
  );

  const returns = dailyReturns(values);
  // The annual rate compounded down to one period: (1 + rf)^(1/P) − 1.
  const rfPeriod = (1 + riskFreeRate) ** (1 / periodsPerYear) - 1;
  const excess = returns.map((r) => r - rfPeriod);
  const annualise = Math.sqrt(periodsPerYear);
  const sd = sampleStdev(returns);
  const meanExcess = mean(excess);
  const [maxDrawdown, maxDrawdownDays] = maxDrawdownOf(values, days);
  const avgEquity = mean(values);

  let wins = 0, losses = 0, grossWin = 0, grossLoss = 0, total = 0;
  for (const pnl of tradePnls) {
    total += pnl;
    if (pnl > 0) {
      wins++;
      grossWin += pnl;
    } else if (pnl < 0) {
      losses++;
      grossLoss += pnl;
    }
  }
  const trades = tradePnls.length;

  return {
    totalReturn: finite(totalReturn),
    cagr,
    annualVolatility: finite(sd * annualise),
    sharpe: finite(ratio(meanExcess, sd) * annualise),
    sortino: finite(ratio(meanExcess, downsideDeviation(returns, rfPeriod)) * annualise),
    calmar: finite(ratio(cagr, maxDrawdown)),
    maxDrawdown: finite(maxDrawdown),
    maxDrawdownDays,
    winRate: ratio(wins, trades),
    // Undefined without a losing trade: null, never Infinity (JSON has none) nor a misleading 0.
    profitFactor: grossLoss < 0 ? finite(grossWin / -grossLoss) : null,
    avgWin: finite(ratio(grossWin, wins)),
    avgLoss: finite(ratio(grossLoss, losses)),
    expectancy: finite(ratio(total, trades)),
    exposure: ratio(exposed, values.length),
    turnover: avgEquity <= 0 ? 0 : finite(ratio(tradedNotional / avgEquity, years)),
    trades,
  };
}

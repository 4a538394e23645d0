/**
 * Statistics over float series (equity curves and their returns) for reports only: metrics and the
 * tearsheet. Bookkeeping never reads these numbers; money stays exact Cash elsewhere.
 *
 * Dispersions that are float noise are snapped to 0 so a ratio over them is defined rather than
 * enormous. A return computed as `v[t] / v[t-1] - 1` carries an absolute rounding error of about
 * 2^-52 × (1 + r), so a series of equal returns shows a sample stdev near 1e-16, not 0; any
 * dispersion below `1e-12 × max(1, |largest value|)` is treated as exactly 0. A real daily series
 * that still moved that little would be moving less than a millionth of a cent per $10,000.
 */

// Relative size below which a stdev or downside deviation is rounding noise (see the header).
const NOISE_FLOOR = 1e-12;

function snapNoise(dispersion: number, values: readonly number[]): number {
  let scale = 1;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  return dispersion <= NOISE_FLOOR * scale ? 0 : dispersion;
}

/** Arithmetic mean; 0 for an empty series. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n − 1 denominator); 0 with fewer than two values or below the noise floor. */
export function sampleStdev(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return snapNoise(Math.sqrt(ss / (n - 1)), values);
}

/**
 * Downside deviation below `target`: the square root of the mean, over every period, of
 * min(0, r − target)²; 0 for an empty series or below the noise floor.
 */
export function downsideDeviation(returns: readonly number[], target = 0): number {
  if (returns.length === 0) return 0;
  let ss = 0;
  for (const r of returns) {
    const d = Math.min(0, r - target);
    ss += d * d;
  }
  return snapNoise(Math.sqrt(ss / returns.length), returns);
}

/**
 * Simple period returns `v[t] / v[t-1] − 1`, one fewer than the values; 0 where `v[t-1]` is 0.
 * @example
 * ```ts
 * import { dailyReturns } from "./series.ts";
 * dailyReturns([100, 110, 99]); // [0.1, -0.1] (to float precision)
 * ```
 */
export function dailyReturns(values: readonly number[]): number[] {
  const out: number[] = [];
  for (let t = 1; t < values.length; t++) {
    const prev = values[t - 1]!;
    out.push(prev === 0 ? 0 : values[t]! / prev - 1);
  }
  return out;
}

/**
 * Fraction below the running peak at each point, `(peak − v) / peak` (≥ 0), same length as the
 * values; 0 while the running peak is ≤ 0, where a fraction of it has no meaning.
 * @example
 * ```ts
 * import { drawdowns } from "./series.ts";
 * drawdowns([100, 80, 110]); // [0, 0.2, 0]
 * ```
 */
export function drawdowns(values: readonly number[]): number[] {
  const out: number[] = [];
  let peak = -Infinity;
  for (const v of values) {
    if (v > peak) peak = v;
    out.push(peak > 0 ? (peak - v) / peak : 0);
  }
  return out;
}

/**
 * Calendar-month returns from daily points in date order: each month's last equity over the
 * previous month's last equity, the first month over the first point's equity; 0 over a zero.
 * Throws when a date is not `YYYY-MM-DD` or the dates go backwards (the points are corrupt).
 * @example
 * ```ts
 * import { monthlyReturns } from "./series.ts";
 * monthlyReturns([
 *   { date: "2024-01-02", equity: 100 },
 *   { date: "2024-01-31", equity: 110 },
 *   { date: "2024-02-29", equity: 99 },
 * ]); // [{ month: "2024-01", ret: 0.1 }, { month: "2024-02", ret: -0.1 }] (to float precision)
 * ```
 */
export function monthlyReturns(
  points: readonly { date: string; equity: number }[],
): { month: string; ret: number }[] {
  const out: { month: string; ret: number }[] = [];
  const first = points[0];
  if (first === undefined) return out;
  let base = first.equity;
  let month = "";
  let last = base;
  let prevDate = "";
  for (const p of points) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.date)) {
      throw new RangeError(
        `Cannot compute monthly returns: 'date' must be YYYY-MM-DD, got ${p.date}`,
      );
    }
    if (p.date < prevDate) {
      throw new RangeError(
        `Cannot compute monthly returns: dates must be in order, got ${p.date} after ${prevDate}`,
      );
    }
    prevDate = p.date;
    const m = p.date.slice(0, 7);
    if (m !== month && month !== "") {
      out.push({ month, ret: base === 0 ? 0 : last / base - 1 });
      base = last;
    }
    month = m;
    last = p.equity;
  }
  out.push({ month, ret: base === 0 ? 0 : last / base - 1 });
  return out;
}

/**
 * Sharpe ratio of each trailing `window` of returns, `mean / sampleStdev × √periodsPerYear`, same
 * length as the returns; null until the window is full and 0 where the stdev is 0. No risk-free
 * rate is subtracted. `window` must be an integer ≥ 2 (a sample stdev needs two values).
 * @example
 * ```ts
 * import { rollingSharpe } from "./series.ts";
 * rollingSharpe([0.01, -0.01, 0.02], 2); // [null, 0, 3.74...] (0.005 / 0.0212... × √252)
 * ```
 */
export function rollingSharpe(
  returns: readonly number[],
  window: number,
  periodsPerYear = 252,
): (number | null)[] {
  if (!Number.isSafeInteger(window) || window < 2) {
    throw new RangeError(
      `Cannot compute rolling Sharpe: 'window' must be an integer >= 2, got ${window}`,
    );
  }
  if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) {
    throw new RangeError(
      `Cannot compute rolling Sharpe: 'periodsPerYear' must be > 0, got ${periodsPerYear}`,
    );
  }
  const annualise = Math.sqrt(periodsPerYear);
  const out: (number | null)[] = [];
  for (let t = 0; t < returns.length; t++) {
    if (t + 1 < window) {
      out.push(null);
      continue;
    }
    // Recomputed per window (two passes) rather than with running sums: running sums of squares
    // cancel catastrophically for returns near their mean, and n × window is small for daily data.
    const slice = returns.slice(t + 1 - window, t + 1);
    const sd = sampleStdev(slice);
    out.push(sd === 0 ? 0 : mean(slice) / sd * annualise);
  }
  return out;
}

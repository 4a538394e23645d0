/**
 * Calendar-aligned ticks for a date axis in epoch days (UTC): the first of a month, quarter or
 * year, or every day or week for short spans, chosen so an axis gets at most about ten labels.
 */

const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** Short English month names, January first. */
export const MONTH_NAMES: readonly string[] = MONTHS;

const MAX_TICKS = 10;
const DAY_STEPS = [1, 2, 7, 14] as const;
/** Steps in months; 12 and above are labelled by year alone. */
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600] as const;

/** Tick positions (epoch days) and labels for a date axis spanning [from, to] epoch days. */
export function timeTicks(from: number, to: number): { x: number; label: string }[] {
  if (!(to >= from)) return [];
  const span = to - from;
  for (const step of DAY_STEPS) {
    if (span / step <= MAX_TICKS) {
      const ticks: { x: number; label: string }[] = [];
      for (let d = Math.ceil(from / step) * step; d <= to; d += step) {
        ticks.push({ x: d, label: isoDay(d) });
      }
      return ticks;
    }
  }
  const start = new Date(from * 86_400_000);
  const end = new Date(to * 86_400_000);
  const first = start.getUTCFullYear() * 12 + start.getUTCMonth();
  const last = end.getUTCFullYear() * 12 + end.getUTCMonth();
  const step = MONTH_STEPS.find((s) => (last - first) / s <= MAX_TICKS) ?? 1200;
  const ticks: { x: number; label: string }[] = [];
  // Month indices that are multiples of the step land on January, April, July... and round years.
  for (let m = Math.ceil(first / step) * step; m <= last; m += step) {
    const year = Math.floor(m / 12);
    const month = m - year * 12;
    const x = Date.UTC(year, month, 1) / 86_400_000;
    if (x < from || x > to) continue;
    ticks.push({ x, label: step >= 12 ? `${year}` : `${MONTHS[month]} ${year}` });
  }
  return ticks;
}

/** YYYY-MM-DD of an epoch day. */
function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Guesses a bar file's timeframe from the spacing of its first bar timestamps. */
import { parseTimeframe } from "../../data/timeframe.ts";

// Timeframes vendors publish. Snapping to the nearest one (by ratio) absorbs spacing that is not
// exact: daily US-equity bars stamped at local midnight are 23 h or 25 h apart across a DST change.
const LADDER: readonly number[] = [
  "1s",
  "5s",
  "10s",
  "15s",
  "30s",
  "1m",
  "2m",
  "3m",
  "5m",
  "10m",
  "15m",
  "30m",
  "1h",
  "2h",
  "3h",
  "4h",
  "6h",
  "8h",
  "12h",
  "1d",
].map(parseTimeframe);

/**
 * The timeframe in µs of bars starting at `starts` (file order): the smallest positive gap between
 * consecutive starts, snapped to the nearest common timeframe; gaps over a day (weekends,
 * holidays) give 1d. Undefined when no two starts differ.
 * @example
 * ```ts
 * import { inferTimeframe } from "./infer_timeframe.ts";
 * const day = 86_400_000_000;
 * inferTimeframe([0, day, 4 * day]); // 86_400_000_000 (1d: the weekend gap is not the smallest)
 * ```
 */
export function inferTimeframe(starts: readonly number[]): number | undefined {
  let gap = Infinity;
  for (let i = 1; i < starts.length; i++) {
    const d = starts[i]! - starts[i - 1]!;
    if (d > 0 && d < gap) gap = d;
  }
  if (gap === Infinity) return undefined;
  let best = LADDER[0]!;
  for (const tf of LADDER) {
    if (Math.abs(Math.log(gap / tf)) < Math.abs(Math.log(gap / best))) best = tf;
  }
  return best;
}

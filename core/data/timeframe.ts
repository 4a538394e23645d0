/** Bar timeframes: labels such as `1s`, `1m`, `5m`, `1h`, `1d` ↔ microseconds. */

const UNIT_MICROS: Record<string, number> = {
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};
const DAY = 86_400_000_000;

/** Parses `<n><s|m|h|d>` (1s … 1d) into microseconds; throws naming the bad label. */
export function parseTimeframe(label: string): number {
  const m = /^([1-9]\d{0,4})([smhd])$/.exec(label);
  if (m === null) {
    throw new RangeError(
      `timeframe must look like 1s, 1m, 5m, 1h or 1d, got ${JSON.stringify(label)}`,
    );
  }
  const micros = Number(m[1]) * UNIT_MICROS[m[2]!]!;
  if (micros > DAY) throw new RangeError(`timeframe must be at most 1d, got ${label}`);
  // Buckets align to the epoch, so a timeframe must divide a day for bars to start on round times.
  if (DAY % micros !== 0) throw new RangeError(`timeframe must divide a day evenly, got ${label}`);
  return micros;
}

// One string object per label: bars, configs and strategies then compare timeframes by identity,
// which the engine does on every bar.
const LABELS = new Map<number, string>();

/** Canonical label for a timeframe in microseconds (inverse of parseTimeframe). */
export function timeframeLabel(micros: number): string {
  let label = LABELS.get(micros);
  if (label !== undefined) return label;
  if (micros % DAY === 0) label = `${micros / DAY}d`;
  else if (micros % 3_600_000_000 === 0) label = `${micros / 3_600_000_000}h`;
  else if (micros % 60_000_000 === 0) label = `${micros / 60_000_000}m`;
  else label = `${micros / 1_000_000}s`;
  if (LABELS.size < 1024) LABELS.set(micros, label);
  return label;
}

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

/** Canonical label for a timeframe in microseconds (inverse of parseTimeframe). */
export function timeframeLabel(micros: number): string {
  if (micros % DAY === 0) return `${micros / DAY}d`;
  if (micros % 3_600_000_000 === 0) return `${micros / 3_600_000_000}h`;
  if (micros % 60_000_000 === 0) return `${micros / 60_000_000}m`;
  return `${micros / 1_000_000}s`;
}

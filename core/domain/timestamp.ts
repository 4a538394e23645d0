/**
 * RFC 3339 timestamps ↔ epoch microseconds without Date parsing on the hot path. Venue frames
 * carry nanosecond strings such as `2021-02-22T15:51:44.208123456Z`; digits past the microsecond
 * are dropped (truncated: a timestamp is a point, rounding up could move it into the next bar).
 */

const DAY_MICROS = 86_400_000_000;

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Parses an RFC 3339 timestamp (`Z` or `±HH:MM`) to epoch microseconds; NaN when malformed. */
export function parseRfc3339Micros(s: string): number {
  const len = s.length;
  if (len < 20 || len > 40) return NaN;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (
    y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
    se < 0 ||
    se > 60 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  ) return NaN;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 116 && t !== 32) return NaN; // 'T', 't' or ' '
  let i = 19;
  let frac = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    let n = 0;
    while (i < len) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (n < 6) frac = frac * 10 + c;
      n++;
      i++;
    }
    if (n === 0) return NaN;
    for (let k = n; k < 6; k++) frac *= 10;
  }
  let offset = 0;
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === len) {
    offset = 0;
  } else if ((z === 43 || z === 45) && i + 6 === len && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0) return NaN;
    offset = (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000_000;
  } else {
    return NaN;
  }
  return daysFromCivil(y, mo, d) * DAY_MICROS + ((h * 60 + mi) * 60 + se) * 1_000_000 + frac -
    offset;
}

/** Parses an ISO 8601 / RFC 3339 string or an epoch-milliseconds integer string to epoch µs; NaN if neither. */
export function parseTimestampMicros(text: string): number {
  if (/^\d{10,16}$/.test(text)) return Number(text) * 1000;
  const fast = parseRfc3339Micros(text);
  if (!Number.isNaN(fast)) return fast;
  // Dates without a time ("2024-01-02") and other ISO forms fall back to Date: cold path only.
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(text + "T00:00:00Z") * 1000;
  return NaN;
}

/** Formats epoch microseconds as RFC 3339 UTC with microseconds, e.g. `2024-01-02T15:04:05.123456Z`. */
export function formatRfc3339Micros(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // 2024-01-02T15:04:05.123Z
  const micro = String(us - ms * 1000).padStart(3, "0");
  return iso.slice(0, 23) + micro + "Z";
}

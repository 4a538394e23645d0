/**
 * When a venue's trading day starts, from a time passed in (never the wall clock). US equities
 * open at 09:30 America/New_York on weekdays; crypto trades 24/7 and its day starts at 00:00 UTC.
 * New York's UTC offset comes from the US daylight-saving rules in plain arithmetic rather than
 * Intl, so the answer is the same on every host and cheap enough to call per event (the tests
 * check it against Intl's tz database). Exchange holidays are not known here: on a holiday the
 * session start is still that weekday's 09:30.
 */
import type { AssetClass } from "../domain/instrument.ts";

const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;
const OPEN_LOCAL = 9 * HOUR + 30 * 60_000_000; // 09:30 local, µs after local midnight

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil year of day number `days` (the inverse of daysFromCivil, year only). */
function yearOfDay(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) -
      Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekday(days: number): number {
  return ((days % 7) + 11) % 7;
}

/** Day number of the `n`th Sunday (1-based) of month `m` in year `y`. */
function nthSunday(y: number, m: number, n: number): number {
  const first = daysFromCivil(y, m, 1);
  return first + ((7 - weekday(first)) % 7) + 7 * (n - 1);
}

/** Day number of the last Sunday of month `m` in year `y`. */
function lastSunday(y: number, m: number): number {
  const last = daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
  return last - weekday(last);
}

/**
 * Whether New York keeps daylight time at 09:30 on day `days`. The switch happens at 02:00 local
 * on a Sunday, so by 09:30 the switch day already has its new offset: DST covers [start, end).
 */
function nyDstAt0930(days: number): boolean {
  const y = yearOfDay(days);
  // Energy Policy Act of 2005, from 2007: second Sunday of March to first Sunday of November.
  // 1987–2006: first Sunday of April to last Sunday of October (also applied, inexactly, to
  // earlier years, which no data here reaches).
  const start = y >= 2007 ? nthSunday(y, 3, 2) : nthSunday(y, 4, 1);
  const end = y >= 2007 ? nthSunday(y, 11, 1) : lastSunday(y, 10);
  return days >= start && days < end;
}

/** Epoch µs of 09:30 New York time on day number `days`. */
function usEquityOpen(days: number): number {
  return days * DAY + OPEN_LOCAL + (nyDstAt0930(days) ? 4 : 5) * HOUR;
}

/**
 * Epoch µs of the most recent session start at or before `now` (epoch µs) for `assetClass`:
 * the last weekday 09:30 America/New_York for US equities, the last 00:00 UTC for crypto.
 * @example
 * ```ts
 * import { sessionStartMicros } from "./session_clock.ts";
 * // Monday 2024-03-11 15:00Z, the day after the spring-forward: the open was 09:30 EDT = 13:30Z.
 * sessionStartMicros("us_equity", Date.UTC(2024, 2, 11, 15) * 1000) ===
 *   Date.UTC(2024, 2, 11, 13, 30) * 1000; // true
 * ```
 */
export function sessionStartMicros(assetClass: AssetClass, now: number): number {
  if (!Number.isSafeInteger(now)) {
    throw new RangeError(`Cannot find session start: 'now' must be integer µs, got ${now}`);
  }
  const today = Math.floor(now / DAY);
  if (assetClass === "crypto") return today * DAY;
  // 09:30 New York is 13:30 or 14:30 UTC on the same UTC date, so the latest open ≤ now is on
  // now's UTC day or earlier; walk back past weekends (at most Sat, Sun and one more day).
  for (let d = today; d > today - 5; d--) {
    const wd = weekday(d);
    if (wd === 0 || wd === 6) continue;
    const open = usEquityOpen(d);
    if (open <= now) return open;
  }
  throw new Error(`unreachable: no weekday open within 5 days before ${now}`);
}

/**
 * Whether a new session of `assetClass` has started after `prevStart` (a session start as
 * returned by sessionStartMicros) by `now`; the caller then calls Portfolio.startSession.
 */
export function isNewSession(assetClass: AssetClass, prevStart: number, now: number): boolean {
  return sessionStartMicros(assetClass, now) > prevStart;
}

/**
 * A client of Alpaca's historical bars endpoints (GET /v2/stocks/bars, GET
 * /v1beta3/crypto/us/bars): follows next_page_token, converts every bar to the instrument's exact
 * units, paces requests through a RateLimiter on the injected Clock and retries a 429 after its
 * Retry-After (the same page, at most 3 times). Other failures throw a VenueError. The key and
 * secret go only into the two request headers, never into an error message.
 */
import type { Clock } from "../../clock/clock.ts";
import { timeframeLabel } from "../../data/timeframe.ts";
import { decimalToUnits, numberToUnits } from "../../domain/decimal_units.ts";
import type { AssetClass, Instrument, InstrumentTable } from "../../domain/instrument.ts";
import { parseTimestampMicros } from "../../domain/timestamp.ts";
import { RateLimiter } from "../../execution/rate_limiter.ts";
import { kindForStatus, VenueError } from "../../execution/venue_error.ts";
import { AlpacaJsonError, pairSymbol } from "./order_json.ts";

/** One historical bar in exact units; `start` is the bar's start, epoch µs. */
export interface HistoricalBar {
  readonly symbol: string;
  readonly start: number;
  /** Prices in price units of the instrument. */
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Volume in lots. */
  readonly volume: number;
  /** Volume-weighted average price, rounded to price units. */
  readonly vwap: number;
  readonly tradeCount: number;
}

/** What to download and how. */
export interface FetchBarsOptions {
  /** e.g. `https://data.alpaca.markets` (no trailing slash needed). */
  readonly baseUrl: string;
  readonly key: string;
  readonly secret: string;
  /** Picks the endpoint: stocks or crypto. */
  readonly assetClass: AssetClass;
  readonly symbols: readonly string[];
  /** Alpaca timeframe such as `1Min`, `5Min`, `1Hour`, `1Day`. */
  readonly timeframe: string;
  /** RFC 3339 or a date; both ends inclusive. */
  readonly start: string;
  readonly end: string;
  /** Stocks only: raw | split | dividend | all. */
  readonly adjustment?: string;
  /** Stocks only: iex | sip. */
  readonly feed?: string;
  /** Bars per page, 1..10000 (default 10000). */
  readonly limit?: number;
  /** Precision of every symbol requested. */
  readonly instruments: InstrumentTable;
  /** Times the rate limiter and Retry-After waits. */
  readonly clock: Clock;
  /** Shared limiter; default 200 requests a minute, bursts of 10. */
  readonly limiter?: RateLimiter;
}

/** Totals of one download. */
export interface FetchBarsResult {
  readonly pages: number;
  readonly bars: number;
}

const MAX_RETRIES = 3;
const DEFAULT_RETRY_MS = 1000;
type Json = Record<string, unknown>;

/** Alpaca timeframe for a bar length in µs: 1m → `1Min`, 1h → `1Hour`, 1d → `1Day`. */
export function alpacaTimeframe(micros: number): string {
  const DAY = 86_400_000_000, HOUR = 3_600_000_000, MINUTE = 60_000_000;
  if (micros === DAY) return "1Day";
  if (micros % HOUR === 0 && micros < DAY) return `${micros / HOUR}Hour`;
  if (micros % MINUTE === 0 && micros < HOUR) return `${micros / MINUTE}Min`;
  throw new RangeError(
    `Alpaca has no ${timeframeLabel(micros)} bars: use minutes (1m…59m), hours (1h…23h) or 1d`,
  );
}

/** A price or size field: Alpaca sends numbers; decimal strings are accepted too. */
function units(o: Json, field: string, decimals: number, symbol: string): number {
  const v = o[field];
  const u = typeof v === "number"
    ? numberToUnits(v, decimals)
    : typeof v === "string"
    ? decimalToUnits(v, decimals)
    : NaN;
  if (Number.isNaN(u) || u < 0) {
    throw new AlpacaJsonError(`Alpaca bar of ${symbol} '${field}' is invalid: ${String(v)}`);
  }
  return u;
}

/** Reads one Alpaca bar object of `inst`. */
export function barFromJson(json: unknown, inst: Instrument): HistoricalBar {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new AlpacaJsonError(`Alpaca bar of ${inst.symbol} must be an object`);
  }
  const o = json as Json;
  const start = typeof o.t === "string" ? parseTimestampMicros(o.t) : NaN;
  if (Number.isNaN(start)) {
    throw new AlpacaJsonError(`Alpaca bar of ${inst.symbol} 't' is invalid: ${String(o.t)}`);
  }
  const p = inst.priceDecimals, s = inst.symbol;
  const n = o.n ?? 0;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new AlpacaJsonError(`Alpaca bar of ${s} 'n' is invalid: ${String(n)}`);
  }
  const close = units(o, "c", p, s);
  return {
    symbol: s,
    start,
    open: units(o, "o", p, s),
    high: units(o, "h", p, s),
    low: units(o, "l", p, s),
    close,
    volume: units(o, "v", inst.qtyDecimals, s),
    vwap: o.vw === undefined || o.vw === null ? close : units(o, "vw", p, s),
    tradeCount: n,
  };
}

/**
 * Downloads every bar of `options.symbols` in [start, end], page by page, handing each page's bars
 * (in the API's order: by symbol, then time) to `onPage` before asking for the next.
 * @example
 * ```ts
 * import { WallClock } from "../../clock/wall_clock.ts";
 * import { InstrumentTable } from "../../domain/instrument.ts";
 * import { fetchBars } from "./market_data_rest.ts";
 * export async function download(): Promise<void> {
 *   const options = {
 *     baseUrl: "https://data.alpaca.markets", key: "KEY", secret: "SECRET",
 *     assetClass: "us_equity" as const, symbols: ["AAPL"], timeframe: "1Min",
 *     start: "2024-01-02", end: "2024-01-02T23:59:59Z",
 *     instruments: new InstrumentTable(["AAPL"], "ALPACA"), clock: new WallClock(),
 *   };
 *   await fetchBars(options, (bars) => console.log(bars.length));
 * }
 * ```
 */
export async function fetchBars(
  options: FetchBarsOptions,
  onPage: (bars: readonly HistoricalBar[]) => void | Promise<void>,
): Promise<FetchBarsResult> {
  const { clock, instruments } = options;
  const limiter = options.limiter ??
    new RateLimiter(clock, { perMinute: 200, burst: 10, maxQueue: 100 });
  const crypto = options.assetClass === "crypto";
  const url = new URL(
    crypto ? "/v1beta3/crypto/us/bars" : "/v2/stocks/bars",
    options.baseUrl.replace(/\/+$/, "") + "/",
  );
  const q = url.searchParams;
  q.set("symbols", options.symbols.join(","));
  q.set("timeframe", options.timeframe);
  q.set("start", options.start);
  q.set("end", options.end);
  q.set("limit", String(options.limit ?? 10_000));
  if (!crypto) {
    q.set("adjustment", options.adjustment ?? "raw");
    q.set("feed", options.feed ?? "iex");
  }
  const headers = { "APCA-API-KEY-ID": options.key, "APCA-API-SECRET-KEY": options.secret };
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimer(ms, r));
  let pages = 0, total = 0;
  for (;;) {
    let body: Json | undefined;
    for (let attempt = 0; body === undefined; attempt++) {
      await limiter.acquire();
      let res: Response;
      try {
        res = await fetch(url, { headers });
      } catch (e) {
        throw new VenueError("network", `GET ${url.pathname} failed: ${(e as Error).message}`);
      }
      if (res.ok) {
        body = await res.json() as Json;
        break;
      }
      const text = await res.text();
      let message = text;
      try {
        message = String((JSON.parse(text) as Json).message ?? text);
      } catch { /* not JSON: keep the text */ }
      const retryAfter = Number(res.headers.get("retry-after"));
      const retryAfterMs = retryAfter >= 0 && res.headers.has("retry-after")
        ? retryAfter * 1000
        : DEFAULT_RETRY_MS;
      if (res.status === 429 && attempt < MAX_RETRIES) {
        await sleep(retryAfterMs);
        continue;
      }
      throw new VenueError(
        kindForStatus(res.status),
        `GET ${url.pathname} failed with ${res.status}: ${message}`,
        { status: res.status, retryAfterMs: res.status === 429 ? retryAfterMs : undefined },
      );
    }
    const page: HistoricalBar[] = [];
    const bySymbol = (body.bars ?? {}) as Record<string, unknown>;
    for (const raw of Object.keys(bySymbol).sort()) {
      const inst = instruments.get(raw) ?? instruments.get(pairSymbol(raw));
      if (inst === undefined) throw new AlpacaJsonError(`Alpaca bars for unknown symbol ${raw}`);
      const list = bySymbol[raw];
      if (!Array.isArray(list)) throw new AlpacaJsonError(`Alpaca bars of ${raw} must be a list`);
      for (const b of list) page.push(barFromJson(b, inst));
    }
    pages++;
    total += page.length;
    await onPage(page);
    const next = body.next_page_token;
    if (typeof next !== "string" || next === "") return { pages, bars: total };
    q.set("page_token", next);
  }
}

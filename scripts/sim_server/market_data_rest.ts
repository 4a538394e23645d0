/**
 * Alpaca's historical bars endpoints over SYNTHETIC data: GET /v2/stocks/bars and
 * GET /v1beta3/crypto/us/bars with Alpaca's query parameters, response shape, opaque
 * next_page_token and `{"code","message"}` errors. No bar here is real market data.
 *
 * Bars are aggregated (core/data/bar_aggregator.ts) from trades drawn from a SeededRng seeded by
 * symbol and UTC day, so any bar depends only on its symbol, day and timeframe: pages and separate
 * requests agree byte for byte. Each day starts within a few percent of the symbol's level, the
 * price the sim's streams start from, so history and the live stream meet. Stocks trade 09:30–16:00
 * New York time (from 13:30 or 14:30 UTC, with daylight saving) on weekdays, crypto around the
 * clock; minutes without trades have no bar, as on Alpaca. Holidays trade like other weekdays.
 */
import { BarAggregator } from "../../core/data/bar_aggregator.ts";
import type { Bar } from "../../core/domain/market_events.ts";
import { pow10 } from "../../core/domain/fixed_point.ts";
import { type Instrument, makeInstrument, tickSizeAt } from "../../core/domain/instrument.ts";
import { SeededRng } from "../../core/domain/seeded_rng.ts";
import { parseTimestampMicros } from "../../core/domain/timestamp.ts";
import { alpacaError, ERRORS } from "./alpaca_json.ts";
import type { Route } from "./router.ts";
import { sessionStartMicros } from "../../core/portfolio/session_clock.ts";
import { simConfigSchema } from "../../schemas/config.ts";

/** Market-data REST options. */
export interface MarketDataRestOptions {
  /** Only this pair authenticates; without it any non-empty key and secret do. */
  readonly credentials?: { readonly key: string; readonly secret: string };
  /** While true every key is refused (the fail_auth fault). */
  readonly failAuth?: () => boolean;
  /** Mixed into every symbol's seed (default 1). */
  readonly seed?: number;
  /** Default `end` when a request gives none, epoch µs (default: now). */
  readonly now?: () => number;
  /**
   * Price level per symbol in quote units (default: the sim's `start_prices`, 100 for others), so
   * history sits where the stream's prices start: a strategy warming up on these bars does not
   * see a jump to the live prices.
   */
  readonly startPrices?: Readonly<Record<string, number>>;
}

/** The market-data REST routes. */
export interface MarketDataRest {
  /** The two bars routes, for the router. */
  readonly routes: readonly Route[];
}

const MINUTE = 60_000_000, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
const NY_OPEN_AFTER_MIDNIGHT = 9 * HOUR + 30 * MINUTE;
const DEFAULT_LIMIT = 1000, MAX_LIMIT = 10_000;
const STOCK_SESSION = 6 * HOUR + 30 * MINUTE; // regular New York hours (no early closes)
const bad = (message: string) => alpacaError(400, 40010001, message);

/** Alpaca timeframe (`5Min`, `5T`, `1Hour`, `1H`, `1Day`, `1D`) → µs; undefined if unsupported. */
export function parseAlpacaTimeframe(text: string): number | undefined {
  const m = /^([1-9]\d{0,2})(Min|T|Hour|H|Day|D)$/.exec(text);
  if (m === null) return undefined;
  const n = Number(m[1]);
  const unit = m[2] === "Min" || m[2] === "T"
    ? MINUTE
    : m[2] === "Hour" || m[2] === "H"
    ? HOUR
    : DAY;
  const us = n * unit;
  // Buckets align to the UTC day, so a timeframe must divide it (Alpaca allows 1..59Min, 1..23Hour).
  return us <= DAY && DAY % us === 0 ? us : undefined;
}

/** FNV-1a of `text`: a stable per-symbol seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Every bar of `inst` on the UTC day starting at `day` µs, at timeframe `tf` µs, around `level`
 * (quote units).
 */
function dayBars(inst: Instrument, day: number, tf: number, seed: number, level: number): Bar[] {
  const crypto = inst.assetClass === "crypto";
  const weekday = new Date(day / 1000).getUTCDay();
  if (!crypto && (weekday === 0 || weekday === 6)) return [];
  const base = hash(inst.symbol);
  const rng = new SeededRng((base ^ Math.imul(day / DAY, 0x9e3779b1) ^ seed) >>> 0);
  const scale = pow10(inst.priceDecimals);
  // The symbol's level, drifting a few percent from day to day.
  let price = Math.round(level * scale * Math.exp(0.03 * rng.normal()));
  const bars: Bar[] = [];
  const agg = new BarAggregator(inst.symbol, [tf], "skip", (b) => bars.push(b));
  // Stocks from 09:30 New York (13:30 or 14:30 UTC with daylight saving) for 6.5 hours.
  const from = crypto ? day : sessionStartMicros("us_equity", day + DAY - 1);
  const to = crypto ? day + DAY : from + STOCK_SESSION;
  for (let t = from; t < to; t += MINUTE) {
    const trades = rng.int(4); // 0..3 trades a minute: some minutes have no bar
    for (let j = 0; j < trades; j++) {
      const tick = crypto ? pow10(Math.max(0, inst.priceDecimals - 2)) : tickSizeAt(inst, price);
      price = Math.max(10 * tick, price + Math.round(rng.normal() * 3) * tick);
      price -= price % tick;
      const size = crypto
        ? Math.max(1, Math.round(rng.next() * 2 * pow10(inst.qtyDecimals - 3))) * 1000
        : 1 + rng.int(500);
      const ts = t + Math.floor(((j + 1) * MINUTE) / (trades + 1));
      agg.onTrade(price, size, ts, ts);
    }
  }
  agg.onTime(day + DAY, day + DAY);
  return bars;
}

/**
 * Alpaca's bar object: numbers, `t` the bar start in RFC 3339. Daily stock bars are stamped at
 * midnight New York time, as Alpaca stamps them (04:00Z or 05:00Z with daylight saving).
 */
function barJson(inst: Instrument, b: Bar, tf: number): Record<string, unknown> {
  const p = pow10(inst.priceDecimals), q = pow10(inst.qtyDecimals);
  const start = tf === DAY && inst.assetClass !== "crypto"
    ? sessionStartMicros("us_equity", b.start + DAY - 1) - NY_OPEN_AFTER_MIDNIGHT
    : b.start;
  return {
    t: new Date(start / 1000).toISOString().replace(".000Z", "Z"),
    o: b.open / p,
    h: b.high / p,
    l: b.low / p,
    c: b.close / p,
    v: b.volume / q,
    n: b.tradeCount,
    vw: b.vwap / p,
  };
}

/** The page token: where the next page starts (symbol, bar start). Opaque to clients. */
const encodeToken = (symbol: string, start: number) => btoa(`${symbol}|${start}`);
function decodeToken(token: string): { symbol: string; start: number } | undefined {
  try {
    const [symbol, start] = atob(token).split("|");
    const t = Number(start);
    return symbol !== undefined && Number.isSafeInteger(t) ? { symbol, start: t } : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the historical bars API. */
export function createMarketDataRest(options: MarketDataRestOptions = {}): MarketDataRest {
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => Date.now() * 1000);
  const levels = options.startPrices ?? simConfigSchema.parse({}).start_prices;
  const authorized = (req: Request) => {
    const key = req.headers.get("apca-api-key-id") ?? "";
    const secret = req.headers.get("apca-api-secret-key") ?? "";
    const want = options.credentials;
    if (options.failAuth?.() === true) return false;
    return key !== "" && secret !== "" &&
      (want === undefined || (key === want.key && secret === want.secret));
  };

  const bars = (url: URL, crypto: boolean): Response => {
    const q = url.searchParams;
    const symbols = [...new Set((q.get("symbols") ?? "").split(",").filter((s) => s !== ""))];
    if (symbols.length === 0) return bad("missing symbols");
    const instruments: Instrument[] = [];
    for (const s of symbols.sort()) {
      if (s.includes("/") !== crypto) return bad(`invalid symbol: ${s}`);
      try {
        instruments.push(makeInstrument(s, instruments.length, { venue: "SIM" }));
      } catch {
        return bad(`invalid symbol: ${s}`);
      }
    }
    const tf = parseAlpacaTimeframe(q.get("timeframe") ?? "");
    if (tf === undefined) return bad(`invalid timeframe: ${q.get("timeframe") ?? ""}`);
    const end = q.has("end") ? parseTimestampMicros(q.get("end")!) : now();
    if (Number.isNaN(end)) return bad(`invalid end: ${q.get("end")}`);
    const start = q.has("start") ? parseTimestampMicros(q.get("start")!) : end - (end % DAY);
    if (Number.isNaN(start)) return bad(`invalid start: ${q.get("start")}`);
    if (end < start) return ERRORS.invalid("end should not be before start");
    const limit = Number(q.get("limit") ?? DEFAULT_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return bad(`invalid limit: must be 1..${MAX_LIMIT}, got ${q.get("limit")}`);
    }
    const adjustment = q.get("adjustment") ?? "raw";
    if (crypto ? q.has("adjustment") : !["raw", "split", "dividend", "all"].includes(adjustment)) {
      return bad(`invalid adjustment: ${adjustment}`);
    }
    const feed = q.get("feed") ?? "iex";
    if (crypto ? q.has("feed") : !["iex", "sip", "delayed_sip", "otc"].includes(feed)) {
      return bad(`invalid feed: ${feed}`);
    }
    let from = { symbol: instruments[0]!.symbol, start };
    const token = q.get("page_token");
    if (token !== null && token !== "") {
      const t = decodeToken(token);
      if (t === undefined || !symbols.includes(t.symbol) || t.start < start) {
        return bad("invalid page_token");
      }
      from = t;
    }

    // Symbols in sorted order, each from its first bar at or after `from`, until `limit` bars.
    const out: Record<string, unknown[]> = {};
    let count = 0;
    for (const inst of instruments) {
      if (inst.symbol < from.symbol) continue;
      const first = inst.symbol === from.symbol ? from.start : start;
      for (let day = first - (first % DAY); day <= end; day += DAY) {
        for (const b of dayBars(inst, day, tf, seed, levels[inst.symbol] ?? 100)) {
          if (b.start < first || b.start > end) continue;
          if (count === limit) {
            return Response.json({ bars: out, next_page_token: encodeToken(inst.symbol, b.start) });
          }
          (out[inst.symbol] ??= []).push(barJson(inst, b, tf));
          count++;
        }
      }
    }
    return Response.json({ bars: out, next_page_token: null });
  };

  const route: Route = (req, url) => {
    const crypto = url.pathname === "/v1beta3/crypto/us/bars";
    if (!crypto && url.pathname !== "/v2/stocks/bars") return undefined;
    if (req.method !== "GET") return alpacaError(405, 40510000, "method not allowed");
    if (!authorized(req)) return ERRORS.unauthorized();
    return bars(url, crypto);
  };
  return { routes: [route] };
}

/**
 * Alpaca's most recent closed bars of some symbols (for strategy warm-up), from the historical
 * bars endpoints: stocks and crypto each from their own. The window asked for holds about twice
 * `count` bars (intraday stock bars: twice that much time in regular sessions, across nights and
 * weekends; minutes without trades have no bar), so a thousand symbols stay a few pages; only the
 * last `count` of each symbol are kept.
 */
import type { Clock } from "../../clock/clock.ts";
import { timeframeLabel } from "../../data/timeframe.ts";
import { assetClassOf, type InstrumentTable } from "../../domain/instrument.ts";
import type { Bar } from "../../domain/market_events.ts";
import { formatRfc3339Micros } from "../../domain/timestamp.ts";
import { sessionStartMicros } from "../../portfolio/session_clock.ts";
import { alpacaTimeframe, fetchBars, type HistoricalBar } from "./market_data_rest.ts";

const DAY = 86_400_000_000, HOUR = 3_600_000_000;

/** Where and as whom to read bars. */
export interface RecentBarsOptions {
  readonly baseUrl: string;
  readonly key: string;
  readonly secret: string;
  /** Stocks feed: iex, sip or test. */
  readonly feed: string;
  readonly instruments: InstrumentTable;
  readonly clock: Clock;
}

// Regular New York hours; early closes only make a window reach a little further back.
const SESSION = 6.5 * HOUR;

/**
 * The time from which `span` of regular stock-market hours elapse before `end`, walking back over
 * nights, weekends (and, inexactly, holidays: they only widen the window): so intraday bars are
 * asked for the sessions that hold them, not days of them per symbol.
 */
export function sessionTimeBack(end: number, span: number): number {
  let t = end, left = span;
  for (let i = 0; i < 400; i++) {
    const open = sessionStartMicros("us_equity", t);
    const upTo = Math.min(t, open + SESSION);
    if (upTo - open >= left) return upTo - left;
    left -= upTo - open;
    t = open - 1;
  }
  return t;
}

/**
 * The last `count` bars of each of `symbols` at `timeframeMicros` that close at or before
 * `endMicros`, oldest first per symbol.
 */
export async function alpacaRecentBars(
  options: RecentBarsOptions,
  symbols: readonly string[],
  timeframeMicros: number,
  count: number,
  endMicros: number,
): Promise<Bar[]> {
  const timeframe = alpacaTimeframe(timeframeMicros); // throws for seconds: Alpaca has none
  const label = timeframeLabel(timeframeMicros);
  const out: Bar[] = [];
  for (const assetClass of ["us_equity", "crypto"] as const) {
    const mine = symbols.filter((s) => assetClassOf(s) === assetClass);
    if (mine.length === 0) continue;
    const span = count * timeframeMicros;
    const lookback = assetClass === "crypto"
      ? 2 * span + HOUR
      : timeframeMicros < DAY
      ? endMicros - sessionTimeBack(endMicros, 2 * span)
      : 5 * span + 5 * DAY;
    const bars: HistoricalBar[] = [];
    await fetchBars({
      baseUrl: options.baseUrl,
      key: options.key,
      secret: options.secret,
      assetClass,
      symbols: mine,
      timeframe,
      start: formatRfc3339Micros(endMicros - lookback),
      end: formatRfc3339Micros(endMicros - timeframeMicros), // the last bar's start, inclusive
      ...(assetClass === "us_equity" ? { feed: options.feed } : {}),
      instruments: options.instruments,
      clock: options.clock,
    }, (page) => {
      for (const b of page) bars.push(b);
    });
    const recv = options.clock.nowMicros();
    for (const symbol of mine) {
      for (const b of bars.filter((x) => x.symbol === symbol).slice(-count)) {
        out.push({
          ...b,
          timeframe: label,
          end: b.start + timeframeMicros,
          empty: false,
          source: "venue",
          venueTime: b.start + timeframeMicros,
          recvTime: recv,
        });
      }
    }
  }
  return out;
}

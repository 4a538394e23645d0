/**
 * Downloads historical bars from Alpaca (or the sim server) into one replay CSV per symbol
 * (core/venues/replay/README.md), resuming after the last bar of a file that already exists.
 * Usage: deno task history --symbols AAPL,BTC/USD --timeframe 1m --from 2024-01-02 --to 2024-01-05
 *        --out data/history [--adjustment raw] [--feed iex] [--base-url URL] [--limit N] [--help]
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { WallClock } from "../core/clock/wall_clock.ts";
import { parseTimeframe } from "../core/data/timeframe.ts";
import { formatScaled } from "../core/domain/fixed_point.ts";
import {
  formatPrice,
  formatQty,
  type Instrument,
  InstrumentTable,
} from "../core/domain/instrument.ts";
import { parseTimestampMicros } from "../core/domain/timestamp.ts";
import {
  alpacaTimeframe,
  fetchBars,
  type HistoricalBar,
} from "../core/venues/alpaca/market_data_rest.ts";
import { VenueError } from "../core/execution/venue_error.ts";

const HELP =
  `Usage: deno task history --symbols S1,S2 --timeframe TF --from DATE --to DATE --out DIR

Downloads Alpaca historical bars into DIR/<SYMBOL>.csv (BTC/USD → BTC-USD.csv) in the replay
format. A file that exists is continued after its last bar, so an interrupted run can be re-run.
Keys come from APCA_API_KEY_ID and APCA_API_SECRET_KEY.

Options:
  --symbols S1,S2      stock symbols and crypto pairs, e.g. AAPL,BTC/USD
  --timeframe TF       1m, 5m, 15m, 1h or 1d (any minutes or hours dividing a day, or 1d)
  --from DATE          first day, YYYY-MM-DD (UTC)
  --to DATE            last day, YYYY-MM-DD (UTC, inclusive)
  --out DIR            output folder (created if missing)
  --adjustment A       stocks: raw, split, dividend or all (default raw)
  --feed F             stocks: iex or sip (default iex)
  --base-url URL       API root (default https://data.alpaca.markets)
  --limit N            bars per request, 1..10000 (default 10000)
  --help               show this text

Exit codes: 0 done, 1 download failed, 2 bad argument.`;

/** The CSV header the replay reader knows as bars. */
export const HEADER = "timestamp,open,high,low,close,volume,vwap,trade_count";
const DAY = 86_400_000_000;

/** A command-line mistake; the message names the argument. */
class UsageError extends Error {}

/** Where the CLI reads its environment and writes its text (tests pass their own). */
export interface HistoryIo {
  readonly env: (name: string) => string | undefined;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const defaultIo: HistoryIo = {
  env: (name) => Deno.env.get(name),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Bar start as RFC 3339, without a fraction when it is whole seconds. */
function timestamp(us: number): string {
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return us % 1_000_000 === 0 ? iso.replace(/\.\d{3}Z$/, "Z") : iso.replace("Z", "") +
    String(us % 1000).padStart(3, "0") + "Z";
}

/** One CSV row of `bar`, decimal strings from exact units. */
function row(inst: Instrument, b: HistoricalBar): string {
  const p = (x: number) => formatPrice(inst, x);
  return `${timestamp(b.start)},${p(b.open)},${p(b.high)},${p(b.low)},${p(b.close)},${
    formatQty(inst, b.volume)
  },${formatScaled(b.vwap, inst.priceDecimals)},${b.tradeCount}\n`;
}

/** `BTC/USD` → `BTC-USD.csv`, as the replay reader maps file names back to symbols. */
export function fileName(symbol: string): string {
  return `${symbol.replace("/", "-")}.csv`;
}

/**
 * Prepares `path` for appending: creates it with the header, or drops a partly written last line,
 * and returns the start of its last bar (µs), or undefined when it has none.
 */
async function prepare(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    await Deno.writeTextFile(path, HEADER + "\n");
    return undefined;
  }
  if (text.trim() === "") {
    await Deno.writeTextFile(path, HEADER + "\n");
    return undefined;
  }
  if (!text.startsWith(HEADER)) {
    throw new Error(`${path} exists but its header is not ${HEADER}; move it away or fix it`);
  }
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  if (complete.length < text.length) await Deno.writeTextFile(path, complete); // interrupted write
  const lines = complete.trimEnd().split("\n");
  if (lines.length < 2) return undefined;
  const last = parseTimestampMicros(lines[lines.length - 1]!.split(",")[0] ?? "");
  if (Number.isNaN(last)) throw new Error(`${path}: cannot read the last row's timestamp`);
  return last;
}

/** Parses and checks the command line; throws UsageError naming the bad argument. */
function parse(args: readonly string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        symbols: { type: "string" },
        timeframe: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        out: { type: "string" },
        adjustment: { type: "string", default: "raw" },
        feed: { type: "string", default: "iex" },
        "base-url": { type: "string", default: "https://data.alpaca.markets" },
        limit: { type: "string", default: "10000" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return undefined;
  const need = (name: "symbols" | "timeframe" | "from" | "to" | "out"): string => {
    const v = values[name];
    if (v === undefined || v === "") throw new UsageError(`--${name} is required`);
    return v;
  };
  const symbols = [...new Set(need("symbols").split(",").map((s) => s.trim().toUpperCase()))];
  let instruments: InstrumentTable;
  try {
    instruments = new InstrumentTable(symbols.filter((s) => s !== ""), "ALPACA");
  } catch (e) {
    throw new UsageError(`--symbols: ${(e as Error).message}`);
  }
  if (instruments.size === 0) throw new UsageError("--symbols is empty");
  let tf: number, timeframe: string;
  try {
    tf = parseTimeframe(need("timeframe"));
    timeframe = alpacaTimeframe(tf);
  } catch (e) {
    throw new UsageError(`--timeframe: ${(e as Error).message}`);
  }
  const date = (name: "from" | "to") => {
    const v = need(name);
    const us = /^\d{4}-\d{2}-\d{2}$/.test(v) ? parseTimestampMicros(v) : NaN;
    if (Number.isNaN(us)) throw new UsageError(`--${name} must be a date YYYY-MM-DD, got ${v}`);
    return us;
  };
  const from = date("from"), to = date("to");
  if (to < from) throw new UsageError(`--to must not be before --from, got ${values.to}`);
  if (!["raw", "split", "dividend", "all"].includes(values.adjustment)) {
    throw new UsageError(
      `--adjustment must be raw, split, dividend or all, got ${values.adjustment}`,
    );
  }
  if (!["iex", "sip"].includes(values.feed)) {
    throw new UsageError(`--feed must be iex or sip, got ${values.feed}`);
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new UsageError(`--limit must be 1..10000, got ${values.limit}`);
  }
  try {
    new URL(values["base-url"]);
  } catch {
    throw new UsageError(`--base-url must be a URL, got ${values["base-url"]}`);
  }
  return {
    instruments,
    tf,
    timeframe,
    from,
    end: to + DAY - 1_000_000, // the last second of --to: bars start on whole seconds
    out: need("out"),
    adjustment: values.adjustment,
    feed: values.feed,
    baseUrl: values["base-url"],
    limit,
  };
}

/** Runs the CLI; resolves with the exit code (0 done, 1 failed, 2 bad argument). */
export async function main(args: readonly string[], io: HistoryIo = defaultIo): Promise<number> {
  let opts;
  try {
    opts = parse(args);
    if (opts === undefined) {
      io.out(HELP);
      return 0;
    }
    for (const name of ["APCA_API_KEY_ID", "APCA_API_SECRET_KEY"]) {
      if (!io.env(name)) throw new UsageError(`${name} must be set in the environment`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`history: ${e.message}\nRun with --help for usage.`);
    return 2;
  }
  const clock = new WallClock();
  try {
    await Deno.mkdir(opts.out, { recursive: true });
    for (const inst of opts.instruments.list()) {
      const path = join(opts.out, fileName(inst.symbol));
      const last = await prepare(path);
      const start = last === undefined ? opts.from : last + opts.tf;
      if (start > opts.end) {
        io.out(`${inst.symbol}: ${path} is complete`);
        continue;
      }
      const result = await fetchBars({
        baseUrl: opts.baseUrl,
        key: io.env("APCA_API_KEY_ID")!,
        secret: io.env("APCA_API_SECRET_KEY")!,
        assetClass: inst.assetClass,
        symbols: [inst.symbol],
        timeframe: opts.timeframe,
        start: timestamp(start),
        end: timestamp(opts.end),
        adjustment: opts.adjustment,
        feed: opts.feed,
        limit: opts.limit,
        instruments: opts.instruments,
        clock,
      }, async (bars) => {
        // One write per page: a kill loses at most the page being written, and prepare() drops
        // its partial last line on the next run.
        const text = bars.filter((b) => b.start >= start).map((b) => row(inst, b)).join("");
        if (text !== "") await Deno.writeTextFile(path, text, { append: true });
      });
      io.out(`${inst.symbol}: ${result.bars} bars in ${result.pages} page(s) → ${path}`);
    }
  } catch (e) {
    // Venue errors, unreadable venue data and file errors all end the run; re-running resumes.
    if (!(e instanceof Error)) throw e;
    const status = e instanceof VenueError ? ` (${e.kind})` : "";
    io.err(`history: ${e.message}${status}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));

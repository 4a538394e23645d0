/**
 * Regenerates research/data/: real daily bars for backtests, converted from the package files they
 * come from into the replay CSV format (core/venues/replay/README.md). research/data/README.md says
 * what each file is, where it comes from and under which licence.
 * Usage: deno run --allow-read --allow-write scripts/research_data.ts --vega-datasets PATH
 *        --timeseries PATH [--out DIR] [--help]
 */
import { parseArgs } from "node:util";
import { join } from "node:path";

const HELP =
  `Usage: deno run --allow-read --allow-write scripts/research_data.ts [--vega-datasets PATH]
         [--timeseries PATH] [--out DIR]

Converts real daily bars shipped in packages into replay CSV files (one per symbol) under DIR.
Each source file must be byte-identical to the one this script was written for (SHA-256 below):
the script converts, it does not adapt to other versions. Rows are never dropped or changed:
a row the replay reader would reject stops the run; oddities it accepts are reported.

Options:
  --vega-datasets PATH  npm package vega-datasets@3.2.1: its tarball (npm pack vega-datasets@3.2.1)
                        or the unpacked package folder; gives SPX.csv from data/sp500-2000.csv
  --timeseries PATH     Debian package r-cran-timeseries 4021.105-2, unpacked with
                        dpkg-deb -x r-cran-timeseries_4021.105-2_all.deb PATH (or the installed
                        /usr/lib/R/site-library/timeSeries); gives MSFT.csv from extdata/msft.csv
  --out DIR             output folder (default research/data)
  --help                show this text

At least one of --vega-datasets and --timeseries is required.
Exit codes: 0 done, 1 a source is missing, differs or holds a bad row, 2 bad argument.`;

/** The header of every file written: the replay reader's bar columns. */
export const HEADER = "timestamp,open,high,low,close,volume";

/** A command-line mistake; the message names the argument. */
class UsageError extends Error {}

/** A source file that is not the one expected, or a row that cannot be converted as it is. */
export class SourceError extends Error {}

/** One daily row as its source writes it: numbers stay decimal text, never re-formatted. */
export interface DailyRow {
  /** Trading date YYYY-MM-DD (New York). */
  readonly date: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/** Rows of one source file and the oddities noticed in them (reported, kept as they are). */
export interface Converted {
  readonly rows: readonly DailyRow[];
  readonly notes: readonly string[];
}

/** What one output file is made from. */
interface Source {
  readonly flag: "vega-datasets" | "timeseries";
  readonly symbol: string;
  /** Paths of the source file relative to what the flag names, tried in order. */
  readonly candidates: readonly string[];
  /** Path inside the npm tarball, when the flag may name one. */
  readonly tarPath?: string;
  readonly sha256: string;
  readonly convert: (text: string) => Converted;
}

const SOURCES: readonly Source[] = [
  {
    flag: "vega-datasets",
    symbol: "SPX",
    candidates: ["data/sp500-2000.csv", "package/data/sp500-2000.csv"],
    tarPath: "package/data/sp500-2000.csv",
    sha256: "9409e9342d0657c747324e4cfabce8a8c7f663bc485b95a3378f36b0a160f8c8",
    convert: (text) => convertSp500(text),
  },
  {
    flag: "timeseries",
    symbol: "MSFT",
    candidates: [
      "usr/lib/R/site-library/timeSeries/extdata/msft.csv",
      "extdata/msft.csv",
      "inst/extdata/msft.csv",
    ],
    sha256: "66fedc25c6269c38628029253739c790a09eed3cf91b2fd09a57abdfffd6be32",
    convert: (text) => convertMsft(text),
  },
];

const NEW_YORK = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  timeZoneName: "longOffset",
});

/**
 * Midnight New York time at the start of trading date `date` (YYYY-MM-DD), as RFC 3339 with New
 * York's UTC offset that day: the daily bar start Alpaca uses. Offsets come from the host's tz
 * database; US clocks change at 02:00 on Sundays, never on a trading day.
 */
export function newYorkMidnight(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const noon = new Date(Date.UTC(y, m - 1, d, 12));
  const name = NEW_YORK.formatToParts(noon).find((p) => p.type === "timeZoneName")?.value ?? "";
  const offset = /^GMT([+-]\d{2}:\d{2})$/.exec(name)?.[1];
  if (offset === undefined) throw new Error(`no New York UTC offset for ${date}: got ${name}`);
  return `${date}T00:00:00${offset}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PRICE = /^\d+(\.\d+)?$/;
const VOLUME = /^\d+$/;
const DAY_MS = 86_400_000;

/** Epoch days of a valid YYYY-MM-DD date, else undefined. */
function epochDay(date: string): number | undefined {
  const m = DATE.exec(date);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === date ? ms / DAY_MS : undefined;
}

/**
 * Checks rows in file order. Throws SourceError (naming the line) for what the replay reader would
 * reject or a backtest could not use: a bad date, a weekend, a date not after the previous row's,
 * a price that is not a positive decimal, high < low, a volume that is not a whole number. Returns
 * notes on what it accepts but a reader should know: zero volume, open or close outside
 * [low, high], and gaps of more than 4 calendar days (market closures beyond a long weekend).
 */
export function checkRows(rows: readonly DailyRow[], firstLine = 2): string[] {
  const notes: string[] = [];
  let prev: { day: number; date: string } | undefined;
  rows.forEach((r, i) => {
    const where = `line ${firstLine + i} (${r.date})`;
    const day = epochDay(r.date);
    if (day === undefined) throw new SourceError(`${where}: date is not YYYY-MM-DD`);
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    if (weekday === 0 || weekday === 6) throw new SourceError(`${where}: date is a weekend`);
    if (prev !== undefined && day <= prev.day) {
      throw new SourceError(`${where}: date is not after the previous row's ${prev.date}`);
    }
    for (const field of ["open", "high", "low", "close"] as const) {
      if (!PRICE.test(r[field]) || Number(r[field]) <= 0) {
        throw new SourceError(`${where}: ${field} ${JSON.stringify(r[field])} is not a price > 0`);
      }
    }
    if (!VOLUME.test(r.volume)) {
      throw new SourceError(`${where}: volume ${JSON.stringify(r.volume)} is not a whole number`);
    }
    const [o, h, l, c] = [r.open, r.high, r.low, r.close].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    if (h < l) throw new SourceError(`${where}: high ${r.high} < low ${r.low}`);
    if (Number(r.volume) === 0) notes.push(`${r.date}: volume 0`);
    if (o < l || o > h) notes.push(`${r.date}: open ${r.open} outside [${r.low}, ${r.high}]`);
    if (c < l || c > h) notes.push(`${r.date}: close ${r.close} outside [${r.low}, ${r.high}]`);
    if (prev !== undefined && day - prev.day > 4) {
      notes.push(`${r.date}: ${day - prev.day} calendar days after ${prev.date}`);
    }
    prev = { day, date: r.date };
  });
  return notes;
}

/** Splits text into non-empty lines (a missing final newline is fine). */
function lines(text: string): string[] {
  const all = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (all.at(-1) === "") all.pop();
  return all;
}

/** Splits a data line into exactly `n` fields, or throws naming the line. */
function fields(line: string, sep: string, n: number, lineNo: number): string[] {
  const f = line.split(sep).map((s) => s.trim());
  if (f.length !== n) {
    throw new SourceError(`line ${lineNo}: ${f.length} fields, expected ${n}: ${line}`);
  }
  return f;
}

/**
 * vega-datasets data/sp500-2000.csv: `date,open,high,low,close,adjclose,volume`. `adjclose` is
 * dropped; as the index pays no dividends it must equal `close` on every row, else this throws.
 */
export function convertSp500(text: string): Converted {
  const [header, ...data] = lines(text);
  const expected = "date,open,high,low,close,adjclose,volume";
  if (header !== expected) {
    throw new SourceError(`header ${JSON.stringify(header)}, expected ${expected}`);
  }
  const rows = data.map((line, i): DailyRow => {
    const [date, open, high, low, close, adjclose, volume] = fields(line, ",", 7, i + 2);
    if (adjclose !== close) {
      throw new SourceError(`line ${i + 2} (${date}): adjclose ${adjclose} differs from close`);
    }
    return { date: date!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
  });
  return { rows, notes: checkRows(rows) };
}

/** timeSeries extdata/msft.csv: `"%Y-%m-%d";Open;High;Low;Close;Volume`, `;`-separated. */
export function convertMsft(text: string): Converted {
  const [header, ...data] = lines(text);
  const expected = `"%Y-%m-%d";Open;High;Low;Close;Volume`;
  if (header !== expected) {
    throw new SourceError(`header ${JSON.stringify(header)}, expected ${expected}`);
  }
  const rows = data.map((line, i): DailyRow => {
    const [date, open, high, low, close, volume] = fields(line, ";", 6, i + 2);
    return { date: date!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
  });
  return { rows, notes: checkRows(rows) };
}

/** The replay CSV of `rows`: bar start at midnight New York, numbers as the source wrote them. */
export function toReplayCsv(rows: readonly DailyRow[]): string {
  const out = [HEADER];
  for (const r of rows) {
    out.push(`${newYorkMidnight(r.date)},${r.open},${r.high},${r.low},${r.close},${r.volume}`);
  }
  return out.join("\n") + "\n";
}

/** Lowercase hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The bytes of the regular file `wanted` in the gzipped tar at `path`, or undefined. */
export async function readFromTarGz(path: string, wanted: string): Promise<Uint8Array | undefined> {
  const file = await Deno.open(path);
  const tar = new Uint8Array(
    await new Response(file.readable.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer(),
  );
  const text = (from: number, to: number) =>
    new TextDecoder().decode(tar.subarray(from, to)).replace(/\0.*$/s, "");
  let off = 0;
  while (off + 512 <= tar.length) {
    if (tar.subarray(off, off + 512).every((b) => b === 0)) break;
    const name = text(off, off + 100);
    const prefix = text(off + 345, off + 500);
    const size = parseInt(text(off + 124, off + 136).trim() || "0", 8);
    const type = text(off + 156, off + 157);
    const body = off + 512;
    if ((type === "0" || type === "") && (prefix ? `${prefix}/${name}` : name) === wanted) {
      return tar.slice(body, body + size);
    }
    off = body + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** Reads `source`'s file from the tarball or folder `path`; throws SourceError when absent. */
async function readSource(source: Source, path: string): Promise<Uint8Array> {
  const info = await Deno.stat(path).catch(() => undefined);
  if (info === undefined) throw new SourceError(`--${source.flag}: ${path} does not exist`);
  if (info.isFile && source.tarPath !== undefined) {
    const bytes = await readFromTarGz(path, source.tarPath);
    if (bytes === undefined) {
      throw new SourceError(`--${source.flag}: ${path} holds no ${source.tarPath}`);
    }
    return bytes;
  }
  for (const rel of source.candidates) {
    const bytes = await Deno.readFile(join(path, rel)).catch(() => undefined);
    if (bytes !== undefined) return bytes;
  }
  throw new SourceError(`--${source.flag}: none of ${source.candidates.join(", ")} under ${path}`);
}

/** Where the CLI writes its text (tests pass their own). */
export interface ResearchDataIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const defaultIo: ResearchDataIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Parses the command line; undefined for --help. */
function parse(args: readonly string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        "vega-datasets": { type: "string" },
        timeseries: { type: "string" },
        out: { type: "string", default: "research/data" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return undefined;
  for (const name of ["vega-datasets", "timeseries", "out"] as const) {
    if (values[name] === "") throw new UsageError(`--${name} must not be empty`);
  }
  if (values["vega-datasets"] === undefined && values.timeseries === undefined) {
    throw new UsageError("give --vega-datasets, --timeseries or both");
  }
  return {
    paths: { "vega-datasets": values["vega-datasets"], timeseries: values.timeseries },
    out: values.out,
  };
}

/** Runs the CLI; resolves to the exit code. */
export async function main(
  args: readonly string[],
  io: ResearchDataIo = defaultIo,
): Promise<number> {
  let opts;
  try {
    opts = parse(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`research_data: ${e.message}\nRun with --help for usage.`);
    return 2;
  }
  if (opts === undefined) {
    io.out(HELP);
    return 0;
  }
  try {
    await Deno.mkdir(opts.out, { recursive: true });
    for (const source of SOURCES) {
      const path = opts.paths[source.flag];
      if (path === undefined) continue;
      const bytes = await readSource(source, path);
      const hash = await sha256Hex(bytes);
      if (hash !== source.sha256) {
        throw new SourceError(
          `--${source.flag}: the source file has SHA-256 ${hash}, expected ${source.sha256} ` +
            `(another version of the package?)`,
        );
      }
      const { rows, notes } = source.convert(new TextDecoder().decode(bytes));
      const csv = toReplayCsv(rows);
      const outPath = join(opts.out, `${source.symbol}.csv`);
      await Deno.writeTextFile(outPath, csv);
      const outHash = await sha256Hex(new TextEncoder().encode(csv));
      io.out(
        `${source.symbol}: ${rows.length} daily bars ${rows[0]?.date}..${rows.at(-1)?.date} → ` +
          `${outPath} (sha256 ${outHash})`,
      );
      for (const note of notes) io.out(`  note: ${note}`);
    }
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    io.err(`research_data: ${e.message}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));

/**
 * `deno task backtest`: runs one backtest from the command line, shows progress, prints the
 * metrics of the strategy beside buy and hold, and writes report.html and results.json.
 * Usage: deno task backtest --strategy ma_crossover --params fast=10,slow=30 --data research/data/SPX.csv
 */
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import {
  BacktestInputError,
  type BacktestRun,
  dataFiles,
  runBacktest,
  window,
} from "../core/backtest/run_backtest.ts";
import { dataSpan } from "../core/backtest/data_span.ts";
import { writeStableJson } from "../core/backtest/report.ts";
import type { BacktestResults, Metrics } from "../core/backtest/results.ts";
import { renderTearsheet } from "../core/backtest/tearsheet.ts";
import { strategyParamsProblem } from "../core/strategies/registry.ts";
import { describeIssue, valueAt } from "../schemas/issue_text.ts";
import { parseTimeframe } from "../core/data/timeframe.ts";
import { formatCashRounded, parseCash } from "../core/domain/money.ts";
import {
  type BacktestSpec,
  type BacktestSpecInput,
  backtestSpecSchema,
} from "../schemas/backtest.ts";

const HELP = `Usage: deno task backtest --strategy NAME --data FILE_OR_DIR [options]

Runs the core's own strategy, risk, execution and portfolio code over historical bars, trades
or quotes (CSV or JSON lines, see core/venues/replay/README.md) and writes OUT/report.html and
OUT/results.json.

Options:
  --strategy NAME          ma_crossover or rsi_bollinger
  --params K=V,K=V         strategy parameters, e.g. fast=10,slow=30,qty=5
  --data PATH              a file or a folder of .csv/.jsonl files (repeatable)
  --symbols S1,S2          instruments (default: the symbols the rows name, else the file names)
  --from DATE              first day traded, YYYY-MM-DD (UTC) or an RFC 3339 time; data before
                           it only warms the strategy up
  --to DATE                last day traded (inclusive)
  --cash AMOUNT            starting cash (default 100000)
  --out DIR                output folder (default backtest-results)
  --seed N                 seed of the run (default 1)
  --latency-ms N           submit-to-venue delay (default 0)
  --slippage MODEL         none, fixed_bps, spread_share or volume (default none)
  --slippage-bps N         fixed_bps: bps on market and stop fills
  --spread-share X         spread_share: share of the spread paid beyond the mid (default 0.5)
  --assumed-spread-bps N   spread_share on bars: the spread assumed (default 2)
  --impact-bps N           volume: bps for an order the size of the bar's volume (default 10)
  --fill-on-touch          limit orders fill on touch, not only when the price trades through
  --participation-rate X   largest share of a bar's volume filled per side (0 < X <= 1)
  --fee-per-share AMOUNT   commission per share or coin
  --fee-bps N              fee in bps of notional
  --fee-min AMOUNT         least fee per order
  --timeframes TF,TF       bars built from trades (default 1m; the strategy's own is always built)
  --quiet                  no progress bar
  --help                   show this help
`;

/** A bad command line: the message names the flag. */
class UsageError extends Error {}

const FLAGS = {
  strategy: { type: "string" },
  params: { type: "string" },
  data: { type: "string", multiple: true },
  symbols: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  cash: { type: "string" },
  out: { type: "string" },
  seed: { type: "string" },
  "latency-ms": { type: "string" },
  slippage: { type: "string" },
  "slippage-bps": { type: "string" },
  "spread-share": { type: "string" },
  "assumed-spread-bps": { type: "string" },
  "impact-bps": { type: "string" },
  "fill-on-touch": { type: "boolean" },
  "participation-rate": { type: "string" },
  "fee-per-share": { type: "string" },
  "fee-bps": { type: "string" },
  "fee-min": { type: "string" },
  timeframes: { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean" },
} as const;

const SLIPPAGE_FLAGS: Array<[string, string]> = [
  ["slippage-bps", "fixed_bps"],
  ["spread-share", "spread_share"],
  ["assumed-spread-bps", "spread_share"],
  ["impact-bps", "volume"],
];

const NUMERIC = new Set([
  "seed",
  "latency-ms",
  "slippage-bps",
  "spread-share",
  "assumed-spread-bps",
  "impact-bps",
  "participation-rate",
  "fee-bps",
]);

/** `fast=10,slow=30,kind=ema` → {fast: 10, slow: 30, kind: "ema"}, typed as the strategy's schema wants. */
export function parseParams(strategy: string, text: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const part of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new UsageError(`--params: '${part}' is not KEY=VALUE`);
    const key = part.slice(0, eq).trim(), v = part.slice(eq + 1).trim();
    params[key] = v === "true"
      ? true
      : v === "false"
      ? false
      : v !== "" && Number.isFinite(Number(v))
      ? Number(v)
      : v;
  }
  // Numbers the schema wants as text (qty="5") go back to text.
  if (strategy === "ma_crossover" || strategy === "rsi_bollinger") {
    for (let i = 0; i < Object.keys(params).length; i++) {
      const p = strategyParamsProblem(
        strategy,
        params,
        (issue) => `${issue.code}:${(issue as { expected?: unknown }).expected}`,
      );
      if (
        p === undefined || p.message !== "invalid_type:string" ||
        typeof params[p.field] !== "number"
      ) {
        break;
      }
      params[p.field] = String(params[p.field]);
    }
  }
  return params;
}

/** What the command line asks for. */
export type CommandLine =
  | { readonly help: true }
  | {
    readonly help: false;
    readonly spec: BacktestSpec;
    readonly out: string;
    readonly quiet: boolean;
  };

/** Turns argv into a validated spec and the output folder; throws UsageError naming the flag. */
export function parseCommandLine(args: readonly string[]): CommandLine {
  let v;
  try {
    v =
      parseArgs({ args: [...args], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const message = (e as Error).message;
    // node:util reads "--cash -5" as a missing value followed by an option.
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(message);
    if (ambiguous) {
      const flag = ambiguous[1];
      throw new UsageError(`${flag}: a value starting with '-' is written ${flag}=<value>`);
    }
    throw new UsageError(`${message.replace(/\.\s*$/, "")}. Run with --help for the options.`);
  }
  if (v.help) return { help: true };
  if (v.strategy === undefined) {
    throw new UsageError("--strategy is required (ma_crossover or rsi_bollinger)");
  }
  if (v.data === undefined) throw new UsageError("--data is required (a file or a folder)");
  const input: Record<string, unknown> = {
    strategy: v.strategy,
    params: parseParams(v.strategy, v.params ?? ""),
    data: v.data,
  };
  for (const [flag, value] of Object.entries(v)) {
    if (
      ["strategy", "params", "data", "out", "quiet", "help"].includes(flag) || value === undefined
    ) continue;
    const key = flag.replaceAll("-", "_");
    if (flag === "symbols" || flag === "timeframes") {
      input[key] = String(value).split(",").map((s) => s.trim()).filter((s) => s !== "");
    } else if (NUMERIC.has(flag)) {
      const n = Number(value);
      if (value === "" || !Number.isFinite(n)) {
        throw new UsageError(`--${flag}: must be a number, got ${JSON.stringify(value)}`);
      }
      input[key] = n;
    } else input[key] = value;
  }
  // A model's parameter names its model: given without --slippage it picks that model, and it
  // must not contradict one that is given.
  let chosen: { flag: string; model: string } | undefined;
  for (const [flag, model] of SLIPPAGE_FLAGS) {
    if (v[flag as keyof typeof v] === undefined) continue;
    if (v.slippage !== undefined && v.slippage !== model) {
      throw new UsageError(`--${flag} applies to --slippage ${model}, not ${v.slippage}`);
    }
    if (chosen !== undefined && chosen.model !== model) {
      throw new UsageError(
        `--${flag} applies to --slippage ${model}, but --${chosen.flag} chose ${chosen.model}`,
      );
    }
    chosen ??= { flag, model };
    input.slippage = model;
  }
  for (const tf of (v.timeframes ?? "").split(",").map((t) => t.trim()).filter((t) => t !== "")) {
    try {
      parseTimeframe(tf);
    } catch (e) {
      throw new UsageError(`--timeframes: ${(e as Error).message}`);
    }
  }
  const parsed = backtestSpecSchema.safeParse(input as BacktestSpecInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    const flag = path[0] === "params"
      ? `--params ${path.slice(1).join(".")}`
      : `--${path[0]!.replaceAll("_", "-")}`;
    const got = path[0] === "params" || issue.code === "unrecognized_keys"
      ? undefined
      : valueAt(input, issue.path);
    const gotText = got === undefined || typeof got === "object"
      ? ""
      : `, got ${JSON.stringify(got)}`;
    throw new UsageError(`${flag}: ${describeIssue(issue)}${gotText}`);
  }
  return {
    help: false as const,
    spec: parsed.data,
    out: v.out ?? "backtest-results",
    quiet: v.quiet === true,
  };
}

// `+ 0` turns a -0 (a tiny negative rounded to zero) into 0, so the table never shows -0.00.
const pct = (x: number) => `${(Number((x * 100).toFixed(2)) + 0).toFixed(2)}%`;
const num = (x: number) => (Number(x.toFixed(2)) + 0).toFixed(2);
const ROWS: Array<[string, keyof Metrics, (x: number) => string]> = [
  ["Total return", "totalReturn", pct],
  ["CAGR", "cagr", pct],
  ["Annual volatility", "annualVolatility", pct],
  ["Sharpe", "sharpe", num],
  ["Sortino", "sortino", num],
  ["Calmar", "calmar", num],
  ["Max drawdown", "maxDrawdown", pct],
  ["Max drawdown days", "maxDrawdownDays", (x) => String(x)],
  ["Win rate", "winRate", pct],
  ["Profit factor", "profitFactor", num],
  ["Average win", "avgWin", num],
  ["Average loss", "avgLoss", num],
  ["Expectancy", "expectancy", num],
  ["Exposure", "exposure", pct],
  ["Turnover", "turnover", num],
  ["Trades", "trades", (x) => String(x)],
];

/** The metrics table as text: strategy beside buy and hold. */
export function metricsTable(m: Metrics, b: Metrics): string {
  const lines = [`${"".padEnd(20)}${"strategy".padStart(14)}${"buy & hold".padStart(14)}`];
  for (const [label, key, f] of ROWS) {
    const show = (x: number | null) => x === null ? "—" : f(x);
    lines.push(`${label.padEnd(20)}${show(m[key]).padStart(14)}${show(b[key]).padStart(14)}`);
  }
  return lines.join("\n");
}

async function main(): Promise<number> {
  let cmd;
  try {
    cmd = parseCommandLine(Deno.args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`deno task backtest: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (cmd.help) {
    console.log(HELP);
    return 0;
  }
  const { spec, out, quiet } = cmd;
  const started = performance.now();
  const tty = !quiet && Deno.stderr.isTerminal();
  let lastDraw = 0;
  const span = playedSpan(await dataSpan(await dataFiles(spec.data).catch(() => [])), spec);
  const progress = (events: number, at: number, done = false) => {
    if (quiet) return;
    const now = performance.now();
    // A terminal redraws one line; a log (CI, a file) gets a line every few seconds, not a flood.
    // The last frame is always drawn and kept, so even a short run shows its bar at 100 %.
    if (!done && now - lastDraw < (tty ? 100 : 5000)) return;
    lastDraw = now;
    const day = Number.isFinite(at) ? new Date(at / 1000).toISOString().slice(0, 10) : "";
    const bar = progressBar(done ? span.end : at, span);
    const line = `${bar} ${events.toLocaleString("en-US")} events  ${day}`;
    const end = done || !tty ? "\n" : "";
    Deno.stderr.writeSync(new TextEncoder().encode(tty ? `\r\x1b[K${line}${end}` : `${line}\n`));
  };
  const outExisted = await Deno.stat(out).then(() => true, () => false);
  try {
    // Before the run, not after it: a folder that cannot be written is a bad argument.
    await Deno.mkdir(out, { recursive: true });
    await Deno.writeTextFile(`${out}/.write-test`, "");
    await Deno.remove(`${out}/.write-test`);
  } catch (e) {
    // Deno's permission layer answers first for paths like /dev/...: say what the user can fix.
    const why = e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
      ? "not a folder this task can write to"
      : (e as Error).message;
    console.error(`deno task backtest: --out: cannot write to ${out}: ${why}`);
    return 2;
  }
  let run;
  try {
    run = await runBacktest(spec, {
      onProgress: progress,
      progressEvery: 2_000,
      log: (l) => console.error(l),
    });
  } catch (e) {
    // A run refused for its input leaves no empty folder of ours behind (remove fails if not empty).
    if (!outExisted) await Deno.remove(out).catch(() => {});
    if (e instanceof BacktestInputError) {
      const flag = e.field.startsWith("params")
        ? `--params ${e.field.slice(7)}`
        : `--${e.field.replaceAll("_", "-")}`;
      console.error(`deno task backtest: ${flag}: ${e.message}`);
      return 2;
    }
    if (e instanceof ZodError || e instanceof RangeError) {
      console.error(`deno task backtest: ${e.message}`);
      return 2;
    }
    if (e instanceof Error && /replay file|CSV header/.test(e.message)) {
      console.error(`deno task backtest: --data: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const r = run.results;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${r.strategy} on ${r.symbols.join(", ")}: ${r.from.slice(0, 10)} → ${r.to.slice(0, 10)}, ` +
      `${r.events.toLocaleString("en-US")} events in ${seconds.toFixed(2)} s; ` +
      `${r.orders.length} orders, ${r.fills.length} fills; equity ${
        formatCashRounded(parseCash(r.startingCash))
      } → ${formatCashRounded(parseCash(r.endingEquity))}`,
  );
  const idle = idleHint(r, run.bars);
  if (idle !== undefined) console.log(idle);
  for (const [reason, n] of run.rejected) {
    // Rows of symbols left out with --symbols are not bad data: say what they are.
    console.log(
      reason === "unknown_symbol"
        ? `skipped ${n} rows of symbols not traded (${reason})`
        : `skipped ${n} invalid data rows (${reason})`,
    );
  }
  for (const [reason, n] of Object.entries(r.refusals)) {
    console.log(`risk refused ${n} orders (${reason})`);
  }
  console.log(metricsTable(r.metrics, r.benchmark));
  writeStableJson(`${out}/results.json`, r);
  await Deno.writeTextFile(`${out}/report.html`, renderTearsheet(r));
  console.log(`wrote ${out}/report.html and ${out}/results.json`);
  return 0;
}

/**
 * Why a run sent nothing, when it did not even try: a warm-up longer than the data, or data long
 * enough on which the strategy's conditions were never met. Says which, with the bar counts.
 */
export function idleHint(
  r: BacktestResults,
  bars?: BacktestRun["bars"],
): string | undefined {
  if (r.orders.length > 0 || Object.keys(r.refusals).length > 0) return undefined;
  if (bars === undefined) return "no orders: the strategy never signalled";
  const n = (x: number) => x.toLocaleString("en-US");
  if (bars.seen < bars.needed) {
    return `no orders: the strategy needs ${n(bars.needed)} closed ${bars.timeframe} bars before ` +
      `it can act, and the data had ${n(bars.seen)}`;
  }
  return `no orders: the strategy had ${n(bars.seen)} closed ${bars.timeframe} bars (it can act ` +
    `after ${n(bars.needed)}) and its entry conditions were never met`;
}

/** The data's span cut to the run's window (`--from`, `--to`), so the bar ends at 100 %. */
function playedSpan(
  data: { start: number; end: number },
  spec: Pick<BacktestSpec, "from" | "to">,
): { start: number; end: number } {
  let w = { from: -Infinity, to: Infinity };
  try {
    w = window(spec);
  } catch {
    // a bad window is reported by the run itself, naming its flag
  }
  return { start: Math.max(data.start, w.from), end: Math.min(data.end, w.to) };
}

function progressBar(at: number, span: { start: number; end: number }): string {
  const { start, end } = span;
  if (!(end > start)) return "[running]";
  const share = Math.min(1, Math.max(0, (at - start) / (end - start)));
  const n = Math.round(share * 30);
  return `[${"#".repeat(n)}${".".repeat(30 - n)}] ${(share * 100).toFixed(0).padStart(3)}%`;
}

if (import.meta.main) Deno.exit(await main());

/**
 * One backtest from a validated request (schemas/backtest.ts): opens the data, builds the
 * instruments, strategy, fill and fee models, runs the engine and returns its results. The CLI
 * (scripts/backtest.ts), notebooks and HTTP functions all come through here.
 */
import { parseTimeframe, timeframeLabel } from "../data/timeframe.ts";
import { InstrumentTable } from "../domain/instrument.ts";
import { parseCash } from "../domain/money.ts";
import { parseTimestampMicros } from "../domain/timestamp.ts";
import { bpsFee, perShareFee, sumFees } from "../matching/fee_model.ts";
import type { SlippageModel } from "../matching/slippage_model.ts";
import { createStrategy, strategyParamsProblem } from "../strategies/registry.ts";
import { EventKind } from "../venues/replay/replay_event.ts";
import { symbolsOf } from "./data_symbols.ts";
import type { BacktestSpec } from "../../schemas/backtest.ts";
import { BacktestEngine, StrategyStartError } from "./engine.ts";
import { openFiles } from "./event_stream.ts";
import { buildResults } from "./report.ts";
import type { BacktestResults } from "./results.ts";

/** A bad request detected while opening it: `field` names the spec key. */
export class BacktestInputError extends Error {
  /** `message` says what is wrong with `field`. */
  constructor(message: string, readonly field: string) {
    super(message);
  }
}

/** Callbacks of a run. */
export interface RunHooks {
  /**
   * Events so far and the time of the latest, every `progressEvery` events (default 100 000), and
   * once more with `done` when the data is played (however few events it held).
   */
  readonly onProgress?: (events: number, at: number, done?: boolean) => void;
  readonly progressEvery?: number;
  readonly log?: (line: string) => void;
  /** BacktestEngineOptions.keepFinished: results never depend on it (tests prove it). */
  readonly keepFinished?: number;
}

/** What a run produced. */
export interface BacktestRun {
  readonly results: BacktestResults;
  /** Data rows skipped as invalid, by reason. */
  readonly rejected: ReadonlyMap<string, number>;
  /** The data files read, folders expanded. */
  readonly files: readonly string[];
  /**
   * The strategy's bars (Strategy.warmup's timeframe): how many it needs before it can act, and
   * the most closed bars any symbol had (the warm-up before `from` included).
   */
  readonly bars?: { readonly timeframe: string; readonly needed: number; readonly seen: number };
}

const DAY = 86_400_000_000;

// The settings each slippage model reads (the report lists only the model's own).
const MODEL_SETTINGS = {
  none: [],
  fixed_bps: ["slippage_bps"],
  spread_share: ["spread_share", "assumed_spread_bps"],
  volume: ["impact_bps"],
} as const;

/** Expands folders to their .csv / .jsonl files (sorted); files are kept as given. */
export async function dataFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(p);
    } catch {
      throw new BacktestInputError(`data path ${p} does not exist`, "data");
    }
    if (!info.isDirectory) {
      out.push(p);
      continue;
    }
    const names: string[] = [];
    for await (const e of Deno.readDir(p)) {
      if (e.isFile && /\.(csv|jsonl)$/i.test(e.name)) names.push(e.name);
    }
    if (names.length === 0) {
      throw new BacktestInputError(`folder ${p} has no .csv or .jsonl`, "data");
    }
    out.push(...names.sort().map((n) => `${p.replace(/\/+$/, "")}/${n}`));
  }
  return out;
}

/** Start (inclusive) and end (exclusive) in µs: a date `to` includes its whole day. */
export function window(spec: Pick<BacktestSpec, "from" | "to">): { from: number; to: number } {
  const at = (text: string, field: string) => {
    const t = parseTimestampMicros(text);
    if (Number.isNaN(t)) {
      throw new BacktestInputError(`'${field}' is not a valid time: ${text}`, field);
    }
    return t;
  };
  const from = spec.from === undefined ? -Infinity : at(spec.from, "from");
  let to = spec.to === undefined ? Infinity : at(spec.to, "to");
  if (spec.to !== undefined && spec.to.length === 10) to += DAY;
  if (to <= from) throw new BacktestInputError("'to' must be after 'from'", "to");
  return { from, to };
}

/** The venue's slippage model for the request. */
export function slippageOf(spec: BacktestSpec): SlippageModel {
  switch (spec.slippage) {
    case "none":
      return { kind: "none" };
    case "fixed_bps":
      return { kind: "fixed_bps", bps: spec.slippage_bps };
    case "spread_share":
      return {
        kind: "spread_share",
        share: spec.spread_share,
        assumedSpreadBps: spec.assumed_spread_bps,
      };
    case "volume":
      return { kind: "volume", bpsAtFullVolume: spec.impact_bps };
  }
}

/** Runs `spec` to the end of its data or window. */
export async function runBacktest(spec: BacktestSpec, hooks: RunHooks = {}): Promise<BacktestRun> {
  const files = await dataFiles(spec.data);
  const symbols = spec.symbols ??
    [...new Set((await Promise.all(files.map(symbolsOf))).flat())];
  let instruments: InstrumentTable;
  try {
    instruments = new InstrumentTable(symbols, "BACKTEST");
  } catch (e) {
    throw new BacktestInputError((e as Error).message, "symbols");
  }
  const { from, to } = window(spec);
  const stream = await openFiles(files.map((path) => ({ path })), instruments, hooks.log);
  try {
    await stream.read();
    const first = stream.peek();
    if (first === undefined) {
      const why = [...stream.rejected].map(([r, n]) => `${n} ${r}`).join(", ");
      throw new BacktestInputError(
        `no usable rows in the data${why === "" ? "" : ` (rejected: ${why})`}`,
        stream.rejected.has("unknown_symbol") ? "symbols" : "data",
      );
    }
    const params: Record<string, unknown> = { ...spec.params };
    // Bar data decides the strategy's timeframe unless the request names one.
    if (first.kind === EventKind.Bar && params.timeframe === undefined) {
      params.timeframe = timeframeLabel(first.tfMicros);
    }
    const problem = strategyParamsProblem(spec.strategy, params);
    if (problem !== undefined) {
      throw new BacktestInputError(problem.message, `params.${problem.field}`);
    }
    const strategy = createStrategy({ id: spec.strategy, kind: spec.strategy, symbols, params });
    // A strategy on a timeframe the data never has would sit idle: say so instead.
    const tf = (strategy as { config?: { timeframe?: string } }).config?.timeframe;
    const timeframes = spec.timeframes.map(parseTimeframe);
    if (tf !== undefined && first.kind === EventKind.Bar && tf !== timeframeLabel(first.tfMicros)) {
      throw new BacktestInputError(
        `the data's bars are ${
          timeframeLabel(first.tfMicros)
        }; the strategy's timeframe ${tf} would see none`,
        "params.timeframe",
      );
    }
    // From trades, the bars the strategy reads are built whatever `timeframes` lists.
    if (tf !== undefined && !timeframes.includes(parseTimeframe(tf))) {
      timeframes.push(parseTimeframe(tf));
    }
    const cash = parseCash(spec.cash, "cash");
    const feeMin = parseCash(spec.fee_min, "fee_min");
    const engine = new BacktestEngine({
      instruments,
      strategies: [strategy],
      startingCash: cash,
      seed: spec.seed,
      venue: {
        latencyMs: spec.latency_ms,
        slippage: slippageOf(spec),
        limitFillOnTouch: spec.fill_on_touch,
        participationRate: spec.participation_rate,
      },
      fees: {
        model: sumFees(
          perShareFee(parseCash(spec.fee_per_share, "fee_per_share")),
          bpsFee(spec.fee_bps),
        ),
        minPerOrder: feeMin > 0n ? feeMin : undefined,
      },
      risk: spec.risk,
      timeframes,
      from,
      to,
      onProgress: hooks.onProgress,
      progressEvery: hooks.progressEvery,
      log: hooks.log,
      keepFinished: hooks.keepFinished,
    });
    try {
      await engine.run(stream);
    } catch (e) {
      if (!(e instanceof StrategyStartError)) throw e;
      const field = /'(\w+)'/.exec(e.message)?.[1];
      throw new BacktestInputError(e.message, field === undefined ? "params" : `params.${field}`);
    }
    if (engine.events === 0) {
      throw new BacktestInputError("no data between 'from' and 'to'", spec.from ? "from" : "to");
    }
    hooks.onProgress?.(engine.events, engine.last, true);
    const execution: Record<string, string | number | boolean> = {};
    for (
      const k of [
        "latency_ms",
        "slippage",
        ...MODEL_SETTINGS[spec.slippage],
        "fill_on_touch",
        "participation_rate",
        "fee_per_share",
        "fee_bps",
        "fee_min",
      ] as const
    ) {
      const v = spec[k];
      if (v !== undefined) execution[k] = v;
    }
    const shown: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries((strategy as { config?: object }).config ?? params)) {
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") shown[k] = v;
    }
    const results = buildResults(engine, {
      strategy: spec.strategy,
      params: shown,
      execution,
      seed: spec.seed,
    });
    const w = strategy.warmup;
    const bars = w === undefined ? undefined : {
      timeframe: w.timeframe,
      needed: w.bars,
      seen: Math.max(
        ...instruments.list().map((i) => engine.market.closedBars(i.index, w.timeframe)),
      ),
    };
    return { results, rejected: stream.rejected, files, bars };
  } finally {
    stream.close();
  }
}

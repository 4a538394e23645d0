/**
 * The MA-crossover backtest the backtest benchmarks run (shared by backtest_throughput.ts and
 * backtest_profile.ts): SYNTHETIC one-minute bars of a seeded random walk, in memory, through the
 * full engine. Synthetic on purpose: throughput does not depend on the prices, and no real dataset
 * is this long.
 */
import { BacktestEngine } from "../../core/backtest/engine.ts";
import { BarColumns } from "../../core/backtest/event_stream.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { parseCash } from "../../core/domain/money.ts";
import { SeededRng } from "../../core/domain/seeded_rng.ts";
import { createStrategy } from "../../core/strategies/registry.ts";

/** First bar's start, epoch µs; and one minute in µs. */
export const T0 = Date.UTC(2024, 0, 2) * 1000, MIN = 60_000_000;

/** The benchmark's strategy parameters: 10/30 on one-minute bars, 10 shares an entry. */
export const MA_PARAMS = { timeframe: "1m", fast: 10, slow: 30, qty: "10" };

/** A seeded random walk of closes around $100 in ticks of $0.0001, moving by whole cents. */
export function walk(n: number, seed: number): Float64Array {
  const rng = new SeededRng(seed), out = new Float64Array(n);
  let px = 1_000_000;
  for (let i = 0; i < n; i++) {
    px += Math.round((rng.next() - 0.5) * 20) * 100;
    if (px < 100_000) px = 100_000;
    out[i] = px;
  }
  return out;
}

/** `n` one-minute bars of the walk, or all at one price (`flat`: the averages never cross). */
export function barColumns(n: number, flat = false): BarColumns {
  const close = flat ? new Float64Array(n).fill(1_000_000) : walk(n, 7),
    open = new Float64Array(n),
    high = new Float64Array(n);
  const low = new Float64Array(n), start = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    open[i] = i === 0 ? close[0]! : close[i - 1]!;
    high[i] = Math.max(open[i]!, close[i]!) + 100;
    low[i] = Math.min(open[i]!, close[i]!) - 100;
    start[i] = T0 + i * MIN;
  }
  return new BarColumns({
    inst: 0,
    tfMicros: MIN,
    start,
    open,
    high,
    low,
    close,
    volume: new Float64Array(n).fill(10_000),
  });
}

/** The engine of one MA backtest on AAPL: $1,000,000, seed 1. */
export function maEngine(params: Record<string, unknown> = MA_PARAMS): BacktestEngine {
  return new BacktestEngine({
    instruments: new InstrumentTable(["AAPL"], "BACKTEST"),
    strategies: [createStrategy({ id: "ma", kind: "ma_crossover", symbols: ["AAPL"], params })],
    startingCash: parseCash("1000000"),
    seed: 1,
  });
}

/** One MA backtest over `n` bars (built before the clock starts); its time and orders. */
export async function runMaBars(
  n: number,
  params: Record<string, unknown> = MA_PARAMS,
  flat = false,
): Promise<{ secs: number; orders: number; fills: number }> {
  const engine = maEngine(params);
  const stream = barColumns(n, flat);
  const t = performance.now();
  await engine.run(stream);
  const secs = (performance.now() - t) / 1000;
  return { secs, orders: engine.kernel.orders.added, fills: engine.kernel.fillsApplied };
}

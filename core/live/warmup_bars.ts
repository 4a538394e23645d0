/**
 * Before strategies start trading live, the closed bars their warm-up asks for (Strategy.warmup)
 * are loaded from the venue's history into the market engine, so a 30-bar moving average can act
 * on the first live bar instead of half an hour later, and a restart does not blind it again.
 */
import type { Clock } from "../clock/clock.ts";
import { withTimeout } from "../clock/with_timeout.ts";
import { parseTimeframe } from "../data/timeframe.ts";
import type { MarketEngine } from "../data/market_engine.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Bar } from "../domain/market_events.ts";
import type { Strategy } from "../strategy/strategy.ts";

/**
 * The venue's last `count` closed bars of each of `symbols` at `timeframeMicros`, closing at or
 * before `endMicros`, oldest first per symbol.
 */
export type BarHistorySource = (
  symbols: readonly string[],
  timeframeMicros: number,
  count: number,
  endMicros: number,
) => Promise<Bar[]>;

/** What to load: per timeframe, the most bars any strategy wants and every symbol wanting them. */
function needs(
  strategies: readonly Strategy[],
): Map<number, { bars: number; symbols: Set<string> }> {
  const out = new Map<number, { bars: number; symbols: Set<string> }>();
  for (const s of strategies) {
    const w = s.warmup;
    if (w === undefined || s.onBar === undefined || !(w.bars > 0)) continue;
    const tf = parseTimeframe(w.timeframe);
    const need = out.get(tf) ?? { bars: 0, symbols: new Set<string>() };
    need.bars = Math.max(need.bars, w.bars);
    for (const symbol of s.symbols) need.symbols.add(symbol);
    out.set(tf, need);
  }
  return out;
}

/**
 * Loads the strategies' warm-up bars from `source` into `market` (not published); returns the
 * bars loaded. A source that fails is logged and the strategies start cold, warming up
 * on live bars: history is a convenience, never a reason not to trade.
 */
export async function loadWarmupBars(deps: {
  readonly strategies: readonly Strategy[];
  readonly instruments: InstrumentTable;
  readonly market: MarketEngine;
  readonly source: BarHistorySource;
  /** Engine time now, epoch µs. */
  readonly now: number;
  /** Bars the engine keeps per symbol and timeframe (config bars.history). */
  readonly capacity: number;
  /** Times the wait: a history request that hangs must not hold trading back. */
  readonly clock: Clock;
  /** How long one request may take (default 15 s). */
  readonly timeoutMs?: number;
  readonly log: (line: string) => void;
}): Promise<Bar[]> {
  const loaded: Bar[] = [];
  for (const [tf, need] of needs(deps.strategies)) {
    const count = Math.min(need.bars, deps.capacity);
    if (count < need.bars) {
      deps.log(
        `warm-up: a strategy wants ${need.bars} bars but bars.history keeps ${deps.capacity}`,
      );
    }
    const end = Math.floor(deps.now / tf) * tf; // the open bar is not history yet
    let bars: Bar[];
    try {
      bars = await withTimeout(
        deps.source([...need.symbols], tf, count, end),
        deps.timeoutMs ?? 15_000,
        deps.clock,
        `no answer in ${(deps.timeoutMs ?? 15_000) / 1000} s`,
      );
    } catch (e) {
      deps.log(
        `warm-up bars not loaded (${
          e instanceof Error ? e.message : String(e)
        }): strategies warm up on live bars`,
      );
      continue;
    }
    const bySymbol = new Map<string, Bar[]>();
    for (const bar of bars) {
      if (!(bar.end <= end) || !need.symbols.has(bar.symbol)) continue; // only closed bars asked for
      const list = bySymbol.get(bar.symbol) ?? [];
      list.push(bar);
      bySymbol.set(bar.symbol, list);
    }
    for (const [symbol, list] of bySymbol) {
      const last = list.sort((a, b) => a.start - b.start).slice(-count);
      deps.market.loadHistory(deps.instruments.get(symbol)!.index, last);
      for (const b of last) loaded.push(b);
    }
  }
  return loaded;
}

import assert from "node:assert/strict";
import { BacktestEngine } from "../../../core/backtest/engine.ts";
import { BarColumns, type EventStream } from "../../../core/backtest/event_stream.ts";
import { buildResults, stableJson } from "../../../core/backtest/report.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import type { Bar } from "../../../core/domain/market_events.ts";
import { parseCash } from "../../../core/domain/money.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { createStrategy } from "../../../core/strategies/registry.ts";

const MIN = 60_000_000, T0 = Date.UTC(2024, 0, 2) * 1000;

/** SYNTHETIC: `n` one-minute bars of a seeded random walk around $100 (ticks of $0.0001). */
function walk(n: number): BarColumns {
  const rng = new SeededRng(3), close = new Float64Array(n);
  let px = 1_000_000;
  for (let i = 0; i < n; i++) close[i] = px += Math.round((rng.next() - 0.5) * 20) * 100;
  const open = close.map((c, i) => i === 0 ? c : close[i - 1]!);
  return new BarColumns({
    inst: 0,
    tfMicros: MIN,
    start: Float64Array.from({ length: n }, (_, i) => T0 + i * MIN),
    open,
    high: close.map((c, i) => Math.max(c, open[i]!) + 100),
    low: close.map((c, i) => Math.min(c, open[i]!) - 100),
    close,
    volume: new Float64Array(n).fill(5_000),
  });
}

Deno.test("a bar read from in-memory columns has every field of its row, and keeps them after the stream moves on", () => {
  const stream = walk(3);
  const first = stream.bar("AAPL", "1m");
  const expected: Bar = {
    symbol: "AAPL",
    timeframe: "1m",
    start: T0,
    end: T0 + MIN,
    open: stream.bars.open[0]!,
    high: stream.bars.high[0]!,
    low: stream.bars.low[0]!,
    close: stream.bars.close[0]!,
    volume: 5_000,
    vwap: stream.bars.close[0]!,
    tradeCount: 0,
    empty: false,
    source: "venue",
    venueTime: T0 + MIN,
    recvTime: T0 + MIN,
  };
  assert.deepEqual(first.toBar(), expected);
  assert.deepEqual(JSON.parse(JSON.stringify(first)), expected, "JSON has every field");
  stream.shift();
  stream.shift();
  assert.equal(stream.bar("AAPL", "1m").start, T0 + 2 * MIN);
  assert.equal(first.start, T0, "a bar kept by a strategy is still its own bar");
  assert.equal(first.close, expected.close);
});

/** The same columns, without bar(): the engine builds each Bar from the event slot. */
class SlotBars implements EventStream {
  readonly needsRead = false;
  readonly rejected = new Map<string, number>();
  constructor(readonly inner: BarColumns) {}
  read(): Promise<void> {
    return Promise.resolve();
  }
  peek() {
    return this.inner.peek();
  }
  shift(): void {
    this.inner.shift();
  }
  close(): void {}
}

Deno.test("a backtest on in-memory columns gives byte-identical results whether its bars read the columns or are copied", async () => {
  const run = async (stream: EventStream) => {
    const engine = new BacktestEngine({
      instruments: new InstrumentTable(["AAPL"], "BACKTEST"),
      strategies: [
        createStrategy({
          id: "ma",
          kind: "ma_crossover",
          symbols: ["AAPL"],
          params: { fast: 5, slow: 12, qty: "10" },
        }),
      ],
      startingCash: parseCash("100000"),
      seed: 1,
    });
    await engine.run(stream);
    return engine;
  };
  const columns = await run(walk(5_000)), copied = await run(new SlotBars(walk(5_000)));
  assert.ok(columns.kernel.orders.added > 100, `${columns.kernel.orders.added} orders`);
  const describe = { strategy: "ma_crossover", params: {}, execution: {}, seed: 1 };
  assert.equal(
    stableJson(buildResults(columns, describe)),
    stableJson(buildResults(copied, describe)),
  );
});

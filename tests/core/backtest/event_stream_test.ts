import assert from "node:assert/strict";
import type { BarColumns, EventStream } from "../../../core/backtest/event_stream.ts";
import { buildResults, stableJson } from "../../../core/backtest/report.ts";
import type { Bar } from "../../../core/domain/market_events.ts";
// The benchmark's own MA run: SYNTHETIC one-minute random-walk bars in memory.
import { barColumns, maEngine, MIN, T0 } from "../../../scripts/bench/_ma_bars.ts";

Deno.test("a bar read from in-memory columns has every field of its row, and keeps them after the stream moves on", () => {
  const stream = barColumns(3);
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
    volume: 10_000,
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
    const engine = maEngine({ timeframe: "1m", fast: 5, slow: 12, qty: "10" });
    await engine.run(stream);
    return engine;
  };
  const columns = await run(barColumns(5_000));
  const copied = await run(new SlotBars(barColumns(5_000)));
  assert.ok(columns.kernel.orders.added > 100, `${columns.kernel.orders.added} orders`);
  const describe = { strategy: "ma_crossover", params: {}, execution: {}, seed: 1 };
  assert.equal(
    stableJson(buildResults(columns, describe)),
    stableJson(buildResults(copied, describe)),
  );
});

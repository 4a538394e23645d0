// The backtester runs the live kernel, so a close waits for the strategy's orders in flight there
// too; its cancel of a resting entry must settle before the next bar, as an order does.
import assert from "node:assert/strict";
import { BacktestEngine } from "../../../core/backtest/engine.ts";
import { BarColumns } from "../../../core/backtest/event_stream.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { parseCash } from "../../../core/domain/money.ts";
import type { Signal } from "../../../core/domain/order.ts";
import type { Strategy } from "../../../core/strategy/strategy.ts";
import { buy } from "../kernel/_signals.ts";

const MIN = 60_000_000;
const T0 = Date.UTC(2024, 0, 2, 14, 30) * 1000;
const PRICE = 1_000_000; // $100.00 at 4 decimals, SYNTHETIC: a flat line

/** `n` one-minute bars all at PRICE (SYNTHETIC). */
function flatBars(n: number): BarColumns {
  const p = new Float64Array(n).fill(PRICE);
  return new BarColumns({
    inst: 0,
    tfMicros: MIN,
    start: Float64Array.from({ length: n }, (_, i) => T0 + i * MIN),
    open: p,
    high: p,
    low: p,
    close: p,
    volume: new Float64Array(n).fill(10_000),
  });
}

/** `s` as strategy "t" emits it at `time`. */
const at = (s: Signal, time: number): Signal => ({ ...s, strategyId: "t", time });

Deno.test("a backtest close cancels the resting limit entry before the next bar, and the next entry fills on time", async () => {
  const seen: string[] = [];
  const strategy: Strategy = {
    id: "t",
    symbols: ["AAPL"],
    onBar(ctx, bar) {
      const i = (bar.start - T0) / MIN;
      seen.push(`${i}:${ctx.expectedPosition("AAPL")}`);
      if (i === 0) ctx.emit(at(buy(5, "limit", PRICE - 1000), ctx.now())); // rests below
      if (i === 1) ctx.emit(at({ ...buy(0), action: "close" }, ctx.now()));
      if (i === 2) ctx.emit(at(buy(10), ctx.now()));
    },
  };
  const engine = new BacktestEngine({
    instruments: new InstrumentTable(["AAPL"], "BACKTEST"),
    strategies: [strategy],
    startingCash: parseCash("100000"),
    seed: 1,
  });
  await engine.run(flatBars(6));
  assert.deepEqual(seen.slice(0, 4), ["0:0", "1:5", "2:0", "3:10"]);
  assert.deepEqual(
    engine.orders().map((o) => `${o.side} ${o.qty} ${o.type} ${o.status}`),
    ["buy 5 limit canceled", "buy 10 market filled"],
  );
  const fills = engine.fills();
  assert.equal(fills.length, 1);
  assert.equal((fills[0]!.venueTime - T0) / MIN, 3, "bar 2's market entry fills at bar 3's open");
});

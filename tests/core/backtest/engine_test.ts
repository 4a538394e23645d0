// The backtest engine drives the core's own kernel: hand-built bars show when orders fill, that a
// strategy cannot see a bar before it closes, and that fills reach the portfolio before the
// strategy sees the bar they happened on.
import assert from "node:assert/strict";
import { BacktestEngine } from "../../../core/backtest/engine.ts";
import { BarColumns, type EventStream } from "../../../core/backtest/event_stream.ts";
import { buildResults, stableJson } from "../../../core/backtest/report.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import type { Bar } from "../../../core/domain/market_events.ts";
import { parseCash } from "../../../core/domain/money.ts";
import type { Signal } from "../../../core/domain/order.ts";
import { createStrategy } from "../../../core/strategies/registry.ts";
import type { Strategy, StrategyContext } from "../../../core/strategy/strategy.ts";

const MIN = 60_000_000;
const T0 = Date.UTC(2024, 0, 2, 14, 30) * 1000;

/** Bars of AAPL one minute apart: [open, high, low, close] in dollars. */
function bars(rows: Array<[number, number, number, number]>): BarColumns {
  const n = rows.length, col = (k: number) => Float64Array.from(rows, (r) => r[k]! * 10_000);
  return new BarColumns({
    inst: 0,
    tfMicros: MIN,
    start: Float64Array.from({ length: n }, (_, i) => T0 + i * MIN),
    open: col(0),
    high: col(1),
    low: col(2),
    close: col(3),
    volume: new Float64Array(n).fill(10_000),
  });
}

function engine(strategy: Strategy) {
  return new BacktestEngine({
    instruments: new InstrumentTable(["AAPL"], "BACKTEST"),
    strategies: [strategy],
    startingCash: parseCash("100000"),
    seed: 1,
  });
}

const buy = (ctx: StrategyContext, bar: Bar): Signal => ({
  strategyId: "t",
  symbol: bar.symbol,
  action: "buy",
  confidence: 1,
  qty: 10,
  targetNotional: 0n,
  orderType: "market",
  limitPrice: 0,
  time: ctx.now(),
});

Deno.test("BacktestEngine fills a market order at the next bar's open, never at the signal bar's close", async () => {
  let seenQtyOnBar2 = -1;
  const strategy: Strategy = {
    id: "t",
    symbols: ["AAPL"],
    onBar(ctx, bar) {
      const i = (bar.start - T0) / MIN;
      if (i === 0) ctx.emit(buy(ctx, bar));
      if (i === 1) seenQtyOnBar2 = ctx.position("AAPL").qty;
    },
  };
  const e = engine(strategy);
  await e.run(bars([[100, 101, 99, 100.5], [102, 103, 101, 102.5], [103, 104, 102, 103]]));
  assert.equal(e.kernel.fills.length, 1);
  const fill = e.kernel.fills[0]!;
  assert.equal(fill.price, 1_020_000, "the second bar's open, $102");
  assert.equal(fill.venueTime, T0 + MIN, "at that bar's start");
  assert.equal(seenQtyOnBar2, 10, "the fill is in the position before the strategy sees the bar");
  assert.equal(e.kernel.portfolio.position("AAPL").qty, 10);
});

Deno.test("BacktestEngine: a strategy sees only closed bars; reading ahead finds nothing", async () => {
  const violations: string[] = [];
  let peeks = 0, tries = 0;
  const strategy: Strategy = {
    id: "t",
    symbols: ["AAPL"],
    onBar(ctx, bar) {
      if (bar.end > ctx.now()) violations.push(`bar ${bar.start} delivered before it closed`);
      const history = ctx.bars("AAPL", "1m", 1000);
      for (const b of history) {
        if (b.end > ctx.now()) violations.push(`history holds bar ${b.start} before it closed`);
      }
      // A look-ahead attempt: the bar after this one.
      tries++;
      if (history.some((b) => b.start > bar.start)) peeks++;
      if (history.at(-1)!.start !== bar.start) violations.push("history is not up to this bar");
    },
  };
  const e = engine(strategy);
  await e.run(bars([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4]]));
  assert.equal(tries, 4);
  assert.equal(peeks, 0, "no future bar is ever readable");
  assert.deepEqual(violations, []);
});

Deno.test("BacktestEngine refuses orders through pre-trade risk like live and counts the reason", async () => {
  const strategy: Strategy = {
    id: "t",
    symbols: ["AAPL"],
    onBar(ctx, bar) {
      ctx.emit({ ...buy(ctx, bar), qty: 100_000 }); // $10M of stock on a $100k account
    },
  };
  const e = engine(strategy);
  await e.run(bars([[100, 100, 100, 100], [100, 100, 100, 100]]));
  assert.equal(e.kernel.fills.length, 0);
  assert.ok(
    [...e.refusals.values()].reduce((a, b) => a + b, 0) === 2,
    JSON.stringify([...e.refusals]),
  );
});

Deno.test("BacktestEngine records each day's equity with the buy-and-hold benchmark beside it", async () => {
  const day = 86_400_000_000;
  const strategy: Strategy = { id: "t", symbols: ["AAPL"] };
  const e = engine(strategy);
  const stream = new BarColumns({
    inst: 0,
    tfMicros: day,
    start: Float64Array.from([0, 1, 2], (d) => Date.UTC(2024, 0, 2) * 1000 + d * day),
    open: Float64Array.from([100, 110, 121], (x) => x * 10_000),
    high: Float64Array.from([100, 110, 121], (x) => x * 10_000),
    low: Float64Array.from([100, 110, 121], (x) => x * 10_000),
    close: Float64Array.from([100, 110, 121], (x) => x * 10_000),
    volume: new Float64Array(3).fill(1),
  });
  await e.run(stream);
  assert.deepEqual(e.ledger.points.map((p) => p.date), ["2024-01-02", "2024-01-03", "2024-01-04"]);
  assert.deepEqual(e.ledger.points.map((p) => p.equity), [100_000, 100_000, 100_000]);
  assert.deepEqual(
    e.ledger.points.map((p) => Math.round(p.benchmark)),
    [100_000, 110_000, 121_000],
    "all cash in at the first close, marked at each close",
  );
});

Deno.test("BacktestEngine: the venue's acknowledgement is applied within the strategy's emit, with no await", async () => {
  const statuses: string[] = [];
  let idleAfterEmit = false;
  const strategy: Strategy = {
    id: "t",
    symbols: ["AAPL"],
    onBar(ctx, bar) {
      if (bar.start !== T0) return;
      ctx.emit(buy(ctx, bar));
      // Same call: the order was registered, sent through the router, accepted, and applied.
      statuses.push(...e.kernel.orders.list().map((o) => o.status));
      idleAfterEmit = e.kernel.idle;
    },
  };
  const e = engine(strategy);
  const accepted: string[] = [];
  e.bus.subscribe("order.accepted", (m) => accepted.push(m.clientOrderId));
  await e.run(bars([[100, 101, 99, 100.5], [102, 103, 101, 102.5]]));
  assert.deepEqual(statuses, ["new"]);
  assert.equal(idleAfterEmit, true);
  assert.equal(accepted.length, 1, "order.accepted is still published");
  assert.equal(e.kernel.fills.length, 1);
});

Deno.test("BacktestEngine: orders beyond the rate budget wait on simulated time and still fill in order", async () => {
  const strategy: Strategy = {
    id: "t",
    symbols: ["AAPL"],
    onBar(ctx, bar) {
      if (bar.start === T0) { for (let k = 0; k < 3; k++) ctx.emit(buy(ctx, bar)); }
    },
  };
  const e = new BacktestEngine({
    instruments: new InstrumentTable(["AAPL"], "BACKTEST"),
    strategies: [strategy],
    startingCash: parseCash("100000"),
    seed: 1,
    execution: { ratePerMinute: 2, burst: 1 }, // one at once, then one per minute
  });
  const rows: Array<[number, number, number, number]> = [];
  for (let i = 0; i < 6; i++) rows.push([100, 101, 99, 100]);
  await e.run(bars(rows));
  const fills = e.kernel.fills;
  assert.equal(fills.length, 3);
  assert.deepEqual(
    fills.map((f) => (f.venueTime - T0) / MIN),
    [1, 2, 3],
    "the first goes at once; the others as tokens free up, each at the next bar's open",
  );
});

/** An MA 2/4 crossover buying 10 over `px` (closes in dollars, a minute apart), trading from `from`. */
async function maRun(px: number[], from?: number): Promise<BacktestEngine> {
  const e = new BacktestEngine({
    instruments: new InstrumentTable(["AAPL"], "BACKTEST"),
    strategies: [
      createStrategy({
        id: "ma",
        kind: "ma_crossover",
        symbols: ["AAPL"],
        params: { timeframe: "1m", fast: 2, slow: 4, qty: "10" },
      }),
    ],
    startingCash: parseCash("100000"),
    seed: 1,
    from,
  });
  await e.run(bars(px.map((c) => [c, c, c, c])));
  return e;
}

Deno.test("BacktestEngine with --from: bars before it warm the strategy up (as the venue's past does live) and are never traded", async () => {
  // four falling closes, then a jump up at T0 + 4 min: the fast average crosses above
  const warmed = await maRun([100, 99, 98, 97, 110, 111], T0 + 4 * MIN);
  assert.equal(warmed.kernel.orders.size, 1, "bought on the first bar of the window");
  assert.equal(warmed.kernel.orders.list()[0]!.request.createdAt, T0 + 5 * MIN, "its close");
  assert.equal(warmed.first, T0 + 4 * MIN, "the window starts at --from");
  assert.equal(warmed.host.warmups[0]!.fed, 4);
  // The window's bars alone, without the four before: never ready, nothing to act on.
  const cold = await maRun([110, 111]);
  assert.equal(cold.kernel.orders.size, 0, "two bars: never ready");
});

/** `streams` merged by event time (ties: the first stream's event first). */
class MergedBars implements EventStream {
  readonly needsRead = false;
  readonly rejected = new Map<string, number>();
  constructor(readonly streams: BarColumns[]) {}
  read(): Promise<void> {
    return Promise.resolve();
  }
  #next(): BarColumns | undefined {
    let best: BarColumns | undefined;
    for (const s of this.streams) {
      const e = s.peek();
      if (e !== undefined && (best === undefined || e.at < best.peek()!.at)) best = s;
    }
    return best;
  }
  peek() {
    return this.#next()?.peek();
  }
  shift(): void {
    this.#next()!.shift();
  }
  close(): void {}
}

Deno.test("BacktestEngine results do not depend on how many finished orders it holds, even when a daily bar's fills come after that day's minute bars", async () => {
  // SYNTHETIC flat bars: AAA daily (a fill at the day's start, reported at its close) and BBB by
  // the minute; the strategy trades every bar. A forgotten minute fill is later in venue time
  // than the daily fill reported after it: that fill must not pass for a repeat.
  const DAY = 86_400_000_000, D0 = Date.UTC(2024, 0, 2) * 1000;
  const flat = (inst: number, tf: number, starts: number[]) => {
    const n = starts.length, px = () => new Float64Array(n).fill(1_000_000);
    return new BarColumns({
      inst,
      tfMicros: tf,
      start: Float64Array.from(starts),
      open: px(),
      high: px(),
      low: px(),
      close: px(),
      volume: new Float64Array(n).fill(1e9),
    });
  };
  const run = async (keepFinished: number) => {
    let sell = false;
    const strategy: Strategy = {
      id: "t",
      symbols: ["AAA", "BBB"],
      onBar(ctx, bar) {
        if (bar.symbol === "BBB") sell = !sell;
        const action = bar.symbol === "BBB" && sell ? "sell" : "buy";
        ctx.emit({ ...buy(ctx, bar), action, qty: 1 });
      },
    };
    const e = new BacktestEngine({
      instruments: new InstrumentTable(["AAA", "BBB"], "BACKTEST"),
      strategies: [strategy],
      startingCash: parseCash("1000000"),
      seed: 1,
      timeframes: [MIN, DAY],
      keepFinished,
    });
    const minutes: number[] = [];
    for (let d = 0; d < 4; d++) {
      for (let m = 0; m < 200; m++) minutes.push(D0 + d * DAY + 14.5 * 3_600e6 + m * MIN);
    }
    const days = [0, 1, 2, 3].map((d) => D0 + d * DAY);
    await e.run(new MergedBars([flat(0, DAY, days), flat(1, MIN, minutes)]));
    return e;
  };
  const all = await run(1_000_000), few = await run(1);
  const describe = { strategy: "t", params: {}, execution: {}, seed: 1 };
  const aaa = (e: BacktestEngine) => e.fills().filter((f) => f.symbol === "AAA").length;
  assert.equal(aaa(all), 3, "three daily fills (the fourth day's order is still working)");
  assert.equal(aaa(few), 3);
  assert.equal(few.kernel.portfolio.position("AAA").qty, 3);
  assert.equal(stableJson(buildResults(few, describe)), stableJson(buildResults(all, describe)));
});

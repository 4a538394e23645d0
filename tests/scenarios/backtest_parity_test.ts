// Live/backtest parity: `deno task live` on the sim venue records its feed (--record), and the
// backtester replays that recording with the same strategy and latency settings through the same
// kernel. Both must send the same orders, in the same order, at nearly the same times; the
// strategy's warm-up on the venue's past bars included.
import assert from "node:assert/strict";
import { runBacktest } from "../../core/backtest/run_backtest.ts";
import { backtestSpecSchema } from "../../schemas/backtest.ts";
import { startLive } from "./_live_process.ts";

const STRATEGY = { timeframe: "1s", fast: 2, slow: 4, qty: "1" };
const WANT = 6; // orders seen live before the run stops

Deno.test("a recorded live-sim session replayed through the backtester sends the same orders", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_parity_" });
  const recording = `${dir}/feed.jsonl`;
  await Deno.writeTextFile(
    `${dir}/config.json`,
    JSON.stringify({
      strategies: [{ id: "ma", kind: "ma_crossover", symbols: ["AAPL"], params: STRATEGY }],
      sim: { seed: 11, rate_per_symbol: 200, latency_ms: 5 },
      bars: { timeframes: ["1s"] },
    }),
  );
  const live = await startLive([
    "--symbols",
    "AAPL",
    "--config",
    `${dir}/config.json`,
    "--record",
    recording,
  ]);
  type Row = {
    side: string;
    qty: string;
    type: string;
    symbol: string;
    status: string;
    /** Epoch µs. */
    created_at: number;
  };
  let liveOrders: Row[] = [];
  try {
    const deadline = Date.now() + 60_000;
    while (liveOrders.length < WANT) {
      if (Date.now() > deadline) {
        throw new Error(`only ${liveOrders.length} orders:\n${live.output()}`);
      }
      await new Promise((r) => setTimeout(r, 250));
      const body = await (await fetch(`${live.base}/api/orders?limit=500`)).json();
      liveOrders = (body.orders as Row[]).reverse(); // the API lists newest first
    }
    // Let the recording run on past the last order compared: a bar that closes on the clock
    // (no later event) is closed in a replay only by the next recorded event.
    await new Promise((r) => setTimeout(r, 2500));
    // Their statuses now: the last one may have been listed while still on its way to the venue.
    const body = await (await fetch(`${live.base}/api/orders?limit=500`)).json();
    liveOrders = (body.orders as Row[]).reverse().slice(0, liveOrders.length);
  } finally {
    const { code } = await live.stop("SIGTERM");
    assert.equal(code, 0, live.output());
  }
  try {
    const lines = (await Deno.readTextFile(recording)).trim().split("\n");
    // The live strategy warmed up on the sim's last 4 one-second bars before it traded; the
    // recording holds them first, and the backtest from the first trade warms up on them too.
    const warm = lines.filter((l) => JSON.parse(l).type === "bar");
    assert.equal(warm.length, STRATEGY.slow);
    assert.ok(lines.slice(0, warm.length).every((l) => JSON.parse(l).type === "bar"));
    const firstTick = JSON.parse(lines[warm.length]!).timestamp;
    const { results } = await runBacktest(backtestSpecSchema.parse({
      strategy: "ma_crossover",
      params: STRATEGY,
      data: [recording],
      from: firstTick,
      timeframes: ["1s"],
      latency_ms: 5,
    }));
    const lastEvent = Date.parse(JSON.parse(lines.at(-1)!).timestamp);
    assert.ok(
      liveOrders.every((o) => o.created_at / 1000 < lastEvent - 1000),
      "every compared order has later events recorded",
    );
    const shape = (o: Pick<Row, "symbol" | "side" | "qty" | "type">) =>
      `${o.symbol} ${o.side} ${o.qty} ${o.type}`;
    const replayed = results.orders.map(shape);
    // The recording runs a little past the last order listed live: compare that prefix.
    assert.ok(replayed.length >= liveOrders.length, `${replayed.length} < ${liveOrders.length}`);
    assert.deepEqual(replayed.slice(0, liveOrders.length), liveOrders.map(shape));
    // ...at the same moments: a backtest sends an order at its bar's close, live a moment after
    // the bar closes on the clock, which a machine busy with the rest of the suite can delay by a
    // few seconds (4 s seen once in some twenty runs of the whole suite). A strategy warmed up
    // differently would act bars apart: a live order more than 3 s late must at least come
    // before the replay's next order, or it answered a later crossing.
    const second = (micros: number) => Math.floor(micros / 1e6);
    const replayedAt = (k: number) => second(Date.parse(results.orders[k]!.time) * 1000);
    for (let k = 0; k < liveOrders.length; k++) {
      const live = second(liveOrders[k]!.created_at), lag = live - replayedAt(k);
      const next = k + 1 < results.orders.length ? replayedAt(k + 1) : Infinity;
      assert.ok(
        lag >= -1 && (lag <= 3 || (lag <= 6 && live < next)),
        `order ${k} is ${lag} s apart (the replay's next order ${next - replayedAt(k)} s later)`,
      );
    }
    assert.ok(liveOrders.every((o) => o.status === "filled"), JSON.stringify(liveOrders));
  } finally {
    await Deno.remove(live.dataDir, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

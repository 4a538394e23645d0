// The live node's feed recording is read back by the replay readers the backtester uses.
import assert from "node:assert/strict";
import { Bus } from "../../../core/bus/bus.ts";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { MarketEngine } from "../../../core/data/market_engine.ts";
import { openFiles } from "../../../core/backtest/event_stream.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { FeedRecorder } from "../../../core/live/feed_recorder.ts";
import { EventKind } from "../../../core/venues/replay/replay_event.ts";

Deno.test("FeedRecorder writes trades and top-of-book changes once each, and they replay to the same events", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_rec_" });
  const path = `${dir}/feed.jsonl`;
  const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const clock = new SimClock(1_704_205_800_000_000);
  const market = new MarketEngine(instruments, new Bus(), {
    timeframes: [1e6],
    emptyBars: "skip",
    barHistory: 10,
    maxBookLevels: 10,
    timeScale: 1,
    closeGraceMicros: 0,
  });
  const rec = await FeedRecorder.start(path, { market, instruments, clock, log: () => {} });
  const t = clock.nowMicros();
  market.onBookLevel(1, 0, 60_000_000_000, 1_500_000_000, true, false, t, t);
  market.onBookLevel(1, 1, 60_001_000_000, 2_000_000_000, false, true, t, t);
  market.onBookLevel(1, 0, 59_000_000_000, 1_000_000_000, false, true, t + 1, t + 1); // below the top
  market.onTrade(1, 60_000_500_000, 250_000_000, 7, 1, t + 2, t + 2);
  // The same top as a quote message (venues send both): already recorded from the book.
  market.onQuote(1, 60_000_000_000, 1_500_000_000, 60_001_000_000, 2_000_000_000, t + 2, t + 2);
  market.onQuote(0, 1_870_000, 300, 1_870_100, 200, t + 3, t + 3);
  await rec.stop();
  assert.equal(rec.lines, 3, "an unchanged top is not recorded again");

  const stream = await openFiles([{ path }], instruments);
  const seen: string[] = [];
  for (;;) {
    if (stream.needsRead) await stream.read();
    const ev = stream.peek();
    if (ev === undefined) break;
    seen.push(
      ev.kind === EventKind.Trade
        ? `trade ${ev.inst} ${ev.price} ${ev.size} ${ev.at - t}`
        : `quote ${ev.inst} ${ev.bidPx}x${ev.bidSz} ${ev.askPx}x${ev.askSz} ${ev.at - t}`,
    );
    stream.shift();
  }
  stream.close();
  assert.deepEqual(seen, [
    "quote 1 60000000000x1500000000 60001000000x2000000000 0",
    "trade 1 60000500000 250000000 2",
    "quote 0 1870000x300 1870100x200 3",
  ]);
  assert.equal(stream.rejected.size, 0);
  await Deno.remove(dir, { recursive: true });
});

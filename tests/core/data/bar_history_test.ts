import assert from "node:assert/strict";
import { BarHistory } from "../../../core/data/bar_history.ts";
import type { Bar } from "../../../core/domain/market_events.ts";

const M = 60_000_000;
const bar = (minute: number, close = 100 + minute): Bar => ({
  symbol: "BTC/USD",
  timeframe: "1m",
  start: minute * M,
  end: (minute + 1) * M,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
  vwap: close,
  tradeCount: 1,
  empty: false,
  source: "venue",
  venueTime: (minute + 1) * M,
  recvTime: (minute + 1) * M,
});
const starts = (h: BarHistory) => h.last(100).map((b) => b.start / M);

Deno.test("BarHistory.insert() puts a backfilled bar between newer and older ones, in time order", () => {
  const h = new BarHistory("BTC/USD", "1m", 10);
  for (const m of [1, 2, 6]) h.push(bar(m));
  assert.equal(h.insert(bar(4)), false, "not the newest");
  assert.equal(h.insert(bar(3)), false);
  assert.equal(h.insert(bar(7)), true, "the newest is appended");
  assert.deepEqual(starts(h), [1, 2, 3, 4, 6, 7]);
});

Deno.test("BarHistory.insert() replaces a bar of the same start instead of repeating it", () => {
  const h = new BarHistory("BTC/USD", "1m", 10);
  for (const m of [1, 2, 3]) h.push(bar(m));
  h.insert(bar(2, 555));
  h.insert(bar(3, 777));
  assert.deepEqual(starts(h), [1, 2, 3]);
  assert.deepEqual(h.last(3).map((b) => b.close), [101, 555, 777]);
});

Deno.test("BarHistory.insert() keeps the newest `capacity` bars and drops a bar older than all of them", () => {
  const h = new BarHistory("BTC/USD", "1m", 3);
  for (const m of [5, 6, 8]) h.push(bar(m));
  assert.equal(h.insert(bar(1)), false);
  assert.deepEqual(starts(h), [5, 6, 8]);
  h.insert(bar(7));
  assert.deepEqual(starts(h), [6, 7, 8], "the oldest falls off");
  assert.equal(h.newestStart, 8 * M);
});

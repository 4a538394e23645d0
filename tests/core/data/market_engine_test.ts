import assert from "node:assert/strict";
import { Bus } from "../../../core/bus/bus.ts";
import { BarHistory } from "../../../core/data/bar_history.ts";
import { MarketEngine, type MarketEngineOptions } from "../../../core/data/market_engine.ts";
import { RingReader, RingWriter } from "../../../core/data/ring_buffer.ts";
import { allocateRing, RecordFlag, RecordKind } from "../../../core/data/ring_layout.ts";
import { RecordApplier } from "../../../core/data/ring_pump.ts";
import { RingSink } from "../../../core/data/ring_sink.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import type { Bar, BookUpdate, Trade } from "../../../core/domain/market_events.ts";

const S = 1_000_000;
const T0 = 1_700_000_040 * S;
const OPTIONS: MarketEngineOptions = {
  timeframes: [S, 60 * S],
  emptyBars: "flat",
  barHistory: 100,
  maxBookLevels: 100,
  timeScale: 1,
  closeGraceMicros: 0,
};

function engine(options: Partial<MarketEngineOptions> = {}) {
  const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const bus = new Bus();
  const e = new MarketEngine(instruments, bus, { ...OPTIONS, ...options });
  return { instruments, bus, e };
}

Deno.test("MarketEngine updates state before publishing: a trade subscriber sees the new last price", () => {
  const { bus, e } = engine();
  const seen: Array<[Trade, number]> = [];
  bus.subscribe("market.trade", (t) => seen.push([t, e.lastTradePrice[0]!]));
  e.onTrade(0, 1_872_500, 100, 7, 1, T0, T0 + 5);
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0], [{
    symbol: "AAPL",
    price: 1_872_500,
    size: 100,
    tradeId: 7,
    takerSide: "buy",
    venueTime: T0,
    recvTime: T0 + 5,
  }, 1_872_500]);
});

Deno.test("MarketEngine publishes market.book once per venue message and counts crossed books", () => {
  const { bus, e } = engine();
  const updates: BookUpdate[] = [];
  bus.subscribe("market.book", (u) => updates.push(u));
  e.onBookLevel(1, 0, 100, 5, true, false, T0, T0);
  e.onBookLevel(1, 1, 101, 5, false, true, T0, T0);
  assert.equal(updates.length, 1);
  assert.deepEqual([updates[0]!.bestBid, updates[0]!.bestAsk, updates[0]!.crossed], [
    100,
    101,
    false,
  ]);
  e.onBookLevel(1, 0, 102, 1, false, true, T0, T0);
  assert.equal(updates[1]!.crossed, true);
  assert.equal(e.crossedBooks, 1);
  e.onBookLevel(1, 0, 0, 0, true, true, T0, T0); // a reset with no levels empties the book
  assert.equal(e.books[1]!.bidLevels() + e.books[1]!.askLevels(), 0);
});

Deno.test("MarketEngine closes bars by feed time extrapolated from the last event at the replay speed", () => {
  const { bus, e } = engine({ timeScale: 10 });
  const bars: Bar[] = [];
  bus.subscribe("market.bar", (b) => bars.push(b));
  const wall = 5_000 * S; // the engine clock is far from the (historical) venue time
  e.onTrade(0, 100, 1, 1, 0, T0 + 100, wall);
  e.onTime(wall + S / 20); // feed time T0 + 0.5 s: bar still open
  assert.equal(bars.length, 0);
  e.onTime(wall + S / 10); // 0.1 s of clock at 10× = 1 s of feed time: the 1 s bar closes
  assert.deepEqual(bars.map((b) => [b.timeframe, b.start]), [["1s", T0]]);
  assert.deepEqual(e.bars(0, "1s", 5)!.map((b) => b.close), [100]);
});

Deno.test("MarketEngine keeps venue bars under their own timeframe and rejects unknown timeframes", () => {
  const { e } = engine();
  const bar: Bar = {
    symbol: "AAPL",
    timeframe: "1d",
    start: 0,
    end: 86_400 * S,
    open: 1,
    high: 2,
    low: 1,
    close: 2,
    volume: 10,
    vwap: 1.5,
    tradeCount: 3,
    empty: false,
    source: "venue",
    venueTime: 86_400 * S,
    recvTime: 1,
  };
  e.onVenueBar(0, bar);
  assert.deepEqual(e.bars(0, "1d", 10), [bar]);
  assert.deepEqual(e.timeframes(), ["1s", "1m", "1d"]);
  assert.equal(e.bars(0, "7m", 10), undefined);
});

Deno.test("MarketEngine publishes venue bars in time order once; a backfilled older one only joins history", () => {
  const { e, bus } = engine();
  const published: number[] = [];
  bus.subscribe("market.bar", (b) => void published.push(b.start / (60 * S)));
  const bar = (minute: number): Bar => ({
    symbol: "AAPL",
    timeframe: "1m",
    start: minute * 60 * S,
    end: (minute + 1) * 60 * S,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 1,
    vwap: 1,
    tradeCount: 1,
    empty: false,
    source: "venue",
    venueTime: (minute + 1) * 60 * S,
    recvTime: 1,
  });
  for (const m of [1, 2, 5, 3, 4, 5, 6]) e.onVenueBar(0, bar(m));
  assert.deepEqual(published, [1, 2, 5, 6]);
  assert.deepEqual(e.bars(0, "1m", 10)!.map((b) => b.start / (60 * S)), [1, 2, 3, 4, 5, 6]);
  assert.equal(e.venueBarsInserted, 3);
});

Deno.test("MarketEngine flags symbols with no update for longer than the stale threshold", () => {
  const { e } = engine();
  e.onTrade(0, 100, 1, 1, 0, T0, T0);
  assert.deepEqual(e.staleSymbols(T0 + 4 * S, 5 * S, T0), []);
  assert.deepEqual(e.staleSymbols(T0 + 6 * S, 5 * S, T0), ["AAPL", "BTC/USD"]);
  e.onQuote(1, 10, 1, 11, 1, T0 + 6 * S, T0 + 6 * S);
  assert.deepEqual(e.staleSymbols(T0 + 6 * S, 5 * S, T0), ["AAPL"]);
});

Deno.test("RecordApplier turns ring records back into engine calls, and counts records it cannot apply", () => {
  const { instruments, e } = engine();
  const ring = allocateRing(64);
  const w = new RingWriter(ring), r = new RingReader(ring);
  const sink = new RingSink(w, 2, 0);
  sink.trade(0, 1_872_500, 10, 1, 2, T0, T0 + 1);
  sink.quote(1, 100, 1, 101, 2, T0, T0 + 1);
  sink.bookLevel(1, RecordFlag.Ask | RecordFlag.Reset | RecordFlag.End, 105, 3, T0, T0 + 1);
  sink.bar(0, 60 * S, T0, 1, 3, 1, 2, 50, 2, 4, T0 + 1);
  w.write(RecordKind.Trade, 0, 99, T0, T0, 1, 1, 0, 0, 0); // instrument 99 does not exist
  w.write(77, 0, 0, T0, T0, 1, 1, 0, 0, 0); // unknown kind
  sink.flush();
  const applier = new RecordApplier(e, instruments);
  r.drain(100, applier.apply);
  assert.equal(e.lastTradePrice[0], 1_872_500);
  assert.equal(e.quoteAsk[1], 101);
  assert.equal(e.books[1]!.bestAsk(), 105);
  const venueBar = e.bars(0, "1m", 1)![0]!;
  assert.deepEqual([
    venueBar.source,
    venueBar.start,
    venueBar.end,
    venueBar.high,
    venueBar.tradeCount,
  ], [
    "venue",
    T0,
    T0 + 60 * S,
    3,
    4,
  ]);
  assert.equal(applier.badRecords, 2);
});

Deno.test("BarHistory keeps the newest bars in order as it grows and wraps", () => {
  const h = new BarHistory("AAPL", "1s", 40);
  const bar = (i: number): Bar => ({
    symbol: "AAPL",
    timeframe: "1s",
    start: i * S,
    end: (i + 1) * S,
    open: i,
    high: i + 1,
    low: i,
    close: i,
    volume: i,
    vwap: i + 0.5,
    tradeCount: i,
    empty: i % 2 === 0,
    source: "aggregated",
    venueTime: (i + 1) * S,
    recvTime: i * 3,
  });
  for (let i = 0; i < 100; i++) h.push(bar(i));
  assert.equal(h.size, 40);
  assert.deepEqual(h.last(3), [bar(97), bar(98), bar(99)]);
  assert.deepEqual(
    h.last(1000).map((b) => b.start / S),
    Array.from({ length: 40 }, (_, i) => 60 + i),
  );
});

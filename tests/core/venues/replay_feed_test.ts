/**
 * ReplayFeed: recorded CSV / JSON-lines files played through a RecordSink on a SimClock. The
 * fixtures under tests/fixtures/replay/ are synthetic test data written for these tests.
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import type { RecordSink } from "../../../core/data/record_sink.ts";
import type { DecodeErrorReason } from "../../../core/data/ring_layout.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { ReplayFeed, type ReplaySettings } from "../../../core/venues/replay/replay_feed.ts";
import type { FeedEvent } from "../../../core/venues/venue.ts";

type Rec =
  | { kind: "trade"; inst: number; ts: number; recv: number; price: number; size: number }
  | {
    kind: "quote";
    inst: number;
    ts: number;
    recv: number;
    bid: [number, number];
    ask: [number, number];
  }
  | {
    kind: "bar";
    inst: number;
    ts: number;
    recv: number;
    tf: number;
    ohlcv: [number, number, number, number, number];
    vwap: number;
    count: number;
  };

/** A RecordSink that keeps everything it is given. */
class CollectingSink implements RecordSink {
  records: Rec[] = [];
  flushes = 0;
  errors: Partial<Record<DecodeErrorReason, number>> = {};
  trade(
    inst: number,
    price: number,
    size: number,
    _id: number,
    _taker: number,
    ts: number,
    recv: number,
  ): void {
    this.records.push({ kind: "trade", inst, ts, recv, price, size });
  }
  quote(
    inst: number,
    bp: number,
    bs: number,
    ap: number,
    as: number,
    ts: number,
    recv: number,
  ): void {
    this.records.push({ kind: "quote", inst, ts, recv, bid: [bp, bs], ask: [ap, as] });
  }
  bookLevel(): void {
    throw new Error("replay emits no book levels");
  }
  bar(
    inst: number,
    tf: number,
    start: number,
    o: number,
    h: number,
    l: number,
    c: number,
    v: number,
    vwap: number,
    count: number,
    recv: number,
  ): void {
    this.records.push({
      kind: "bar",
      inst,
      ts: start,
      recv,
      tf,
      ohlcv: [o, h, l, c, v],
      vwap,
      count,
    });
  }
  flush(): void {
    this.flushes++;
  }
  decodeError(reason: DecodeErrorReason): void {
    this.errors[reason] = (this.errors[reason] ?? 0) + 1;
  }
}

const AAPL = 0, MSFT = 1, BTC = 2;
const T0 = 1_800_000_000_000_000; // clock start, µs: unrelated to the files' times on purpose
const MINUTE = 60_000_000, DAY = 86_400_000_000;
const fixture = (name: string) =>
  new URL(`../../fixtures/replay/${name}`, import.meta.url).pathname;
const utc = (...parts: [number, number, number, number?, number?, number?, number?]) =>
  Date.UTC(...parts) * 1000;

function makeFeed(
  files: ReplaySettings["files"],
  speed: number,
  symbols = ["AAPL", "MSFT", "BTC/USD"],
  maxFrameBytes = 4096,
) {
  const sink = new CollectingSink();
  const clock = new SimClock(T0);
  const logs: FeedEvent[] = [];
  const instruments = new InstrumentTable(["AAPL", "MSFT", "BTC/USD"], "REPLAY");
  const feed = new ReplayFeed(
    { instruments, clock, sink, maxFrameBytes, log: (e) => logs.push(e) },
    {
      files,
      speed,
    },
  );
  feed.subscribe(symbols);
  const ended = () => logs.filter((e) => e.type === "ended").length;
  return { sink, clock, logs, feed, ended };
}

/** Replays `files` as fast as possible to the end. */
async function replayAll(files: ReplaySettings["files"], symbols?: string[]) {
  const run = makeFeed(files, 0, symbols);
  await run.feed.start();
  await run.feed.settled();
  await run.feed.stop();
  return run;
}

Deno.test("ReplayFeed plays a CSV of bars in time order into the sink, symbol from the file name", async () => {
  const { sink, ended } = await replayAll([{ path: fixture("AAPL.csv") }]);
  const start = utc(2024, 0, 2, 14, 30);
  deepStrictEqual(sink.records, [
    {
      kind: "bar",
      inst: AAPL,
      ts: start,
      recv: T0,
      tf: MINUTE,
      ohlcv: [1871500, 1875000, 1869000, 1872500, 12000],
      vwap: (1871500 + 1875000 + 1869000 + 1872500) / 4,
      count: 130,
    },
    {
      kind: "bar",
      inst: AAPL,
      ts: start + MINUTE,
      recv: T0,
      tf: MINUTE,
      // 187.12345 has one decimal too many: rounded half away from zero, not truncated.
      ohlcv: [1872500, 1876000, 1871000, 1871235, 8000],
      vwap: (1872500 + 1876000 + 1871000 + 1871235) / 4,
      count: 95,
    },
    {
      kind: "bar",
      inst: AAPL,
      ts: start + 2 * MINUTE,
      recv: T0,
      tf: MINUTE,
      // 187.00005 × 10^4 is 1870000.4999… in floats; the decimal digits round up exactly.
      ohlcv: [1871200, 1873000, 1869500, 1870001, 9100],
      vwap: (1871200 + 1873000 + 1869500 + 1870001) / 4,
      count: 0,
    },
  ]);
  ok(sink.flushes >= 1);
  deepStrictEqual(sink.errors, {});
  strictEqual(ended(), 1);
});

Deno.test("ReplayFeed infers 1d bars across a weekend gap and reads columns in any order", async () => {
  const { sink } = await replayAll([{ path: fixture("msft_daily.csv"), symbol: "MSFT" }]);
  strictEqual(sink.records.length, 3);
  const [first, second] = sink.records;
  ok(first?.kind === "bar" && second?.kind === "bar");
  deepStrictEqual([first.inst, first.ts, first.tf], [MSFT, utc(2024, 0, 5), DAY]);
  deepStrictEqual(first.ohlcv, [3695000, 3710000, 3680000, 3701000, 1000000]);
  ok(Math.abs(first.vwap - 3698000) < 1e-6, `vwap column used, got ${first.vwap}`);
  strictEqual(second.ts, utc(2024, 0, 8));
});

Deno.test("ReplayFeed merges trades and quotes from two files in timestamp order", async () => {
  const { sink, ended } = await replayAll([{ path: fixture("BTC-USD.csv") }, {
    path: fixture("quotes.csv"),
  }]);
  const t = utc(2024, 0, 2);
  const seen = sink.records.map((r) => [r.kind, r.inst, r.ts - t]);
  deepStrictEqual(seen, [
    ["trade", BTC, 0], // ties go to the file listed first
    ["quote", BTC, 0],
    ["quote", BTC, 2_500_000],
    ["trade", BTC, 5_000_000],
    ["quote", BTC, 7_000_000],
    ["trade", BTC, 10_000_000],
  ]);
  // BTC/USD: price units 10^-6, size units 10^-9.
  deepStrictEqual(sink.records[0], {
    kind: "trade",
    inst: BTC,
    ts: t,
    recv: T0,
    price: 42000500000,
    size: 250000000,
  });
  deepStrictEqual(sink.records[2], {
    kind: "quote",
    inst: BTC,
    ts: t + 2_500_000,
    recv: T0,
    bid: [42000500000, 1000000000],
    ask: [42001500000, 2000000000],
  });
  strictEqual(ended(), 1);
});

Deno.test("ReplayFeed plays JSON lines of trades, quotes and bars with numbers or decimal strings", async () => {
  const { sink } = await replayAll([{ path: fixture("mixed.jsonl") }]);
  const bar = sink.records[2];
  deepStrictEqual(sink.records.map((r) => [r.kind, r.inst]), [
    ["trade", AAPL],
    ["quote", AAPL],
    ["bar", MSFT], // at its close (14:31): after the 14:30:01 quote, before the 14:31:02 trade
    ["trade", MSFT],
  ]);
  deepStrictEqual(sink.records[0], {
    kind: "trade",
    inst: AAPL,
    ts: utc(2024, 0, 2, 14, 30, 0, 500),
    recv: T0,
    price: 1872000,
    size: 100,
  });
  deepStrictEqual(sink.records[1], {
    kind: "quote",
    inst: AAPL,
    ts: utc(2024, 0, 2, 14, 30, 1),
    recv: T0,
    bid: [1871900, 300],
    ask: [1872100, 200],
  });
  ok(bar?.kind === "bar");
  deepStrictEqual([bar.ts, bar.tf, bar.ohlcv, bar.count], [
    utc(2024, 0, 2, 14, 30),
    MINUTE,
    [3705000, 3710000, 3702500, 3707500, 5000],
    42,
  ]);
  strictEqual(sink.records[3]?.ts, 1704205862000 * 1000);
});

Deno.test("ReplayFeed at speed 10 emits an event 10 s after the first after 1 s of clock time, not before", async () => {
  const { sink, clock, feed, ended } = makeFeed([{ path: fixture("BTC-USD.csv") }], 10);
  await feed.start();
  await feed.settled();
  deepStrictEqual(sink.records.map((r) => r.recv), [T0]); // the first event goes out at start
  clock.advanceTo(T0 + 499_999);
  await feed.settled();
  strictEqual(sink.records.length, 1);
  clock.advanceTo(T0 + 500_000); // the trade 5 s in
  await feed.settled();
  strictEqual(sink.records.length, 2);
  clock.advanceTo(T0 + 999_999);
  await feed.settled();
  strictEqual(sink.records.length, 2);
  strictEqual(ended(), 0);
  clock.advanceTo(T0 + 1_000_000); // the trade 10 s in
  await feed.settled();
  deepStrictEqual(sink.records.map((r) => r.recv), [T0, T0 + 500_000, T0 + 1_000_000]);
  strictEqual(ended(), 1);
  await feed.stop();
});

Deno.test("ReplayFeed emits each event at its own due time when the clock jumps past several", async () => {
  const { sink, clock, feed } = makeFeed([{ path: fixture("BTC-USD.csv") }, {
    path: fixture("quotes.csv"),
  }], 1);
  await feed.start();
  clock.advanceTo(T0 + 60_000_000);
  await feed.settled();
  // Receive time = clock time at emission = start + (venue time − first venue time) at speed 1.
  const t = utc(2024, 0, 2);
  for (const r of sink.records) strictEqual(r.recv - T0, r.ts - t);
  strictEqual(sink.records.length, 6);
  await feed.stop();
});

Deno.test("ReplayFeed counts and skips bad rows while the good rows still arrive", async () => {
  const { sink, ended } = await replayAll([{ path: fixture("bad_rows.csv") }, {
    path: fixture("bad_rows.jsonl"),
  }]);
  deepStrictEqual(
    sink.records.map((r) =>
      r.kind === "trade" ? [r.ts - utc(2024, 0, 2, 14, 30), r.price] : r.kind
    ),
    [[0, 1870000], [5_000_000, 1870500], [8_000_000, 1870800], [9_000_000, 1870900]],
  );
  deepStrictEqual(sink.errors, {
    bad_field: 6, // NaN, -5 size, 0 price, Infinity; JSON: high < low, price `true`
    bad_timestamp: 2, // "not-a-time", a row earlier than the one before it
    bad_shape: 2, // a short CSV row, a JSON array
    unknown_symbol: 1,
    malformed_json: 1,
    unknown_type: 1,
  });
  strictEqual(ended(), 1);
});

Deno.test("ReplayFeed does not emit symbols that are not subscribed", async () => {
  const only = await replayAll([{ path: fixture("mixed.jsonl") }], ["AAPL"]);
  deepStrictEqual(only.sink.records.map((r) => r.inst), [AAPL, AAPL]);

  const run = makeFeed([{ path: fixture("mixed.jsonl") }], 0);
  run.feed.unsubscribe(["MSFT", "BTC/USD"]);
  deepStrictEqual(run.feed.subscribed(), ["AAPL"]);
  await run.feed.start();
  await run.feed.settled();
  deepStrictEqual(run.sink.records.map((r) => r.inst), [AAPL, AAPL]);
  await run.feed.stop();
});

Deno.test("ReplayFeed logs 'ended' once, and not at all when stopped before the end", async () => {
  const done = makeFeed([{ path: fixture("AAPL.csv") }, { path: fixture("quotes.csv") }], 0);
  await done.feed.start();
  await done.feed.settled();
  await done.feed.stop();
  await done.feed.stop();
  strictEqual(done.ended(), 1);

  const cut = makeFeed([{ path: fixture("BTC-USD.csv") }], 1);
  await cut.feed.start();
  await cut.feed.stop();
  cut.clock.advanceTo(T0 + 3_600_000_000);
  strictEqual(cut.sink.records.length, 1);
  strictEqual(cut.ended(), 0);
});

Deno.test("ReplayFeed streams large files in order across read-ahead and chunk boundaries", async () => {
  const dir = await Deno.makeTempDir({ prefix: "replay_feed_test_" });
  try {
    const rows = 4000;
    const t0 = 1_704_153_600_000;
    // File A holds even seconds, file B odd ones: the merge must interleave them exactly.
    for (const [name, offset] of [["a", 0], ["b", 1]] as const) {
      const lines = ["# synthetic test data, generated", "timestamp,price,size"];
      for (let i = 0; i < rows; i++) {
        lines.push(`${t0 + (2 * i + offset) * 1000},${100 + (i % 50) / 100},${i}`);
      }
      await Deno.writeTextFile(`${dir}/${name}.csv`, lines.join("\n") + "\n");
    }
    const { sink, ended } = await replayAll([
      { path: `${dir}/a.csv`, symbol: "AAPL" },
      { path: `${dir}/b.csv`, symbol: "AAPL" },
    ]);
    strictEqual(sink.records.length, 2 * rows);
    sink.records.forEach((r, i) => strictEqual(r.ts, (t0 + i * 1000) * 1000));
    deepStrictEqual(sink.errors, {});
    strictEqual(ended(), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ReplayFeed counts a line longer than maxFrameBytes as oversized and plays the rest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "replay_feed_test_" });
  try {
    const path = `${dir}/AAPL.csv`;
    // Longer than two 64 KiB read chunks, so the reader must drop it piecewise, not hold it.
    const long = `1704153601000,187.${"1".repeat(150_000)},1`;
    await Deno.writeTextFile(
      path,
      `timestamp,price,size\n1704153600000,187,1\n${long}\n1704153602000,188,2\n`,
    );
    const { sink } = await replayAll([{ path }]);
    deepStrictEqual(sink.records.map((r) => r.kind === "trade" && r.price), [1870000, 1880000]);
    deepStrictEqual(sink.errors, { oversized_frame: 1 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ReplayFeed.start() rejects naming a file that cannot be opened", async () => {
  const { feed } = makeFeed([{ path: fixture("no_such_file.csv") }], 1);
  await rejects(feed.start(), /no_such_file\.csv/);
});

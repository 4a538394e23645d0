/**
 * The real historical bars shipped in research/data/ (see its README.md) load through the project's
 * own replay reader: expected symbol, row count, first and last bars, no rejected row.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { SimClock } from "../../core/clock/sim_clock.ts";
import type { RecordSink } from "../../core/data/record_sink.ts";
import type { DecodeErrorReason } from "../../core/data/ring_layout.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { ReplayFeed, type ReplayFile } from "../../core/venues/replay/replay_feed.ts";
import type { FeedEvent } from "../../core/venues/venue.ts";

const HOUR = 3_600_000_000, DAY = 24 * HOUR;
const SPX = 0, MSFT = 1;
const data = (name: string) => new URL(`../../research/data/${name}`, import.meta.url).pathname;
/** Epoch µs of midnight New York on a date, given New York's UTC offset in hours that day. */
const nyMidnight = (y: number, m: number, d: number, offsetHours: 4 | 5) =>
  Date.UTC(y, m - 1, d, offsetHours) * 1000;

interface Bar {
  inst: number;
  tf: number;
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A RecordSink keeping bars and counting rejected rows. */
class BarSink implements RecordSink {
  bars: Bar[] = [];
  errors: Partial<Record<DecodeErrorReason, number>> = {};
  trade(): void {
    throw new Error("research data holds bars only");
  }
  quote(): void {
    throw new Error("research data holds bars only");
  }
  bookLevel(): void {
    throw new Error("research data holds bars only");
  }
  bar(
    inst: number,
    tf: number,
    start: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ): void {
    this.bars.push({ inst, tf, start, open, high, low, close, volume });
  }
  flush(): void {}
  decodeError(reason: DecodeErrorReason): void {
    this.errors[reason] = (this.errors[reason] ?? 0) + 1;
  }
}

/** Replays `files` as fast as possible to the end, symbols and timeframe left to the reader. */
async function replay(files: ReplayFile[]) {
  const sink = new BarSink();
  const logs: FeedEvent[] = [];
  const feed = new ReplayFeed(
    {
      instruments: new InstrumentTable(["SPX", "MSFT"], "REPLAY"),
      clock: new SimClock(0),
      sink,
      maxFrameBytes: 4096,
      log: (e) => logs.push(e),
    },
    { files, speed: 0 },
  );
  feed.subscribe(["SPX", "MSFT"]);
  await feed.start();
  await feed.settled();
  await feed.stop();
  deepStrictEqual(sink.errors, {}, "no row is rejected");
  deepStrictEqual(
    logs.filter((e) => e.type === "error" || e.type === "venue_error"),
    [],
    "no error or venue_error is logged",
  );
  strictEqual(logs.filter((e) => e.type === "ended").length, 1, "played to the end");
  return sink.bars;
}

/** What holds for every daily bar of a file: one symbol, 1d, midnight New York, sane OHLCV. */
function checkDaily(bars: readonly Bar[], inst: number): void {
  let prev = -Infinity;
  for (const b of bars) {
    strictEqual(b.inst, inst);
    strictEqual(b.tf, DAY);
    const sinceUtcMidnight = ((b.start % DAY) + DAY) % DAY;
    ok(sinceUtcMidnight === 4 * HOUR || sinceUtcMidnight === 5 * HOUR, `midnight NY: ${b.start}`);
    ok(b.start - prev >= DAY - HOUR, `one bar per trading day: ${b.start}`);
    ok(b.low <= b.open && b.open <= b.high && b.low <= b.close && b.close <= b.high);
    ok(b.low > 0 && b.volume > 0);
    prev = b.start;
  }
}

Deno.test("SPX.csv replays as 5105 daily S&P 500 bars from 2000-01-03 to 2020-04-17, symbol SPX from the file name", async () => {
  const bars = await replay([{ path: data("SPX.csv") }]);
  strictEqual(bars.length, 5105);
  checkDaily(bars, SPX);
  // 2000-01-03,1469.250000,1478.000000,1438.359985,1455.219971,…,931800000 at 4 price decimals.
  deepStrictEqual(bars[0], {
    inst: SPX,
    tf: DAY,
    start: nyMidnight(2000, 1, 3, 5),
    open: 14_692_500,
    high: 14_780_000,
    low: 14_383_600,
    close: 14_552_200,
    volume: 931_800_000,
  });
  // 2020-04-17,2842.429932,2879.219971,2830.879883,2874.560059,…,5792140000 (daylight time).
  deepStrictEqual(bars.at(-1), {
    inst: SPX,
    tf: DAY,
    start: nyMidnight(2020, 4, 17, 4),
    open: 28_424_299,
    high: 28_792_200,
    low: 28_308_799,
    close: 28_745_601,
    volume: 5_792_140_000,
  });
});

Deno.test("MSFT.csv replays as 249 daily Microsoft bars from 2000-09-27 to 2001-09-27, symbol MSFT from the file name", async () => {
  const bars = await replay([{ path: data("MSFT.csv") }]);
  strictEqual(bars.length, 249);
  checkDaily(bars, MSFT);
  // 2000-09-27;63.4375;63.5625;59.8125;60.625;53077800: sixteenths of a dollar, exact at 4 decimals.
  deepStrictEqual(bars[0], {
    inst: MSFT,
    tf: DAY,
    start: nyMidnight(2000, 9, 27, 4),
    open: 634_375,
    high: 635_625,
    low: 598_125,
    close: 606_250,
    volume: 53_077_800,
  });
  deepStrictEqual(bars.at(-1), {
    inst: MSFT,
    tf: DAY,
    start: nyMidnight(2001, 9, 27, 4),
    open: 501_000,
    high: 506_800,
    low: 480_000,
    close: 499_600,
    volume: 40_595_600,
  });
});

Deno.test("SPX and MSFT merge into one time-ordered stream sharing every trading day of MSFT's year", async () => {
  const bars = await replay([{ path: data("SPX.csv") }, { path: data("MSFT.csv") }]);
  strictEqual(bars.length, 5105 + 249);
  for (let i = 1; i < bars.length; i++) ok(bars[i - 1]!.start <= bars[i]!.start, `order at ${i}`);
  const spxDays = new Set(bars.filter((b) => b.inst === SPX).map((b) => b.start));
  const msft = bars.filter((b) => b.inst === MSFT);
  ok(msft.every((b) => spxDays.has(b.start)), "both are NYSE trading days");
  const overlap = bars.filter((b) =>
    b.inst === SPX && b.start >= msft[0]!.start && b.start <= msft.at(-1)!.start
  );
  strictEqual(overlap.length, 249);
  // Same bar time: file order, so SPX (listed first) comes before MSFT on each shared day.
  const i = bars.findIndex((b) => b.inst === MSFT);
  deepStrictEqual([bars[i - 1]!.inst, bars[i - 1]!.start], [SPX, msft[0]!.start]);
});

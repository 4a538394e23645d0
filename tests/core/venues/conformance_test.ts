/**
 * The Venue conformance suite: the same behavioural checks run against every venue's market-data
 * feed (sim, replay, and Alpaca's streams served by sim-server over loopback). A feed must deliver
 * only subscribed symbols, valid integer units and timestamps, uncrossed books, stop on unsubscribe
 * and on stop().
 */
import assert from "node:assert/strict";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { OrderBook } from "../../../core/data/order_book.ts";
import type { RecordSink } from "../../../core/data/record_sink.ts";
import { RecordFlag } from "../../../core/data/ring_layout.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { openFeed } from "../../../core/venues/feeds.ts";
import { replayVenue } from "../../../core/venues/replay/mod.ts";
import { simVenue } from "../../../core/venues/sim/mod.ts";
import { alpacaVenue } from "../../../core/venues/alpaca/mod.ts";
import { createMarketDataStream } from "../../../scripts/sim_server/market_data_stream.ts";
import { createRouter } from "../../../scripts/sim_server/router.ts";
import type { FeedEvent, FeedSource, Venue } from "../../../core/venues/venue.ts";
import { alpacaConfigSchema, configSchema } from "../../../schemas/config.ts";

const FIXTURES = new URL("../../fixtures/replay/", import.meta.url).pathname;
const START = 1_704_205_800_000_000; // 2024-01-02T14:30:00Z

interface Rec {
  readonly symbol: string;
  readonly kind: "trade" | "quote" | "book" | "bar";
  readonly values: readonly number[];
  readonly ts: number;
  readonly recv: number;
}

/** A RecordSink that checks units as it collects and builds books from level records. */
class CheckingSink implements RecordSink {
  records: Rec[] = [];
  errors = 0;
  unflushed = 0;
  books: OrderBook[];
  crossedAfterEnd = 0;
  constructor(readonly instruments: InstrumentTable) {
    this.books = instruments.list().map((i) => new OrderBook(i.symbol));
  }
  #push(inst: number, kind: Rec["kind"], values: number[], ts: number, recv: number): void {
    for (const v of values) {
      assert.ok(Number.isSafeInteger(v) && v >= 0, `${kind} value ${v} is not a unit count`);
    }
    assert.ok(Number.isSafeInteger(ts) && ts > 0, `${kind} venue time ${ts}`);
    assert.ok(Number.isSafeInteger(recv) && recv > 0, `${kind} receive time ${recv}`);
    this.records.push({ symbol: this.instruments.at(inst).symbol, kind, values, ts, recv });
    this.unflushed++;
  }
  trade(
    inst: number,
    price: number,
    size: number,
    _id: number,
    taker: number,
    ts: number,
    recv: number,
  ) {
    assert.ok(price > 0 && taker >= 0 && taker <= 2);
    this.#push(inst, "trade", [price, size], ts, recv);
  }
  quote(inst: number, bp: number, bs: number, ap: number, as: number, ts: number, recv: number) {
    this.#push(inst, "quote", [bp, bs, ap, as], ts, recv);
  }
  bookLevel(inst: number, flags: number, price: number, size: number, ts: number, recv: number) {
    this.#push(inst, "book", [price, size], ts, recv);
    const book = this.books[inst]!;
    if (flags & RecordFlag.Reset) book.clear();
    if (price > 0) book.apply(flags & RecordFlag.Ask ? 1 : 0, price, size);
    if (flags & RecordFlag.End && book.isCrossed()) this.crossedAfterEnd++;
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
    _vw: number,
    n: number,
    recv: number,
  ) {
    assert.ok(l <= o && o <= h && l <= c && c <= h, "bar low <= open, close <= high");
    this.#push(inst, "bar", [tf, o, h, l, c, v, n], start + tf, recv);
  }
  flush() {
    this.unflushed = 0;
  }
  decodeError() {
    this.errors++;
  }
}

interface Case {
  readonly name: string;
  /** The venue, and what to tear down after the test (a server). */
  readonly open: () => Promise<{ venue: Venue; close: () => Promise<void> }>;
  readonly symbols: readonly string[];
  /** Clock time to advance for the feed to deliver something for every subscribed symbol. */
  readonly runMs: number;
  /** Real time to let pass per step: feeds over a network need it, in-process ones do not. */
  readonly realMs?: number;
}

const inProcess = (venue: Venue) => () =>
  Promise.resolve({ venue, close: () => Promise.resolve() });

const cases: Case[] = [
  {
    name: "sim",
    open: inProcess(simVenue(configSchema.parse({}).sim)),
    symbols: ["AAPL", "MSFT", "BTC/USD"],
    runMs: 2000,
  },
  {
    name: "replay",
    open: inProcess(replayVenue({
      files: [
        { path: FIXTURES + "mixed.jsonl" },
        { path: FIXTURES + "quotes.csv" },
        { path: FIXTURES + "BTC-USD.csv" },
      ],
      speed: 1000,
    })),
    symbols: ["AAPL", "MSFT", "BTC/USD"],
    runMs: 60_000,
  },
  {
    name: "alpaca-paper",
    open: () => {
      const stream = createMarketDataStream({ sim: { rate_per_symbol: 200 } });
      const server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {} },
        createRouter([stream.route]),
      );
      const alpaca = alpacaConfigSchema.parse({
        data_stream_url: `ws://127.0.0.1:${server.addr.port}`,
        encoding: "json",
      });
      return Promise.resolve({
        venue: alpacaVenue("alpaca-paper", alpaca, { key: "k", secret: "s" }),
        close: async () => {
          await stream.close();
          await server.shutdown();
        },
      });
    },
    symbols: ["AAPL", "MSFT", "BTC/USD"],
    runMs: 1000,
    realMs: 15,
  },
];

/** Advances the clock by `ms` in 100 steps, letting the feed's async work settle between steps. */
async function run(feed: FeedSource, clock: SimClock, ms: number, realMs = 0): Promise<void> {
  const settled = (feed as { settled?: () => Promise<void> }).settled?.bind(feed);
  for (let i = 0; i < 100; i++) {
    await settled?.();
    clock.advanceBy(ms * 10); // ms * 1000 µs / 100 steps
    await settled?.();
    await new Promise((r) => setTimeout(r, realMs));
  }
}

function setup(c: Case, venue: Venue) {
  const instruments = new InstrumentTable(c.symbols, venue.instrumentVenue);
  const clock = new SimClock(START);
  const sink = new CheckingSink(instruments);
  const events: FeedEvent[] = [];
  const feed = openFeed(venue.feed, {
    instruments,
    clock,
    sink,
    maxFrameBytes: 1 << 20,
    log: (e) => events.push(e),
  });
  return { instruments, clock, sink, events, feed };
}

/** Runs `body` with the case's venue open, and closes it after. */
async function withVenue(c: Case, body: (venue: Venue) => Promise<void>): Promise<void> {
  const { venue, close } = await c.open();
  try {
    await body(venue);
  } finally {
    await close();
  }
}

for (const c of cases) {
  const name = c.name;

  Deno.test(`[${name}] a feed delivers valid records, only for subscribed symbols, all flushed`, () =>
    withVenue(c, async (venue) => {
      const { clock, sink, feed } = setup(c, venue);
      const [first, ...rest] = c.symbols;
      feed.subscribe(rest);
      await feed.start();
      await run(feed, clock, c.runMs, c.realMs);
      await feed.stop();
      assert.ok(sink.records.length > 0, "something was delivered");
      assert.equal(
        sink.records.filter((r) => r.symbol === first).length,
        0,
        `nothing for unsubscribed ${first}`,
      );
      for (const s of rest) assert.ok(sink.records.some((r) => r.symbol === s), `records for ${s}`);
      assert.equal(sink.unflushed, 0, "every record was flushed");
      assert.equal(sink.errors, 0, "no decode errors on the venue's own data");
      assert.equal(sink.crossedAfterEnd, 0, "no book is crossed after a complete update");
      assert.deepEqual([...feed.subscribed()].sort(), [...rest].sort());
    }));

  Deno.test(`[${name}] receive time is the clock's time at delivery`, () =>
    withVenue(c, async (venue) => {
      const { clock, sink, feed } = setup(c, venue);
      feed.subscribe(c.symbols);
      await feed.start();
      await run(feed, clock, c.runMs, c.realMs);
      await feed.stop();
      assert.ok(sink.records.length > 0);
      for (const r of sink.records) assert.ok(r.recv >= START && r.recv <= clock.nowMicros());
    }));

  Deno.test(`[${name}] unsubscribe stops a symbol and stop() stops everything`, () =>
    withVenue(c, async (venue) => {
      const { clock, sink, feed } = setup(c, venue);
      feed.subscribe(c.symbols);
      await feed.start();
      await run(feed, clock, c.runMs / 10, c.realMs);
      feed.unsubscribe([c.symbols[0]!]);
      // Over a network, frames already on the wire still arrive: let them land first.
      if (c.realMs !== undefined) await new Promise((r) => setTimeout(r, 200));
      const cut = sink.records.length;
      await run(feed, clock, c.runMs, c.realMs);
      const after = sink.records.slice(cut);
      assert.equal(
        after.filter((r) => r.symbol === c.symbols[0]).length,
        0,
        "nothing for the unsubscribed symbol",
      );
      assert.ok(after.some((r) => r.symbol === c.symbols[1]), "the other symbols keep coming");
      await feed.stop();
      const stopped = sink.records.length;
      await run(feed, clock, c.runMs, c.realMs);
      assert.equal(sink.records.length, stopped, "no records after stop()");
    }));
}

// AlpacaStreamFeed against the sim server over real loopback WebSockets (WallClock, short backoff).
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { WallClock } from "../../../core/clock/wall_clock.ts";
import type { RecordSink } from "../../../core/data/record_sink.ts";
import type { DecodeErrorReason } from "../../../core/data/ring_layout.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { AlpacaStreamFeed } from "../../../core/venues/alpaca/stream.ts";
import { fetchBars } from "../../../core/venues/alpaca/market_data_rest.ts";
import { formatRfc3339Micros } from "../../../core/domain/timestamp.ts";
import type { FeedEvent } from "../../../core/venues/venue.ts";
import {
  createMarketDataStream,
  type MarketDataStreamOptions,
} from "../../../scripts/sim_server/market_data_stream.ts";
import { createMarketDataRest } from "../../../scripts/sim_server/market_data_rest.ts";
import { createRouter } from "../../../scripts/sim_server/router.ts";

/** A RecordSink that keeps what it receives. */
class CollectingSink implements RecordSink {
  records: Array<[string, ...number[]]> = [];
  errors = new Map<DecodeErrorReason, number>();
  trade(...a: number[]) {
    this.records.push(["trade", ...a]);
  }
  quote(...a: number[]) {
    this.records.push(["quote", ...a]);
  }
  bookLevel(...a: number[]) {
    this.records.push(["book", ...a]);
  }
  bar(...a: number[]) {
    this.records.push(["bar", ...a]);
  }
  flush() {}
  decodeError(reason: DecodeErrorReason) {
    this.errors.set(reason, (this.errors.get(reason) ?? 0) + 1);
  }
  count(kind: string): number {
    return this.records.filter((r) => r[0] === kind).length;
  }
}

const instruments = new InstrumentTable(["AAPL", "MSFT", "BTC/USD"], "ALPACA");

function startServer(options: MarketDataStreamOptions = {}) {
  const stream = createMarketDataStream({ sim: { seed: 7, rate_per_symbol: 200 }, ...options });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createRouter([stream.route]),
  );
  return {
    stream,
    url: (path: string) => `ws://127.0.0.1:${server.addr.port}${path}`,
    close: async () => {
      await stream.close();
      await server.shutdown();
    },
  };
}

function makeFeed(
  url: string,
  opts: { key?: string; secret?: string; encoding?: "json" | "msgpack" } = {},
) {
  const sink = new CollectingSink();
  const events: FeedEvent[] = [];
  const feed = new AlpacaStreamFeed(
    {
      instruments,
      clock: new WallClock(),
      sink,
      maxFrameBytes: 1 << 20,
      log: (e) => events.push(e),
    },
    {
      url,
      key: opts.key ?? "key-1",
      secret: opts.secret ?? "secret-1",
      encoding: opts.encoding ?? "json",
      reconnect: { baseMs: 20, maxMs: 100 },
    },
  );
  return { feed, sink, events };
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  for (let waited = 0; !cond(); waited += 10) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("AlpacaStreamFeed authenticates, subscribes and delivers sim trades and quotes in integer units", async () => {
  const srv = startServer({
    sim: { seed: 7, rate_per_symbol: 200, start_prices: { AAPL: 190 } },
  });
  const { feed, sink, events } = makeFeed(srv.url("/v2/iex"));
  feed.subscribe(["AAPL"]);
  await feed.start();
  await waitFor(() => sink.count("trade") >= 3 && sink.count("quote") >= 3, "trades and quotes");
  await feed.stop();
  await srv.close();

  assert.ok(events.some((e) => e.type === "connected"));
  assert.ok(events.some((e) => e.type === "subscribed" && e.message.includes("trades=AAPL")));
  // Stock feeds carry no order books.
  assert.equal(sink.count("book"), 0);
  const now = new WallClock().nowMicros();
  for (const [kind, inst, ...rest] of sink.records) {
    assert.equal(inst, 0); // AAPL
    const prices = kind === "trade" ? [rest[0]!] : [rest[0]!, rest[2]!];
    for (const p of prices) {
      // 10^-4 units, on the cent tick, near the $190 start.
      assert.ok(Number.isSafeInteger(p) && p % 100 === 0, `price ${p}`);
      assert.ok(p > 1_700_000 && p < 2_100_000, `price ${p}`);
    }
    const ts = kind === "trade" ? rest[4]! : rest[4]!;
    assert.ok(Math.abs(now - ts) < 10_000_000, `timestamp ${ts} is recent`);
  }
  assert.equal(feed.counters.reconnects, 0);
});

Deno.test("AlpacaStreamFeed decodes JSON and MessagePack frames to the same records", async () => {
  const srv = startServer();
  const json = makeFeed(srv.url("/v2/sip"), { key: "json-key", encoding: "json" });
  const mp = makeFeed(srv.url("/v2/sip"), { key: "mp-key", encoding: "msgpack" });
  await json.feed.start();
  await mp.feed.start();
  await waitFor(() => srv.stream.connections() === 2, "both authenticated");
  const t = "2024-03-01T14:30:00.123456789Z";
  srv.stream.broadcast([
    { T: "t", S: "AAPL", i: 42, x: "V", p: 187.25, s: 100, t, z: "C" },
    { T: "q", S: "MSFT", bp: 420.1, bs: 3, ap: 420.12, as: 5, t, z: "C" },
  ]);
  await waitFor(() => json.sink.records.length === 2 && mp.sink.records.length === 2, "records");
  await json.feed.stop();
  await mp.feed.stop();
  await srv.close();

  const tsMicros = Date.UTC(2024, 2, 1, 14, 30, 0, 123) * 1000 + 456;
  const withoutRecv = (r: Array<[string, ...number[]]>) => r.map((x) => x.slice(0, -1));
  assert.deepEqual(withoutRecv(json.sink.records), [
    ["trade", 0, 1_872_500, 100, 42, 0, tsMicros],
    ["quote", 1, 4_201_000, 3, 4_201_200, 5, tsMicros],
  ]);
  assert.deepEqual(withoutRecv(mp.sink.records), withoutRecv(json.sink.records));
});

Deno.test("AlpacaStreamFeed stops retrying after 402 auth failed and never logs the secret", async () => {
  const srv = startServer({ credentials: { key: "good", secret: "right" } });
  const { feed, events } = makeFeed(srv.url("/v2/iex"), { key: "bad", secret: "hunter2" });
  await feed.start();
  await waitFor(() => feed.state === "failed", "failed state");
  await sleep(300); // many backoff periods at baseMs 20
  await feed.stop();
  await srv.close();

  assert.equal(feed.counters.errorsByCode.get(402), 1);
  assert.equal(feed.counters.connects, 1);
  assert.ok(events.some((e) => e.type === "venue_error" && e.message.includes("402")));
  assert.ok(events.every((e) => !e.message.includes("hunter2")));
});

Deno.test("AlpacaStreamFeed backs off on 406 connection limit and connects once the first session closes", async () => {
  const srv = startServer();
  const first = makeFeed(srv.url("/v2/iex"), { key: "shared" });
  await first.feed.start();
  await waitFor(() => first.feed.state === "ready", "first ready");
  const second = makeFeed(srv.url("/v2/iex"), { key: "shared" });
  await second.feed.start();
  await waitFor(() => (second.feed.counters.errorsByCode.get(406) ?? 0) >= 2, "two 406s");
  assert.equal(srv.stream.connections(), 1);
  assert.notEqual(second.feed.state, "failed");
  await first.feed.stop();
  await waitFor(() => second.feed.state === "ready", "second ready");
  await second.feed.stop();
  await srv.close();

  assert.ok(second.feed.counters.reconnects >= 2);
  assert.equal(second.feed.counters.authentications, 1);
});

Deno.test("AlpacaStreamFeed reconnects, re-authenticates and re-subscribes after the server drops it", async () => {
  const srv = startServer();
  const { feed, sink, events } = makeFeed(srv.url("/v1beta3/crypto/us"));
  feed.subscribe(["BTC/USD"]);
  await feed.start();
  await waitFor(() => sink.count("trade") > 0, "first trades");
  srv.stream.dropAll();
  await waitFor(() => feed.counters.authentications === 2, "second authentication");
  const before = sink.records.length;
  await waitFor(() => sink.count("trade") > 0 && sink.records.length > before + 5, "new data");
  await feed.stop();
  await srv.close();

  assert.equal(feed.counters.reconnects, 1);
  const subscribed = events.filter((e) => e.type === "subscribed");
  assert.equal(subscribed.length, 2);
  // The crypto feed adds order books to the subscription.
  assert.ok(subscribed.every((e) => e.message.includes("orderbooks=BTC/USD")));
  assert.ok(sink.count("book") > 0);
  assert.deepEqual(feed.subscribed(), ["BTC/USD"]);
});

Deno.test("AlpacaStreamFeed backfills the minute bars missed while disconnected from market-data REST", async () => {
  const stream = createMarketDataStream({ sim: { seed: 7, rate_per_symbol: 200 } });
  const rest = createMarketDataRest();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createRouter([stream.route, ...rest.routes]),
  );
  // Wall time that can jump: the outage "lasts" five minutes without the test waiting them.
  const clock = new class extends WallClock {
    shift = 0;
    override nowMicros(): number {
      return super.nowMicros() + this.shift;
    }
  }();
  const sink = new CollectingSink();
  const events: FeedEvent[] = [];
  const feed = new AlpacaStreamFeed(
    { instruments, clock, sink, maxFrameBytes: 1 << 20, log: (e) => events.push(e) },
    {
      url: `ws://127.0.0.1:${server.addr.port}/v1beta3/crypto/us`,
      key: "key-1",
      secret: "secret-1",
      encoding: "json",
      reconnect: { baseMs: 300, maxMs: 300 },
      backfillUrl: `http://127.0.0.1:${server.addr.port}`,
    },
  );
  try {
    feed.subscribe(["BTC/USD"]);
    await feed.start();
    await waitFor(() => sink.count("trade") > 0, "first trades");
    const dropAt = clock.nowMicros();
    stream.dropAll();
    await waitFor(() => feed.state === "waiting", "the drop");
    clock.shift = 5 * 60_000_000;
    const shiftedAt = clock.nowMicros();
    await waitFor(() => feed.counters.backfills === 1, "the backfill");
    const minute = 60_000_000;
    const bars = sink.records.filter((r) => r[0] === "bar" && r[2] === minute);
    const starts = bars.map((r) => r[3]!);
    const first = Math.floor(dropAt / minute) * minute;
    const last = Math.floor(clock.nowMicros() / minute) * minute - minute;
    // What the REST API has for the gap (it omits minutes without trades, as Alpaca does).
    const expected: number[] = [];
    await fetchBars({
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
      key: "key-1",
      secret: "secret-1",
      assetClass: "crypto",
      symbols: ["BTC/USD"],
      timeframe: "1Min",
      start: formatRfc3339Micros(first),
      end: formatRfc3339Micros(last),
      instruments,
      clock,
    }, (page) => void expected.push(...page.map((b) => b.start)));
    assert.ok(expected.length > 0);
    // The feed asks up to the minute before it reconnects, somewhere between the shift and now:
    // a minute may have ended in between (on the wall clock), with one more bar to have.
    const upToShift = expected.filter((t) => t < Math.floor(shiftedAt / minute) * minute);
    if (!isDeepStrictEqual(starts, upToShift)) {
      assert.deepEqual(starts, expected, "every bar of the gap, in order, once");
    }
    assert.equal(feed.counters.backfilledBars, starts.length);
    assert.ok(starts.every((t) => t >= first && t <= last), "not the minute in progress");
    assert.ok(events.some((e) => /backfilled \d+ bars/.test(e.message)));
  } finally {
    await feed.stop();
    await stream.close();
    await server.shutdown();
  }
});

Deno.test("AlpacaStreamFeed counts malformed frames and keeps the connection", async () => {
  const srv = startServer();
  const json = makeFeed(srv.url("/v2/iex"), { key: "j" });
  const mp = makeFeed(srv.url("/v2/iex"), { key: "m", encoding: "msgpack" });
  await json.feed.start();
  await mp.feed.start();
  await waitFor(() => srv.stream.connections() === 2, "both authenticated");
  srv.stream.sendRaw("{not json");
  srv.stream.sendRaw(new Uint8Array([0xc1])); // 0xc1 is never used in MessagePack
  srv.stream.sendRaw('[{"T":"t","S":"AAPL","p":"abc"}]');
  srv.stream.broadcast([{ T: "t", S: "AAPL", i: 1, p: 1.5, s: 2, t: "2024-03-01T14:30:00Z" }]);
  await waitFor(() => json.sink.count("trade") === 1 && mp.sink.count("trade") === 1, "trade");
  await json.feed.stop();
  await mp.feed.stop();
  await srv.close();

  // Both clients get every raw frame: text is parsed as JSON and bytes as MessagePack, whichever
  // framing was asked for, so each counts the bad text and the bad bytes.
  for (const c of [json, mp]) {
    assert.equal(c.sink.errors.get("malformed_json"), 2);
    assert.equal(c.sink.errors.get("bad_field"), 1);
  }
  assert.equal(json.feed.counters.connects, 1);
  assert.equal(mp.feed.counters.connects, 1);
});

Deno.test("AlpacaStreamFeed sends subscribe and unsubscribe while connected", async () => {
  const srv = startServer();
  const { feed, events } = makeFeed(srv.url("/v2/iex"));
  await feed.start();
  await waitFor(() => feed.state === "ready", "ready");
  feed.subscribe(["AAPL", "MSFT"]);
  await waitFor(() => events.some((e) => e.message.includes("trades=AAPL,MSFT")), "subscribe");
  feed.unsubscribe(["AAPL"]);
  await waitFor(
    () =>
      events.filter((e) => e.type === "subscribed").at(-1)?.message.includes("trades=MSFT ") ===
        true,
    "unsubscribe",
  );
  await feed.stop();
  await srv.close();
  assert.deepEqual(feed.subscribed(), ["MSFT"]);
});

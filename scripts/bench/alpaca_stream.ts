/**
 * Alpaca market data over loopback WebSocket, end to end: the sim server's Alpaca stream (its own
 * process, scripts/bench/_alpaca_stream_server.ts, pre-generated SimMarket trade/quote/orderbook
 * frames sent as fast as the socket accepts) → the real adapter in the feed worker (AlpacaFeeds,
 * one crypto-stream connection) → SPSC ring → RingPump/RecordApplier → MarketEngine (books, bars,
 * bus), wired as core/live/node.ts wires it. Times first applied message to last, for JSON and
 * MessagePack, and also measures the server's raw send rate into a bare WebSocket client (no
 * decoding) and the parse-only rate of the same frames, so the bottleneck is visible.
 * Usage: deno run -A scripts/bench/alpaca_stream.ts [--messages N] [--symbols N]
 *   [--encoding json|msgpack|both]
 */
import { parseArgs } from "node:util";
import { Bus } from "../../core/bus/bus.ts";
import { WallClock } from "../../core/clock/wall_clock.ts";
import type { FromFeedWorker, ToFeedWorker } from "../../core/data/feed_protocol.ts";
import { MarketEngine } from "../../core/data/market_engine.ts";
import { RingReader } from "../../core/data/ring_buffer.ts";
import { allocateRing, Ctl } from "../../core/data/ring_layout.ts";
import { RecordApplier, RingPump } from "../../core/data/ring_pump.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { decodeMsgpackFrame } from "../../core/venues/alpaca/msgpack_frames.ts";
import { MSGPACK_CONTENT_TYPE } from "../../core/venues/alpaca/stream_protocol.ts";
import type { FeedSpec } from "../../core/venues/venue.ts";
import { report, syntheticSymbols } from "./_stats.ts";

const TARGET = 300_000;
const USAGE = "Usage: deno run -A scripts/bench/alpaca_stream.ts [--messages N] [--symbols N] " +
  "[--encoding json|msgpack|both]";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    messages: { type: "string", default: "1000000" },
    symbols: { type: "string", default: "100" },
    encoding: { type: "string", default: "both" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const encodings: Array<"json" | "msgpack"> = values.encoding === "both"
  ? ["json", "msgpack"]
  : values.encoding === "json" || values.encoding === "msgpack"
  ? [values.encoding]
  : (() => {
    console.error(USAGE);
    return Deno.exit(2);
  })();
// The same crypto symbols the server generates: one stream carries trades, quotes and books.
const symbols = syntheticSymbols(Number(values.symbols)).map((s) => `${s}/USD`);

// --- the server process -------------------------------------------------------------------------
const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    new URL("./_alpaca_stream_server.ts", import.meta.url).pathname,
    "--messages",
    String(values.messages),
    "--symbols",
    String(values.symbols),
  ],
  stdin: "piped",
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const serverIn = server.stdin.getWriter();
const lines = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
let pending = "";
async function serverLine(): Promise<Record<string, number>> {
  for (;;) {
    const nl = pending.indexOf("\n");
    if (nl >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      return JSON.parse(line);
    }
    const { value, done } = await lines.read();
    if (done) throw new Error("bench server exited");
    pending += value;
  }
}
const command = (line: string) => serverIn.write(new TextEncoder().encode(line + "\n"));

const ready = await serverLine();
const port = ready.port!, messages = ready.messages!, frames = ready.frames!;
console.error(
  `server on ${port}: ${messages} messages in ${frames} frames (JSON ${
    (ready.json_bytes! / 1e6).toFixed(0)
  } MB, MessagePack ${
    (ready.msgpack_bytes! / 1e6).toFixed(0)
  } MB, largest frame ${ready.max_json_frame_bytes} B)`,
);
const streamUrl = `ws://127.0.0.1:${port}/v1beta3/crypto/us`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));

// --- bare client: the server's raw send rate, then parse-only rate of what arrived ---------------
async function bare(encoding: "json" | "msgpack", key: string) {
  const headers: Record<string, string> = { "APCA-API-KEY-ID": key, "APCA-API-SECRET-KEY": "x" };
  if (encoding === "msgpack") headers["Content-Type"] = MSGPACK_CONTENT_TYPE;
  const ws = new WebSocket(streamUrl, { headers });
  ws.binaryType = "arraybuffer";
  const received: Array<string | ArrayBuffer> = [];
  let control = 0, t0 = 0, t1 = 0, bytes = 0;
  let onControl = () => {};
  const done = Promise.withResolvers<void>();
  ws.onmessage = (ev) => {
    if (control < 2) { // "connected", then "authenticated" (header auth)
      control++;
      if (control === 2) onControl();
      return;
    }
    if (received.length === frames) return; // the end marker
    if (received.length === 0) t0 = performance.now();
    received.push(ev.data);
    bytes += typeof ev.data === "string" ? ev.data.length : ev.data.byteLength;
    if (received.length === frames) {
      t1 = performance.now();
      done.resolve();
    }
  };
  await new Promise<void>((resolve) => (onControl = resolve));
  await command(`go ${encoding}`);
  const sent = await serverLine();
  await done.promise;
  ws.close();
  const p0 = performance.now();
  let parsed = 0;
  for (const f of received) {
    parsed += (typeof f === "string" ? JSON.parse(f) : decodeMsgpackFrame(new Uint8Array(f)) as {
      length: number;
    }).length;
  }
  const parseMs = performance.now() - p0;
  if (parsed !== messages) throw new Error(`bare client parsed ${parsed} of ${messages}`);
  return {
    receive_ms: Math.round(t1 - t0),
    server_send_call_ms: Math.round(sent.sent_ms!),
    messages_per_s: rate(messages, t1 - t0),
    mb_per_s: Math.round(bytes / 1e6 / ((t1 - t0) / 1000)),
    parse_only_messages_per_s: rate(messages, parseMs),
  };
}

// --- the adapter path: feed worker → ring → pump → engine, as core/live/node.ts wires it ---------
async function adapter(encoding: "json" | "msgpack", key: string) {
  const clock = new WallClock();
  const instruments = new InstrumentTable(symbols, "ALPACA");
  const bus = new Bus();
  let busMessages = 0, t0 = 0;
  bus.subscribe("market.", () => {
    if (busMessages++ === 0) t0 = performance.now();
  });
  const engine = new MarketEngine(instruments, bus, {
    timeframes: [1e6, 60e6, 300e6],
    emptyBars: "flat",
    barHistory: 120,
    maxBookLevels: 5000,
    timeScale: 1,
    closeGraceMicros: 0,
  });
  const ring = allocateRing(65_536); // the node's defaults: capacity, full wait, frame limit
  const reader = new RingReader(ring);
  const pump = new RingPump(reader, new RecordApplier(engine, instruments).apply, clock);
  pump.start();
  const barTimer = setInterval(() => engine.onTime(clock.nowMicros()), 50);
  const worker = new Worker(new URL("../../core/data/feed_worker.ts", import.meta.url).href, {
    type: "module",
  });
  const subscribed = Promise.withResolvers<void>();
  const ended = Promise.withResolvers<void>();
  const stopped = Promise.withResolvers<void>();
  const events: string[] = [];
  worker.onmessage = (e: MessageEvent<FromFeedWorker>) => {
    const m = e.data;
    if (m.type === "feed_event") {
      events.push(`${m.event.type}: ${m.event.message}`);
      if (m.event.type === "subscribed") {
        if (m.event.message.includes("END")) ended.resolve();
        else subscribed.resolve();
      }
    } else if (m.type === "fatal") events.push(`fatal: ${m.message}`);
    else if (m.type === "stopped") stopped.resolve();
  };
  const spec: FeedSpec = {
    kind: "alpaca",
    alpaca: {
      stocksUrl: `ws://127.0.0.1:${port}/v2/iex`,
      cryptoUrl: streamUrl,
      key,
      secret: "x",
      encoding,
    },
  };
  worker.postMessage(
    {
      type: "start",
      spec,
      symbols,
      venue: "ALPACA",
      overrides: {},
      ring,
      fullWaitMs: 1000,
      maxFrameBytes: 4 * 1024 * 1024,
    } satisfies ToFeedWorker,
  );
  await subscribed.promise;
  await new Promise((r) => setTimeout(r, 100)); // the subscription snapshot and acks settle
  const base = engine.messagesIn;
  await command(`go ${encoding}`);
  const sent = await serverLine();
  // The end marker comes back once the worker has written every record; then the ring drains.
  await ended.promise;
  const written = Atomics.load(reader.ctl, Ctl.Head);
  while (pump.applied < written) await new Promise((r) => setTimeout(r, 0));
  const t1 = performance.now();
  const applied = engine.messagesIn - base;
  worker.postMessage({ type: "stop" } satisfies ToFeedWorker);
  await Promise.race([stopped.promise, new Promise((r) => setTimeout(r, 300))]);
  worker.terminate();
  clearInterval(barTimer);
  await pump.stop();
  pump.drainAll();
  let decodeErrors = 0;
  for (let i = 0; i < 8; i++) decodeErrors += reader.counter(Ctl.DecodeErrorsBase + i);
  return {
    elapsed_ms: Math.round(t1 - t0),
    complete: applied >= messages,
    messages_per_s: rate(messages, t1 - t0),
    engine_messages_in: applied,
    server_send_call_ms: Math.round(sent.sent_ms!),
    records: pump.applied,
    bus_messages: busMessages,
    dropped: reader.counter(Ctl.DroppedTrades) + reader.counter(Ctl.DroppedBook) +
      reader.counter(Ctl.DroppedOther),
    conflated_quotes: reader.counter(Ctl.ConflatedQuotes),
    decode_errors: decodeErrors,
    producer_waits: reader.counter(Ctl.ProducerWaits),
    feed_events: events.filter((e) => !e.startsWith("connected") && !e.startsWith("subscribed")),
  };
}

const results: Record<string, unknown> = {};
const passes: boolean[] = [];
for (const encoding of encodings) {
  const raw = await bare(encoding, `bare-${encoding}`);
  console.error(`${encoding} bare client: ${JSON.stringify(raw)}`);
  const path = await adapter(encoding, `adapter-${encoding}`);
  console.error(`${encoding} adapter path: ${JSON.stringify(path)}`);
  results[encoding] = { ...path, bare_client: raw };
  passes.push(
    path.messages_per_s >= TARGET && path.dropped === 0 && path.complete,
  );
}
await command("quit");
await server.status;

const best = Math.max(
  ...encodings.map((e) => (results[e] as { messages_per_s: number }).messages_per_s),
);
await report("alpaca_stream", {
  symbols: symbols.length,
  messages,
  frames,
  ...results,
  messages_per_s: best,
  target: ">= 300,000 messages/s (sim-server → adapter → book, loopback WebSocket), 0 dropped",
  pass: passes.every((p) => p),
});

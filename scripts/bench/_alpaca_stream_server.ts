/**
 * Server side of scripts/bench/alpaca_stream.ts, run as its own process: the sim server's Alpaca
 * market-data stream on 127.0.0.1 (port 0), with N messages of Alpaca-format trade/quote/orderbook
 * frames from SimMarket pre-generated in both encodings. It prints one JSON line
 * `{"port",...}` on stdout once ready, then obeys stdin lines: `go json` / `go msgpack` sends every
 * pre-generated frame to the authenticated connections as fast as the socket accepts them and
 * prints `{"sent_ms"}`, then an end-marker frame (a subscription echo); `quit` exits.
 * Usage: deno run -A scripts/bench/_alpaca_stream_server.ts [--messages N] [--symbols N]
 */
import { parseArgs } from "node:util";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { encodeMsgpackFrame } from "../../core/venues/alpaca/msgpack_frames.ts";
import { SIM_DEFAULTS, SimMarket } from "../../core/venues/sim/mod.ts";
import { createMarketDataStream } from "../sim_server/market_data_stream.ts";
import { createRouter } from "../sim_server/router.ts";
import { syntheticSymbols } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    messages: { type: "string", default: "1000000" },
    symbols: { type: "string", default: "100" },
    "max-frame-bytes": { type: "string", default: "120000" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(
    "Usage: deno run -A scripts/bench/_alpaca_stream_server.ts [--messages N] [--symbols N] [--max-frame-bytes N]",
  );
  Deno.exit(0);
}

/** Crypto symbols (S0000/USD, ...): one stream carries trades, quotes and order books. */
function benchSymbols(n: number): string[] {
  return syntheticSymbols(n).map((s) => `${s}/USD`);
}

const target = Number(values.messages);
const maxBytes = Number(values["max-frame-bytes"]);
const symbols = benchSymbols(Number(values.symbols));
const start = 1_700_000_000_000_000;
const market = new SimMarket(
  new InstrumentTable(symbols, "ALPACA"),
  { ...SIM_DEFAULTS, rate_per_symbol: 1000 },
  start,
);
const json: string[] = [];
const msgpack: Uint8Array[] = [];
let messages = 0;
const push = (msgs: unknown[]) => {
  const text = JSON.stringify(msgs);
  if (text.length > maxBytes && msgs.length > 1) {
    const half = msgs.length >> 1;
    push(msgs.slice(0, half));
    push(msgs.slice(half));
    return;
  }
  json.push(text);
  msgpack.push(encodeMsgpackFrame(msgs));
  messages += msgs.length;
};
// Frames of up to 300 sim events (each a trade, a quote and/or a book update), in time order.
for (let t = start + 10_000; messages < target; t += 10_000) {
  for (;;) {
    const f = market.frameUntil(t, 300);
    if (f === "") break;
    push(JSON.parse(f) as unknown[]);
  }
}

// The stream's own sim pump is made negligible (one event per 10 s): the bench sends its frames.
const stream = createMarketDataStream({
  sim: { rate_per_symbol: 0.001, frame_interval_ms: 1000 },
});
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  createRouter([stream.route]),
);
const sizes = (a: readonly { length: number }[]) => a.reduce((s, f) => s + f.length, 0);
console.log(JSON.stringify({
  port: server.addr.port,
  messages,
  frames: json.length,
  json_bytes: sizes(json),
  msgpack_bytes: sizes(msgpack),
  max_json_frame_bytes: Math.max(...json.map((f) => f.length)),
}));

const decoder = new TextDecoder();
let buffered = "";
for await (const chunk of Deno.stdin.readable) {
  buffered += decoder.decode(chunk, { stream: true });
  let nl: number;
  while ((nl = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, nl).trim();
    buffered = buffered.slice(nl + 1);
    if (line === "quit") {
      await stream.close();
      await server.shutdown();
      Deno.exit(0);
    }
    const frames = line === "go msgpack" ? msgpack : json;
    const t0 = performance.now();
    for (let i = 0; i < frames.length; i++) stream.sendRaw(frames[i]!);
    // End marker: a subscription echo, which the adapter reports as a feed event after it has
    // decoded every frame before it.
    const end = [{ T: "subscription", trades: ["END"] }];
    stream.sendRaw(line === "go msgpack" ? encodeMsgpackFrame(end) : JSON.stringify(end));
    console.log(
      JSON.stringify({ sent_ms: performance.now() - t0, connections: stream.connections() }),
    );
  }
}

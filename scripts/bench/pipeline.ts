/**
 * End-to-end market data throughput on two threads: sim frames (Alpaca JSON, pre-generated) →
 * decode + normalise in the feed worker → SPSC ring → books + bars + bus on the engine thread,
 * with a subscriber on every market topic. Reports wire messages/s and ring records/s.
 * Usage: deno run -A scripts/bench/pipeline.ts [--messages N] [--symbols N]
 */
import { parseArgs } from "node:util";
import { Bus } from "../../core/bus/bus.ts";
import { WallClock } from "../../core/clock/wall_clock.ts";
import { MarketEngine } from "../../core/data/market_engine.ts";
import { RingReader } from "../../core/data/ring_buffer.ts";
import { allocateRing, Ctl } from "../../core/data/ring_layout.ts";
import { RecordApplier, RingPump } from "../../core/data/ring_pump.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { report, syntheticSymbols } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    messages: { type: "string", default: "2000000" },
    symbols: { type: "string", default: "100" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log("Usage: deno run -A scripts/bench/pipeline.ts [--messages N] [--symbols N]");
  Deno.exit(0);
}
const symbols = syntheticSymbols(Number(values.symbols));
const instruments = new InstrumentTable(symbols, "SIM");
const bus = new Bus();
let published = 0;
bus.subscribe("market.", () => published++);
const engine = new MarketEngine(instruments, bus, {
  timeframes: [1e6, 60e6, 300e6],
  emptyBars: "flat",
  barHistory: 300,
  maxBookLevels: 5000,
  timeScale: 1,
  closeGraceMicros: 0,
});
const ring = allocateRing(65_536);
const reader = new RingReader(ring);
const pump = new RingPump(reader, new RecordApplier(engine, instruments).apply, new WallClock());
const worker = new Worker(new URL("./_pipeline_worker.ts", import.meta.url).href, {
  type: "module",
});
type WorkerReply = { type: "ready"; messages: number; frames: number; bytes: number } | {
  type: "done";
  decodeMs: number;
};
const next = <T extends WorkerReply["type"]>(_: T) =>
  new Promise<Extract<WorkerReply, { type: T }>>((
    resolve,
  ) => (worker.onmessage = (e) => resolve(e.data)));

const ready = next("ready");
worker.postMessage({ type: "prepare", symbols, ring, messages: Number(values.messages) });
const prepared = await ready;
console.error(
  `prepared ${prepared.messages} messages in ${prepared.frames} frames (${
    (prepared.bytes / 1e6).toFixed(0)
  } MB)`,
);

pump.start();
const done = next("done");
const t0 = performance.now();
worker.postMessage({ type: "go" });
const { decodeMs } = await done;
const records = Atomics.load(reader.ctl, Ctl.Head);
while (pump.applied < records) await new Promise((r) => setTimeout(r, 1));
const ms = performance.now() - t0;
await pump.stop();
worker.terminate();
const dropped = reader.counter(Ctl.DroppedTrades) + reader.counter(Ctl.DroppedBook);
await report("pipeline", {
  symbols: symbols.length,
  messages: prepared.messages,
  records,
  elapsed_ms: Math.round(ms),
  messages_per_s: Math.round(prepared.messages / (ms / 1000)),
  records_per_s: Math.round(records / (ms / 1000)),
  worker_decode_messages_per_s: Math.round(prepared.messages / (decodeMs / 1000)),
  bus_messages: published,
  dropped,
  producer_waits: reader.counter(Ctl.ProducerWaits),
  target: ">= 1,000,000 messages/s",
  pass: prepared.messages / (ms / 1000) >= 1_000_000,
});

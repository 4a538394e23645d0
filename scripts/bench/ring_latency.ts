/**
 * One-way latency of the feed ring at a steady rate: a worker writes a record stamped with its
 * send time every 10 µs (100,000/s) and commits it; the engine thread's RingPump (the same loop
 * the live node runs) stamps receipt. Both stamps are timeOrigin + performance.now() in µs.
 * Usage: deno run -A scripts/bench/ring_latency.ts [--rate N] [--seconds S]
 */
import { parseArgs } from "node:util";
import { WallClock } from "../../core/clock/wall_clock.ts";
import { RingReader } from "../../core/data/ring_buffer.ts";
import { allocateRing } from "../../core/data/ring_layout.ts";
import { RingPump } from "../../core/data/ring_pump.ts";
import { nowMicros, report, summarize } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rate: { type: "string", default: "100000" },
    seconds: { type: "string", default: "5" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log("Usage: deno run -A scripts/bench/ring_latency.ts [--rate N] [--seconds S]");
  Deno.exit(0);
}
const rate = Number(values.rate), count = Math.round(rate * Number(values.seconds));
const ring = allocateRing(65_536);
const lat = new Float64Array(count);
let n = 0;
const pump = new RingPump(new RingReader(ring), (f64, _u32, rec) => {
  lat[n++] = nowMicros() - f64[rec * 8 + 3]!;
}, new WallClock());
pump.start();
const worker = new Worker(new URL("./_ring_latency_worker.ts", import.meta.url).href, {
  type: "module",
});
const done = new Promise<{ dropped: number }>((
  resolve,
) => (worker.onmessage = (e) => resolve(e.data)));
worker.postMessage({ ring, count, intervalUs: 1e6 / rate });
const { dropped } = await done;
while (n < count - dropped) await new Promise((r) => setTimeout(r, 1));
await pump.stop();
worker.terminate();
// the first 10% is warm-up (JIT, page faults)
const s = summarize(lat.subarray(Math.floor(count / 10), n));
await report("ring_latency", {
  rate_per_s: rate,
  messages: n,
  dropped,
  p50_us: Math.round(s.p50 * 10) / 10,
  p99_us: Math.round(s.p99 * 10) / 10,
  p999_us: Math.round(s.p999 * 10) / 10,
  max_us: Math.round(s.max),
  target: "p99 <= 50 us at 100,000 messages/s",
  pass: s.p99 <= 50,
});

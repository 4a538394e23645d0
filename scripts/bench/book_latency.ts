/**
 * Order book update latency, one timed call per update (performance.now costs ~80 ns and is
 * included, so figures are conservative). Updates follow the sim feed's shape: 80% within the top
 * 5 levels, 20% deeper, 30% removals, on a book of ~40 levels per side.
 * Usage: deno run -A scripts/bench/book_latency.ts [--updates N]
 */
import { parseArgs } from "node:util";
import { OrderBook } from "../../core/data/order_book.ts";
import { SeededRng } from "../../core/domain/seeded_rng.ts";
import { report, summarize } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { updates: { type: "string", default: "2000000" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("Usage: deno run -A scripts/bench/book_latency.ts [--updates N]");
  Deno.exit(0);
}
const n = Number(values.updates);
const rng = new SeededRng(1);
const book = new OrderBook("AAPL");
const mid = 1_872_500;
const sides = new Uint8Array(n), prices = new Float64Array(n), sizes = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const side = rng.int(2);
  const depth = rng.next() < 0.8 ? rng.int(5) : 5 + rng.int(35);
  sides[i] = side;
  prices[i] = side === 0 ? mid - 100 * (1 + depth) : mid + 100 * (1 + depth);
  sizes[i] = rng.next() < 0.3 ? 0 : 1 + rng.int(1000);
}
// warm up so the JIT has compiled apply() before timing
for (let i = 0; i < 200_000; i++) book.apply(sides[i % n]!, prices[i % n]!, sizes[i % n]!);
const lat = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  book.apply(sides[i]!, prices[i]!, sizes[i]!);
  lat[i] = (performance.now() - t0) * 1e6; // ns
}
const t0 = performance.now();
for (let i = 0; i < n; i++) book.apply(sides[i]!, prices[i]!, sizes[i]!);
const batchNs = ((performance.now() - t0) * 1e6) / n;
const s = summarize(lat);
await report("book_latency", {
  updates: n,
  p50_ns: Math.round(s.p50),
  p99_ns: Math.round(s.p99),
  p999_ns: Math.round(s.p999),
  mean_untimed_ns: Math.round(batchNs * 10) / 10,
  target: "p99 <= 2000 ns",
  pass: s.p99 <= 2000,
});

/**
 * The journal on a file-backed Deno KV, as the live core uses it (its data dir):
 *  - latency of one awaited append (a fill is durable before it is applied: this is what each
 *    fill waits for when nothing else is being written);
 *  - throughput of a burst of appends issued at once (a storm of fills and order events), which
 *    share commits (group commit);
 *  - reading every entry back, as a restart does, and the file's size per entry;
 *  - writing a checkpoint as big as a live kernel's (10,000 orders and fills; it also deletes the
 *    entries it covers) and loading it, as a restart does.
 * No target comes from the issues: the figures say what the durability rule costs.
 * Usage: deno run -A scripts/bench/journal_append.ts [--entries N]
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import type { Fill } from "../../core/domain/order.ts";
import { CheckpointStore } from "../../core/store/checkpoint_store.ts";
import { Journal } from "../../core/store/journal.ts";
import { report, summarize } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { entries: { type: "string", default: "50000" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("Usage: deno run -A scripts/bench/journal_append.ts [--entries N]");
  Deno.exit(0);
}
const N = Number(values.entries);
const fill = (n: number): Fill => ({
  fillId: `F${n}`,
  clientOrderId: `drt-1-${n}`,
  venueOrderId: `V${n}`,
  symbol: "AAPL",
  side: "buy",
  qty: 10,
  price: 1_000_000 + n,
  fee: 1_000_000_000_000_000n,
  liquidity: "taker",
  venueTime: n,
  recvTime: n,
});

const dir = await Deno.makeTempDir({ prefix: "deno_rt_journal_bench_" });
const kv = await Deno.openKv(join(dir, "bench.kv"));
const journal = await Journal.open(kv);
const single = new Float64Array(2000);
for (let i = 0; i < single.length; i++) {
  const t = performance.now();
  await journal.append({ type: "fill", at: i, fill: fill(i) });
  single[i] = (performance.now() - t) * 1000;
}
const commitsBefore = journal.commits;
const t = performance.now();
const burst = [];
for (let i = 0; i < N; i++) burst.push(journal.append({ type: "fill", at: i, fill: fill(i) }));
await Promise.all(burst);
const secs = (performance.now() - t) / 1000;
const s = summarize(single);
// What a restart pays: reading every entry back in order.
const r0 = performance.now();
let read = 0;
for await (const _ of journal.read()) read++;
const readSecs = (performance.now() - r0) / 1000;
kv.close(); // folds the write-ahead log into the file, whose size is then the journal's
const bytes = (await Deno.stat(join(dir, "bench.kv"))).size;
const kv2 = await Deno.openKv(join(dir, "bench.kv"));
// A checkpoint as big as a live kernel's (execution.keep_finished_orders: 10,000 orders and fills
// held): writing it (which also deletes every entry above) and loading it back.
const HELD = 10_000;
const orders = Array.from({ length: HELD }, (_, i) => ({
  request: {
    clientOrderId: `drt-1-${i}`,
    symbol: "AAPL",
    side: "buy" as const,
    type: "limit" as const,
    tif: "day" as const,
    qty: 10,
    limitPrice: 1_000_000,
    stopPrice: 0,
    source: "ma_crossover",
    createdAt: i,
  },
  seq: i + 1,
  status: "filled" as const,
  venueOrderId: `V${i}`,
  filledQty: 10,
  reason: "",
  updatedAt: i,
  firstFillId: `F${i}`,
  laterFillIds: undefined,
  fillIdsKept: true,
}));
const checkpoint = {
  seq: journal.lastSeq,
  at: 0,
  portfolio: { cash: 0n, sessionStart: 0, sessionStartEquity: 0n, positions: [] },
  orders,
  ordersAdded: HELD,
  fills: Array.from({ length: HELD }, (_, i) => fill(i)),
  fillsApplied: HELD,
  orphanFills: [],
  forgottenThrough: -Infinity,
  killSwitch: { state: "active" as const, reason: "", since: 0 },
  lastSession: undefined,
};
const store = new CheckpointStore(kv2);
const journal2 = await Journal.open(kv2);
const w0 = performance.now();
let writing = true;
const written = store.write(checkpoint).finally(() => (writing = false));
// Fills journaled while it is written wait behind its KV writes (one SQLite file).
const during: number[] = [];
while (writing) {
  const t = performance.now();
  await journal2.append({ type: "fill", at: 0, fill: fill(-1) });
  during.push((performance.now() - t) * 1000);
}
const folded = await written;
const writeMs = performance.now() - w0;
const duringStats = summarize(Float64Array.from(during));
const l0 = performance.now();
const loaded = await store.latest();
const loadMs = performance.now() - l0;
if (loaded?.orders.length !== HELD || folded < read) throw new Error("checkpoint round trip");
kv2.close();
await Deno.remove(dir, { recursive: true });
await report("journal_append", {
  target: "— (durability cost: a fill is journaled before it is applied)",
  single_append_p50_us: Math.round(s.p50),
  single_append_p99_us: Math.round(s.p99),
  burst_entries: N,
  burst_appends_per_s: Math.round(N / secs),
  burst_entries_per_commit: Number((N / (journal.commits - commitsBefore)).toFixed(1)),
  read_entries_per_s: Math.round(read / readSecs),
  bytes_per_entry_on_disk: Math.round(bytes / read),
  checkpoint_10k_orders_10k_fills_write_ms: Math.round(writeMs),
  checkpoint_load_ms: Math.round(loadMs),
  append_during_checkpoint_p50_us: Math.round(duringStats.p50),
  append_during_checkpoint_p99_us: Math.round(duringStats.p99),
  pass: null,
});

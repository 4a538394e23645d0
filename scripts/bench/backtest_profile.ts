/**
 * The profiling harness behind the README's notes on backtest speed: the MA 10/30 benchmark of
 * backtest_throughput.ts (SYNTHETIC random-walk bars in memory, the full engine), run `--runs`
 * times after a warm-up, printing ns a bar for each run. To compare two commits, run it in both
 * checkouts in turn, several times: the host's speed drifts by a quarter between runs.
 *  - `--flat`: every bar at one price (the averages never cross): the bar path alone;
 *  - `--cpu-profile FILE`: a V8 CPU profile of the timed runs (open it in Chrome's DevTools);
 *  - `--heap-profile`: V8's sampling heap profiler over one run, printing the bytes allocated per
 *    bar (and per order) by the functions that allocate most.
 * Use the flags of `deno task backtest` to measure what it runs:
 *   deno run -A --v8-flags=--max-semi-space-size=4 scripts/bench/backtest_profile.ts [--flat]
 */
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { barColumns, MA_PARAMS, maEngine, runMaBars } from "./_ma_bars.ts";

const USAGE =
  "Usage: deno run -A scripts/bench/backtest_profile.ts [--bars N] [--runs N] [--flat]" +
  " [--cpu-profile FILE] [--heap-profile]";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bars: { type: "string", default: "5000000" },
    runs: { type: "string", default: "3" },
    flat: { type: "boolean", default: false },
    "cpu-profile": { type: "string" },
    "heap-profile": { type: "boolean", default: false },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const bars = Number(values.bars), runs = Number(values.runs);
for (const [name, n] of [["--bars", bars], ["--runs", runs]] as const) {
  if (!(Number.isInteger(n) && n >= 1)) {
    console.error(`${name} must be a whole number >= 1, got ${n}\n${USAGE}`);
    Deno.exit(2);
  }
}
const flat = values.flat;

/** A node of V8's sampling heap profile. */
interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated per function (name, file and line), over the whole profile tree. */
function bySite(root: HeapNode): Map<string, number> {
  const sites = new Map<string, number>();
  const visit = (n: HeapNode) => {
    const f = n.callFrame;
    const name = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
    if (n.selfSize > 0) sites.set(name, (sites.get(name) ?? 0) + n.selfSize);
    for (const c of n.children) visit(c);
  };
  visit(root);
  return sites;
}

await runMaBars(200_000, MA_PARAMS, flat); // warm-up: JIT
const session = new Session();
session.connect();
const cpuProfile = values["cpu-profile"];
if (cpuProfile !== undefined) {
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
}
for (let r = 0; r < runs; r++) {
  const x = await runMaBars(bars, MA_PARAMS, flat);
  console.log(`${(x.secs * 1e9 / bars).toFixed(1)} ns a bar, ${x.orders} orders`);
}
if (cpuProfile !== undefined) {
  const { profile } = await session.post("Profiler.stop");
  await Deno.writeTextFile(cpuProfile, JSON.stringify(profile));
  console.log(`CPU profile written to ${cpuProfile}`);
}
if (values["heap-profile"]) {
  await session.post("HeapProfiler.enable");
  // Only the run is sampled: the data is built first.
  const engine = maEngine(), stream = barColumns(bars, flat);
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await engine.run(stream);
  const { profile } = await session.post("HeapProfiler.stopSampling");
  const x = { orders: engine.kernel.orders.added };
  const sites = [...bySite(profile.head as HeapNode)].sort((a, b) => b[1] - a[1]);
  const total = sites.reduce((sum, [, bytes]) => sum + bytes, 0);
  console.log(`allocated ${(total / bars).toFixed(1)} bytes a bar (${x.orders} orders), by site:`);
  for (const [site, bytes] of sites.slice(0, 25)) {
    const perOrder = x.orders > 0
      ? `${(bytes / x.orders).toFixed(0).padStart(7)} B an order  `
      : "";
    console.log(`${(bytes / bars).toFixed(1).padStart(8)} B a bar ${perOrder}${site}`);
  }
}
session.disconnect();

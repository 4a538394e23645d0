/**
 * Memory of the live core with many symbols on the sim feed: starts `deno task live` with N
 * synthetic symbols at the default sim rate, samples the RSS of its process tree (/proc) every
 * second, and reports the peak.
 * Usage: deno run -A scripts/bench/rss.ts [--symbols N] [--seconds S] [--rate R]
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { report, syntheticSymbols } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    symbols: { type: "string", default: "1000" },
    seconds: { type: "string", default: "30" },
    rate: { type: "string", default: "100" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log("Usage: deno run -A scripts/bench/rss.ts [--symbols N] [--seconds S] [--rate R]");
  Deno.exit(0);
}
const dir = await Deno.makeTempDir({ prefix: "deno_rt_rss_" });
const symbols = syntheticSymbols(Number(values.symbols));
const configPath = join(dir, "config.json");
await Deno.writeTextFile(
  configPath,
  JSON.stringify({ symbols, sim: { rate_per_symbol: Number(values.rate) } }),
);
const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const port = (l.addr as Deno.NetAddr).port;
l.close();
// Run exactly what a user runs (`deno task live`, with the task's V8 flags) and sum the RSS of
// its process tree: deno task → deno run (the feed worker is a thread of that process).
const child = new Deno.Command(Deno.execPath(), {
  args: [
    "task",
    "--quiet",
    "live",
    "--config",
    configPath,
    "--port",
    String(port),
    "--data-dir",
    join(dir, "data"),
  ],
  cwd: new URL("../../", import.meta.url).pathname,
  stdout: "null",
  stderr: "inherit",
}).spawn();

function tree(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(
      Boolean,
    ).map(Number);
  } catch { /* exited */ }
  return [pid, ...kids.flatMap(tree)];
}
function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1] ?? 0);
  } catch {
    return 0; // exited
  }
}
/** RSS of the core process (the `deno run` under `deno task`), and of the whole tree. */
function rssMb(): { core: number; tree: number } {
  const pids = tree(child.pid);
  return { core: rssKb(pids.at(-1)!) / 1024, tree: pids.reduce((s, p) => s + rssKb(p), 0) / 1024 };
}
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
}

const samples: number[] = [];
let treePeak = 0;
let first = NaN, last = NaN, t1 = 0;
const seconds = Number(values.seconds);
for (let s = 0; s < seconds + 3; s++) {
  await new Promise((r) => setTimeout(r, 1000));
  const m = rssMb();
  samples.push(m.core);
  treePeak = Math.max(treePeak, m.tree);
  if (s === 2) first = await metric("deno_rt_messages_in_total").catch(() => NaN);
}
last = await metric("deno_rt_messages_in_total");
t1 = seconds;
const dropped = await metric('deno_rt_ring_dropped_total{kind="trade"}');
child.kill("SIGTERM");
await child.status;
await Deno.remove(dir, { recursive: true });
const peak = Math.max(...samples);
await report("rss", {
  symbols: symbols.length,
  rate_per_symbol: Number(values.rate),
  seconds,
  messages_per_s: Math.round((last - first) / (t1 - 2)),
  rss_start_mb: Math.round(samples[1]!),
  rss_peak_mb: Math.round(peak),
  rss_end_mb: Math.round(samples[samples.length - 1]!),
  rss_with_deno_task_wrapper_peak_mb: Math.round(treePeak),
  dropped_trades: dropped,
  target: "RSS <= 150 MB with 1,000 symbols",
  pass: peak <= 150,
});

/**
 * Memory of the live core with many symbols on the sim feed: starts `core/live/main.ts` with N
 * synthetic symbols at the default sim rate, samples the process RSS (/proc/<pid>/status, the
 * feed worker is a thread of the same process) every second, and reports the peak.
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
const child = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    new URL("../../core/live/main.ts", import.meta.url).pathname,
    "--config",
    configPath,
    "--port",
    String(port),
    "--data-dir",
    join(dir, "data"),
  ],
  stdout: "null",
  stderr: "inherit",
}).spawn();

function rssMb(): number {
  const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
}

const samples: number[] = [];
let first = NaN, last = NaN, t1 = 0;
const seconds = Number(values.seconds);
for (let s = 0; s < seconds + 3; s++) {
  await new Promise((r) => setTimeout(r, 1000));
  samples.push(rssMb());
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
  dropped_trades: dropped,
  target: "RSS <= 150 MB with 1,000 symbols",
  pass: peak <= 150,
});

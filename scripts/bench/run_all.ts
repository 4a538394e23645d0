/**
 * Runs the script benchmarks one after another (they need both cores to themselves) and prints a
 * Markdown table of the figures against the targets, as README's Performance section shows them.
 * Usage: deno run -A scripts/bench/run_all.ts [--quick]
 */
import { taskV8Flags } from "./_stats.ts";

const quick = Deno.args.includes("--quick");
if (Deno.args.includes("--help")) {
  console.log(
    "Usage: deno run -A scripts/bench/run_all.ts [--quick]\n  --quick  shorter runs (smoke test of the benchmarks themselves)",
  );
  Deno.exit(0);
}
const runs: Array<[string, string[]]> = [
  ["host_speed.ts", []],
  ["book_latency.ts", quick ? ["--updates", "200000"] : []],
  ["pipeline.ts", quick ? ["--messages", "200000"] : []],
  ["ring_latency.ts", quick ? ["--seconds", "1"] : []],
  ["rss.ts", quick ? ["--seconds", "5", "--symbols", "100"] : []],
  ["risk_latency.ts", quick ? ["--checks", "100000"] : []],
  ["tick_to_order.ts", quick ? ["--ticks", "20000"] : []],
  ["alpaca_stream.ts", quick ? ["--messages", "100000"] : []],
  ["backtest_throughput.ts", quick ? ["--bars", "300000", "--ticks", "300000"] : []],
  ["backtest_memory.ts", quick ? ["--bars", "200000"] : []],
  ["journal_append.ts", quick ? ["--entries", "5000"] : []],
];
// Measure with the V8 flags of the command each benchmark stands for: `deno task backtest` for the
// backtest benchmarks, `deno task live` for the rest.
const liveFlags = await taskV8Flags("live"), backtestFlags = await taskV8Flags("backtest");
const rows: string[] = [];
for (const [script, args] of runs) {
  const v8Flags = script.startsWith("backtest_") ? backtestFlags : liveFlags;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(v8Flags ? [v8Flags] : []),
      new URL(script, import.meta.url).pathname,
      ...args,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "{}";
  if (!out.success) {
    console.error(`${script} failed`);
    Deno.exit(1);
  }
  const r = JSON.parse(text) as Record<string, unknown>;
  const figures = Object.entries(r)
    .filter(([k]) => !["name", "at", "deno", "target", "pass"].includes(k))
    .map(([k, v]) => `${k}=${typeof v === "object" && v !== null ? JSON.stringify(v) : v}`)
    .join(", ");
  const met = r.pass === null ? "—" : r.pass ? "yes" : "NO";
  rows.push(`| ${r.name} | ${r.target} | ${figures} | ${met} |`);
}
console.log("| benchmark | target | measured | met |\n|---|---|---|---|\n" + rows.join("\n"));

/**
 * Memory of a file-based backtest against the size of its data: the same MA crossover over CSV
 * files of 200 000 and 2 000 000 one-minute bars (10× the data), each run in its own process,
 * peak RSS sampled as it runs. The files stream through the replay readers, so RSS should barely
 * move with the data (what grows is the run's own output: orders, fills, one equity point a day).
 * A third run trades the larger file with a 2/3 crossover, an order every few bars: the heap
 * during the run must not grow with the orders (the kernel and venue hold their newest finished
 * ones; the run log keeps the rest in typed arrays). The results built at the end do: they list
 * every order and fill.
 * The bars are SYNTHETIC (a seeded random walk) and written to a temporary folder.
 * Usage: deno run -A scripts/bench/backtest_memory.ts [--bars N]   (N: the larger file)
 */
import { parseArgs } from "node:util";
import { SeededRng } from "../../core/domain/seeded_rng.ts";
import { report, taskV8Flags } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bars: { type: "string", default: "2000000" },
    child: { type: "string" },
    fast: { type: "string", default: "50" },
    slow: { type: "string", default: "200" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log("Usage: deno run -A scripts/bench/backtest_memory.ts [--bars N]");
  Deno.exit(0);
}

if (values.child !== undefined) {
  // One run: print the peak RSS as JSON.
  const { runBacktest } = await import("../../core/backtest/run_backtest.ts");
  const { backtestSpecSchema } = await import("../../schemas/backtest.ts");
  // RSS over the whole run; heap while it plays (sampled with the progress), before the results.
  let peak = Deno.memoryUsage().rss, peakHeap = 0;
  const sample = () => {
    const m = Deno.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const t = performance.now();
  const { results } = await runBacktest(
    backtestSpecSchema.parse({
      strategy: "ma_crossover",
      params: { fast: Number(values.fast), slow: Number(values.slow), qty: "10" },
      data: [values.child],
    }),
    { onProgress: sample, progressEvery: 20_000 },
  );
  peak = Math.max(peak, Deno.memoryUsage().rss);
  // What the run still holds once garbage is gone: the results, not the data.
  (globalThis as { gc?: () => void }).gc?.();
  console.log(JSON.stringify({
    peak_mb: Math.round(peak / 1e6),
    retained_heap_mb: Math.round(Deno.memoryUsage().heapUsed / 1e6),
    peak_heap_mb: Math.round(peakHeap / 1e6),
    secs: (performance.now() - t) / 1000,
    events: results.events,
    orders: results.orders.length,
  }));
  Deno.exit(0);
}

const big = Number(values.bars), small = Math.round(big / 10);
const dir = await Deno.makeTempDir({ prefix: "deno_rt_bench_" });

async function writeBars(path: string, n: number): Promise<void> {
  const rng = new SeededRng(3);
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let px = 100, lines = ["timestamp,open,high,low,close,volume"];
  const t0 = Date.UTC(2024, 0, 2);
  for (let i = 0; i < n; i++) {
    const open = px;
    px = Math.max(1, px + Math.round((rng.next() - 0.5) * 20) / 100);
    const hi = Math.max(open, px) + 0.01, lo = Math.min(open, px) - 0.01;
    lines.push(
      `${new Date(t0 + i * 60_000).toISOString()},${open.toFixed(2)},${hi.toFixed(2)},${
        lo.toFixed(2)
      },${px.toFixed(2)},10000`,
    );
    if (lines.length >= 10_000) {
      await file.write(enc.encode(lines.join("\n") + "\n"));
      lines = [];
    }
  }
  await file.write(enc.encode(lines.join("\n") + "\n"));
}

async function child(path: string, fast = 50, slow = 200): Promise<Record<string, number>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      // As `deno task backtest` runs, plus gc() to read what the run retains.
      `${(await taskV8Flags("backtest")) ?? "--v8-flags="},--expose-gc`.replace("=,", "="),
      new URL(import.meta.url).pathname,
      "--child",
      path,
      `--fast=${fast}`,
      `--slow=${slow}`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`run over ${path} failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
}

try {
  await writeBars(`${dir}/SMALL.csv`, small);
  await writeBars(`${dir}/BIG.csv`, big);
  const a = await child(`${dir}/SMALL.csv`);
  const b = await child(`${dir}/BIG.csv`);
  const c = await child(`${dir}/BIG.csv`, 2, 3);
  await report("backtest_memory", {
    target: "memory flat in data size (10x the bars, RSS within 1.5x)",
    small_bars: small,
    small_peak_mb: a.peak_mb,
    small_retained_heap_mb: a.retained_heap_mb,
    big_bars: big,
    big_peak_mb: b.peak_mb,
    big_retained_heap_mb: b.retained_heap_mb,
    big_file_mb: Math.round((await Deno.stat(`${dir}/BIG.csv`)).size / 1e6),
    file_bars_per_s: Math.round(big / b.secs!),
    big_peak_heap_mb: b.peak_heap_mb,
    many_orders: c.orders,
    many_orders_peak_heap_mb: c.peak_heap_mb,
    many_orders_results_heap_mb: c.retained_heap_mb,
    many_orders_peak_mb: c.peak_mb,
    pass: b.peak_mb! <= a.peak_mb! * 1.5,
  });
} finally {
  await Deno.remove(dir, { recursive: true });
}

// Shared helpers for the script benchmarks: percentiles, formatting, result files.

/** Percentile `p` (0..100) of an ascending-sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** p50/p99/p99.9/max of latencies (any unit). */
export function summarize(
  values: Float64Array,
): { p50: number; p99: number; p999: number; max: number; n: number } {
  const s = values.slice().sort();
  return {
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    p999: percentile(s, 99.9),
    max: s[s.length - 1]!,
    n: s.length,
  };
}

/** Epoch microseconds with sub-µs resolution, comparable across threads of one process. */
export function nowMicros(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

/** Writes a bench result to bench-results/<name>.json and prints it. */
export async function report(name: string, result: Record<string, unknown>): Promise<void> {
  const dir = new URL("../../bench-results/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  const body = { name, at: new Date().toISOString(), deno: Deno.version.deno, ...result };
  await Deno.writeTextFile(new URL(`${name}.json`, dir), JSON.stringify(body, null, 2) + "\n");
  console.log(JSON.stringify(body));
}

/** Symbols S0000, S0001, … for load tests (synthetic instruments). */
export function syntheticSymbols(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `S${String(i).padStart(4, "0")}`);
}

/**
 * The `--v8-flags=…` of a `deno task` in deno.json (undefined when it has none): benchmarks run
 * with the flags of the command they stand for, read from deno.json so they cannot drift.
 */
export async function taskV8Flags(task: string): Promise<string | undefined> {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  return /--v8-flags=\S+/.exec(denoJson.tasks[task] ?? "")?.[0];
}

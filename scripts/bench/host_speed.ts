/**
 * The host's own speed, measured first in every benchmark run so figures from different machines
 * (or from one shared VM on different days) can be compared: a dependent chain of float adds
 * (compute), random loads over 128 MB (memory latency: TLB and cache misses, what object-heavy
 * paths such as the order path pay), and a fresh string's first use as a Map key (V8 hashes it).
 * Usage: deno run -A scripts/bench/host_speed.ts
 */
import { report } from "./_stats.ts";

if (Deno.args.includes("--help")) {
  console.log("Usage: deno run -A scripts/bench/host_speed.ts");
  Deno.exit(0);
}

/** ns per add of a dependent chain (one add cannot start before the previous one ends). */
function computeNs(): number {
  const n = 50_000_000;
  let x = 0;
  const t = performance.now();
  for (let i = 0; i < n; i++) x = x * 0.999999 + 1;
  const ns = ((performance.now() - t) * 1e6) / n;
  if (x === 0) console.log(""); // keep the result alive
  return ns;
}

/** ns per load when each load's address comes from the previous one, over 128 MB. */
function memoryNs(): number {
  const n = 32 * 1024 * 1024; // Int32 slots: 128 MB, far beyond any cache
  const next = new Int32Array(n);
  // One random cycle through every slot (Sattolo's shuffle), with a fixed LCG: no two runs differ.
  for (let i = 0; i < n; i++) next[i] = i;
  let s = 12345;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % i;
    const t = next[i]!;
    next[i] = next[j]!;
    next[j] = t;
  }
  const loads = 5_000_000;
  let p = 0;
  const t = performance.now();
  for (let k = 0; k < loads; k++) p = next[p]!;
  const ns = ((performance.now() - t) * 1e6) / loads;
  if (p === -1) console.log("");
  return ns;
}

/** ns for the first Map lookup of a freshly built string (the hash is computed then, once). */
function freshKeyNs(): number {
  const m = new Map<string, number>([["x", 1]]);
  const n = 1_000_000;
  let hits = 0;
  const t = performance.now();
  for (let i = 0; i < n; i++) if (m.has("id-" + i)) hits++;
  const withLookup = performance.now() - t;
  const t2 = performance.now();
  for (let i = 0; i < n; i++) hits += ("id-" + i).length;
  const buildOnly = performance.now() - t2;
  if (hits === -1) console.log("");
  return ((withLookup - buildOnly) * 1e6) / n;
}

const best = (f: () => number) => Math.min(f(), f(), f());
await report("host_speed", {
  target: "— (reference: the host, not the project)",
  compute_ns_per_dependent_add: Number(best(computeNs).toFixed(2)),
  memory_ns_per_random_load: Number(best(memoryNs).toFixed(1)),
  fresh_string_map_key_ns: Math.round(best(freshKeyNs)),
  pass: null, // nothing to meet: a reading of the machine
});

/**
 * RiskEngine.check() latency, one timed call per check (performance.now costs ~80 ns and is
 * included, so figures are conservative), on the realistic account of _risk_fixture.ts; then the
 * untimed rate of checks on one core. Prints one JSON line and writes bench-results/risk_latency.json.
 * Allocation: with a fixed `now`, 10M checks run without a scavenge (--v8-flags=--trace-gc); with a
 * fresh `now` per call the caller boxes that double (16 bytes: epoch µs exceed V8's small ints).
 * Usage: deno run -A scripts/bench/risk_latency.ts [--checks N]
 */
import { parseArgs } from "node:util";
import { riskFixture } from "./_risk_fixture.ts";
import { report, summarize } from "./_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { checks: { type: "string", default: "1000000" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("Usage: deno run -A scripts/bench/risk_latency.ts [--checks N]");
  Deno.exit(0);
}
const n = Number(values.checks);
const { risk, orders, insts } = riskFixture();
const mask = orders.length - 1;
let now = 1_700_000_000_000_000;
// warm up so the JIT has compiled check() and every check before timing
for (let i = 0; i < 200_000; i++) risk.check(orders[i & mask]!, insts[i & mask]!, now += 1_000);
const approvedBefore = risk.approvals();
const lat = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const o = orders[i & mask]!, inst = insts[i & mask]!;
  now += 1_000;
  const t0 = performance.now();
  risk.check(o, inst, now);
  lat[i] = (performance.now() - t0) * 1e6; // ns
}
const approved = (risk.approvals() - approvedBefore) / n;
const t0 = performance.now();
for (let i = 0; i < n; i++) risk.check(orders[i & mask]!, insts[i & mask]!, now += 1_000);
const seconds = (performance.now() - t0) / 1000;
const s = summarize(lat);
await report("risk_latency", {
  checks: n,
  p50_ns: Math.round(s.p50),
  p99_ns: Math.round(s.p99),
  p999_ns: Math.round(s.p999),
  checks_per_s: Math.round(n / seconds),
  approved_share: Math.round(approved * 1000) / 1000,
  target: "p99 <= 2000 ns, >= 200000 checks/s",
  pass: s.p99 <= 2000 && n / seconds >= 200_000,
});

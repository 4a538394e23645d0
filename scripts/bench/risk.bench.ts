// deno bench: RiskEngine.check() on a realistic account, one call at a time (target p99 ≤ 2 µs).
import { riskFixture } from "./_risk_fixture.ts";

const { risk, orders, insts } = riskFixture();
const mask = orders.length - 1;
let k = 0;
// 1 ms apart: the fixture's 1000/s rate limit rarely binds, so most orders run every check.
let now = 1_700_000_000_000_000;

Deno.bench("RiskEngine.check (100 instruments, ~all checks run)", { group: "risk" }, () => {
  const i = k++ & mask;
  now += 1_000;
  risk.check(orders[i]!, insts[i]!, now);
});

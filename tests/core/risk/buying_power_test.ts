import assert from "node:assert/strict";
import type { Cash } from "../../../core/domain/money.ts";
import { cashPair, LiveCashPair } from "../../../core/risk/_exact.ts";
import { checkBuyingPower } from "../../../core/risk/buying_power.ts";
import { REASON } from "../../../core/risk/reasons.ts";
import { AAPL, limitsFor, usd } from "./_stub.ts";

const scale = limitsFor().cashScale[AAPL]!;
const P = 2_500_000; // $250.00
const R = REASON.buying_power;

/** The check with live amounts given as Cash. */
function bp(price: number, qty: number, before: number, after: number, open: Cash, power: Cash) {
  return checkBuyingPower(price, qty, before, after, scale, cashPair(open), cashPair(power));
}

Deno.test("checkBuyingPower() passes when notional + open exposure equals buying power", () => {
  // 100 × $250 = $25,000 on top of $25,000 working, against $50,000
  assert.equal(bp(P, 100, 0, 100, usd("25000"), usd("50000")), 0);
  assert.equal(bp(P, 101, 0, 101, usd("25000"), usd("50000")), R);
  assert.equal(bp(P, 100, 0, 100, usd("25000") + 1n, usd("50000")), R);
  assert.equal(bp(P + 1, 100, 0, 100, usd("25000"), usd("50000")), R);
});

Deno.test("checkBuyingPower() charges new shorts and frees reducing orders", () => {
  assert.equal(bp(P, 100, 0, -100, 0n, usd("24999.99")), R, "new short");
  assert.equal(bp(P, 100, 100, 0, 0n, 0n), 0, "selling a long");
  assert.equal(bp(P, 100, -100, 0, 0n, -usd("1")), 0, "covering a short");
});

Deno.test("LiveCashPair follows its amount as it changes", () => {
  const live = new LiveCashPair();
  assert.equal(live.update(usd("50000")).approx, 50_000e18);
  assert.equal(live.update(usd("49999")).cash, usd("49999"));
  assert.equal(live.approx, 49_999e18);
});

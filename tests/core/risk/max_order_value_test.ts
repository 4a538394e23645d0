import assert from "node:assert/strict";
import { cashPair } from "../../../core/risk/_exact.ts";
import { checkMaxOrderValue } from "../../../core/risk/max_order_value.ts";
import { REASON } from "../../../core/risk/reasons.ts";
import { AAPL, BTC, limitsFor } from "./_stub.ts";

const L = limitsFor(); // max_order_value $25,000 everywhere
const aaplScale = L.cashScale[AAPL]!, aaplLimit = L.maxOrderValue[AAPL]!;
const btcScale = L.cashScale[BTC]!, btcLimit = L.maxOrderValue[BTC]!;

Deno.test("checkMaxOrderValue() passes at the limit and rejects one lot or one tick past it", () => {
  assert.equal(checkMaxOrderValue(2_500_000, 100, aaplScale, aaplLimit), 0); // 100 × $250
  assert.equal(checkMaxOrderValue(2_500_000, 101, aaplScale, aaplLimit), REASON.max_order_value);
  assert.equal(checkMaxOrderValue(1_250_000, 200, aaplScale, aaplLimit), 0); // 200 × $125
  assert.equal(checkMaxOrderValue(1_250_001, 200, aaplScale, aaplLimit), REASON.max_order_value);
});

Deno.test("checkMaxOrderValue() is exact for crypto notionals far past 2^53", () => {
  // 0.5 BTC at $50,000.000000 is exactly $25,000; one 10^-9 BTC more is over
  assert.equal(checkMaxOrderValue(50_000_000_000, 500_000_000, btcScale, btcLimit), 0);
  assert.equal(
    checkMaxOrderValue(50_000_000_000, 500_000_001, btcScale, btcLimit),
    REASON.max_order_value,
  );
  assert.equal(
    checkMaxOrderValue(50_000_000_001, 500_000_000, btcScale, btcLimit),
    REASON.max_order_value,
  );
});

Deno.test("checkMaxOrderValue() compares to the last 10^-18 of a Cash limit", () => {
  const limit = cashPair(25_000n * 10n ** 18n - 1n);
  assert.equal(checkMaxOrderValue(2_500_000, 100, aaplScale, limit), REASON.max_order_value);
});

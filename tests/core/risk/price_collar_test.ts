import assert from "node:assert/strict";
import { checkPriceCollar } from "../../../core/risk/price_collar.ts";
import { REASON } from "../../../core/risk/reasons.ts";

const R = REASON.price_collar;

Deno.test("checkPriceCollar() passes a limit exactly N bps from mid and rejects one tick past", () => {
  const mid = 1_000_000; // $100.00; 100 bps = 10,000 ticks
  assert.equal(checkPriceCollar(1_010_000, mid, 100), 0);
  assert.equal(checkPriceCollar(1_010_001, mid, 100), R);
  assert.equal(checkPriceCollar(990_000, mid, 100), 0);
  assert.equal(checkPriceCollar(989_999, mid, 100), R);
});

Deno.test("checkPriceCollar() is exact for crypto prices", () => {
  const mid = 60_000_000_000; // $60,000.000000; 1 bp = 6,000,000 ticks
  assert.equal(checkPriceCollar(mid + 6_000_000, mid, 1), 0);
  assert.equal(checkPriceCollar(mid + 6_000_001, mid, 1), R);
});

Deno.test("checkPriceCollar() skips orders without a limit and fails closed without a mid", () => {
  assert.equal(checkPriceCollar(0, 1_000_000, 100), 0);
  assert.equal(checkPriceCollar(1_000_000, 0, 100), REASON.no_market_data);
});

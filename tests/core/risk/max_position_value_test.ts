import assert from "node:assert/strict";
import { checkMaxPositionValue } from "../../../core/risk/max_position_value.ts";
import { REASON } from "../../../core/risk/reasons.ts";
import { AAPL, BTC, limitsFor } from "./_stub.ts";

const L = limitsFor(); // max_position_value $100,000
const scale = L.cashScale[AAPL]!, limit = L.maxPositionValue[AAPL]!;
const P = 2_500_000; // $250.00: 400 shares = $100,000
const R = REASON.max_position_value;

Deno.test("checkMaxPositionValue() passes a resulting position at the limit, rejects one lot past", () => {
  assert.equal(checkMaxPositionValue(P, 300, 400, scale, limit), 0);
  assert.equal(checkMaxPositionValue(P, 300, 401, scale, limit), R);
  assert.equal(checkMaxPositionValue(P, -300, -400, scale, limit), 0, "shorts count by |qty|");
  assert.equal(checkMaxPositionValue(P, -300, -401, scale, limit), R);
  assert.equal(checkMaxPositionValue(P + 1, 0, 400, scale, limit), R, "one tick past");
});

Deno.test("checkMaxPositionValue() lets reducing orders through even above the limit", () => {
  assert.equal(checkMaxPositionValue(P, 1_000, 900, scale, limit), 0);
  assert.equal(checkMaxPositionValue(P, -1_000, 0, scale, limit), 0);
  assert.equal(checkMaxPositionValue(P, 1_000, 1_001, scale, limit), R);
});

Deno.test("checkMaxPositionValue() judges a flip by the new side's size", () => {
  assert.equal(checkMaxPositionValue(P, 100, -400, scale, limit), 0);
  assert.equal(checkMaxPositionValue(P, 1_000, -401, scale, limit), R, "a flip is not reducing");
});

Deno.test("checkMaxPositionValue() is exact for crypto lots", () => {
  const s = L.cashScale[BTC]!, l = L.maxPositionValue[BTC]!;
  // 2 BTC at $50,000 = $100,000
  assert.equal(checkMaxPositionValue(50_000_000_000, 0, 2_000_000_000, s, l), 0);
  assert.equal(checkMaxPositionValue(50_000_000_000, 0, 2_000_000_001, s, l), R);
});

import assert from "node:assert/strict";
import { checkMaxDailyLoss } from "../../../core/risk/max_daily_loss.ts";
import { REASON } from "../../../core/risk/reasons.ts";
import { limitsFor, usd } from "./_stub.ts";

const floor = limitsFor({ max_daily_loss: "5000" }).dailyLossFloor;
const R = REASON.max_daily_loss;

Deno.test("checkMaxDailyLoss() passes at the loss limit and rejects 10^-18 past it", () => {
  assert.equal(checkMaxDailyLoss(usd("-5000"), floor, 0, 100), 0);
  assert.equal(checkMaxDailyLoss(usd("-5000") - 1n, floor, 0, 100), R);
  assert.equal(checkMaxDailyLoss(usd("250"), floor, 0, 100), 0);
});

Deno.test("checkMaxDailyLoss() lets reducing orders through after the breach", () => {
  const breached = usd("-6000");
  assert.equal(checkMaxDailyLoss(breached, floor, 100, 0), 0, "selling out a long");
  assert.equal(checkMaxDailyLoss(breached, floor, -100, -50), 0, "covering part of a short");
  assert.equal(checkMaxDailyLoss(breached, floor, 100, -1), R, "a flip adds exposure");
  assert.equal(checkMaxDailyLoss(breached, floor, 100, 101), R);
});

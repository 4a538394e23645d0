import assert from "node:assert/strict";
import { cashToNumber, formatCashRounded, parseCash } from "../../../core/domain/money.ts";

Deno.test("cashToNumber() is exact for whole amounts and keeps the fraction", () => {
  assert.equal(cashToNumber(parseCash("100000")), 100_000);
  assert.equal(cashToNumber(parseCash("-2500.25")), -2500.25);
  assert.equal(cashToNumber(parseCash("0.000000000000000001")), 1e-18);
});

Deno.test("formatCashRounded() rounds half away from zero to a fixed number of decimals", () => {
  assert.equal(formatCashRounded(parseCash("103502.5005")), "103502.50");
  assert.equal(formatCashRounded(parseCash("-0.005")), "-0.01");
  assert.equal(formatCashRounded(parseCash("7")), "7.00");
  assert.equal(formatCashRounded(parseCash("1.23456"), 4), "1.2346");
});

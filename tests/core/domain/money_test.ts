import assert from "node:assert/strict";
import { cashToNumber, parseCash } from "../../../core/domain/money.ts";

Deno.test("cashToNumber() is exact for whole amounts and keeps the fraction", () => {
  assert.equal(cashToNumber(parseCash("100000")), 100_000);
  assert.equal(cashToNumber(parseCash("-2500.25")), -2500.25);
  assert.equal(cashToNumber(parseCash("0.000000000000000001")), 1e-18);
});

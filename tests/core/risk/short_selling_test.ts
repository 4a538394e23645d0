import assert from "node:assert/strict";
import { checkShortSelling } from "../../../core/risk/short_selling.ts";
import { REASON } from "../../../core/risk/reasons.ts";

const R = REASON.short_selling;

Deno.test("checkShortSelling() allows selling down to flat and rejects one lot past it", () => {
  assert.equal(checkShortSelling(100, 0, false), 0);
  assert.equal(checkShortSelling(100, -1, false), R);
  assert.equal(checkShortSelling(0, -1, false), R);
});

Deno.test("checkShortSelling() rejects growing a short but always lets it be covered", () => {
  assert.equal(checkShortSelling(-50, -51, false), R);
  assert.equal(checkShortSelling(-50, -20, false), 0);
  assert.equal(checkShortSelling(-50, 10, false), 0);
});

Deno.test("checkShortSelling() passes everything where shorting is allowed", () => {
  assert.equal(checkShortSelling(0, -1_000, true), 0);
});

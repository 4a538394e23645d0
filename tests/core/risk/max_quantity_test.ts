import assert from "node:assert/strict";
import { checkMaxQuantity } from "../../../core/risk/max_quantity.ts";
import { REASON } from "../../../core/risk/reasons.ts";

Deno.test("checkMaxQuantity() passes at the limit and rejects one lot past it", () => {
  assert.equal(checkMaxQuantity(10_000, 10_000), 0);
  assert.equal(checkMaxQuantity(10_001, 10_000), REASON.max_quantity);
  assert.equal(checkMaxQuantity(1, 0), REASON.max_quantity, "a zero limit blocks the symbol");
});

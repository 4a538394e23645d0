import assert from "node:assert/strict";
import { checkMaxOpenOrders } from "../../../core/risk/max_open_orders.ts";
import { REASON } from "../../../core/risk/reasons.ts";

Deno.test("checkMaxOpenOrders() lets the order that reaches the limit through, not the next", () => {
  assert.equal(checkMaxOpenOrders(19, 20), 0);
  assert.equal(checkMaxOpenOrders(20, 20), REASON.max_open_orders);
  assert.equal(checkMaxOpenOrders(0, 0), REASON.max_open_orders, "a zero limit blocks the symbol");
});

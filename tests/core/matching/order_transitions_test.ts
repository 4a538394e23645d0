import assert from "node:assert/strict";
import type { OrderStatus } from "../../../core/domain/order.ts";
import {
  canTransition,
  nextStatus,
  ORDER_TRANSITIONS,
} from "../../../core/matching/order_transitions.ts";

const DONE: OrderStatus[] = ["filled", "canceled", "rejected", "expired", "replaced"];

Deno.test("nextStatus() follows the table for the open states", () => {
  assert.equal(nextStatus("pending_new", "accept"), "new");
  assert.equal(nextStatus("new", "partial_fill"), "partially_filled");
  assert.equal(nextStatus("partially_filled", "fill"), "filled");
  assert.equal(nextStatus("partially_filled", "replace"), "replaced");
});

Deno.test("finished orders have no way out: canTransition() is false and nextStatus() throws", () => {
  for (const status of DONE) {
    for (const action of ["fill", "cancel", "expire", "replace"] as const) {
      assert.equal(canTransition(status, action), false);
      assert.throws(() => nextStatus(status, action), /Illegal order transition/);
    }
  }
});

Deno.test("ORDER_TRANSITIONS keys are status:action pairs of known statuses", () => {
  for (const key of Object.keys(ORDER_TRANSITIONS)) {
    assert.match(key, /^(pending_new|new|partially_filled):[a-z_]+$/);
  }
});

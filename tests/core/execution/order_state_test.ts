import assert from "node:assert/strict";
import {
  IllegalTransition,
  isTerminal,
  nextStatus,
  type OrderEvent,
} from "../../../core/execution/order_state.ts";
import type { OrderStatus } from "../../../core/domain/order.ts";

Deno.test("an order goes pending_new → new → partially_filled → filled", () => {
  let s: OrderStatus = "pending_new";
  for (const e of ["accepted", "partial_fill", "partial_fill", "fill"] as const) {
    s = nextStatus(s, e, "drt-1");
  }
  assert.equal(s, "filled");
  assert.ok(isTerminal(s));
});

Deno.test("a fill that raced the cancel moves canceled → filled", () => {
  assert.equal(nextStatus("canceled", "fill", "drt-1"), "filled");
  assert.equal(nextStatus("canceled", "partial_fill", "drt-1"), "canceled");
});

Deno.test("impossible transitions are refused with the status and event named", () => {
  const illegal: Array<[OrderStatus, OrderEvent]> = [
    ["filled", "canceled"],
    ["filled", "fill"],
    ["rejected", "accepted"],
    ["expired", "fill"],
    ["new", "accepted"],
    ["canceled", "accepted"],
    ["partially_filled", "accepted"],
  ];
  for (const [status, event] of illegal) {
    assert.throws(() => nextStatus(status, event, "drt-9"), (e: unknown) => {
      assert.ok(e instanceof IllegalTransition);
      assert.equal(e.message, `Order drt-9: '${event}' is not possible in status '${status}'`);
      return true;
    });
  }
});

Deno.test("an event named like an Object method is an impossible transition, not a lookup hit", () => {
  assert.throws(
    () => nextStatus("new", "toString" as unknown as "fill", "drt-1"),
    IllegalTransition,
  );
  assert.throws(
    () => nextStatus("constructor" as unknown as "new", "fill", "drt-1"),
    IllegalTransition,
  );
});

import assert from "node:assert/strict";
import type { OrderRequest } from "../../../core/domain/order.ts";
import { OrderManager } from "../../../core/execution/order_manager.ts";
import { IllegalTransition } from "../../../core/execution/order_state.ts";

const req = (id: string, symbol = "AAPL"): OrderRequest => ({
  clientOrderId: id,
  symbol,
  side: "buy",
  type: "limit",
  tif: "day",
  qty: 10,
  limitPrice: 1_000_000,
  stopPrice: 0,
  source: "t",
  createdAt: 0,
});

Deno.test("OrderManager tracks open orders per symbol through the state machine", () => {
  const m = new OrderManager();
  m.add(req("a"), 1);
  m.add(req("b"), 1);
  m.add(req("c", "MSFT"), 1);
  assert.equal(m.openCount("AAPL"), 2);
  m.apply("a", "accepted", 2, { venueOrderId: "V1" });
  m.apply("a", "partial_fill", 3, { filledQty: 4 });
  assert.equal(m.get("a")!.status, "partially_filled");
  m.apply("a", "fill", 4, { filledQty: 10 });
  assert.equal(m.openCount("AAPL"), 1);
  m.apply("b", "rejected", 5, { reason: "insufficient buying power" });
  assert.equal(m.openCount("AAPL"), 0);
  assert.deepEqual(m.open().map((o) => o.request.clientOrderId), ["c"]);
  assert.deepEqual(m.list({ symbol: "AAPL" }).map((o) => o.request.clientOrderId), ["b", "a"]);
  assert.deepEqual(m.list({ status: "filled" }).map((o) => o.request.clientOrderId), ["a"]);
});

Deno.test("OrderManager refuses impossible transitions and reused client order ids", () => {
  const m = new OrderManager();
  m.add(req("a"), 1);
  m.apply("a", "accepted", 2);
  m.apply("a", "fill", 3, { filledQty: 10 });
  assert.throws(() => m.apply("a", "canceled", 4), IllegalTransition);
  assert.throws(() => m.add(req("a"), 5), /already used/);
  assert.throws(() => m.apply("zzz", "fill", 5), /Unknown order/);
});

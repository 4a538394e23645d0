import assert from "node:assert/strict";
import type { OrderRequest } from "../../../core/domain/order.ts";
import { addFillId, hasFillId, OrderManager } from "../../../core/execution/order_manager.ts";
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

Deno.test("OrderManager finds done orders by id, and reports late fills on them, after thousands more", () => {
  const m = new OrderManager();
  m.add(req("first"), 1);
  m.apply("first", "accepted", 2);
  m.apply("first", "canceled", 3);
  for (let i = 0; i < 5_000; i++) {
    const id = `o-${i}`;
    m.add(req(id), 4, true);
    m.apply(id, "accepted", 5);
    m.apply(id, "fill", 6, { filledQty: 10 });
  }
  assert.equal(m.size, 5_001);
  assert.equal(m.openCount("AAPL"), 0);
  assert.equal(m.get("o-1234")!.status, "filled");
  // A fill that raced the cancel still reaches the canceled order.
  assert.equal(m.apply("first", "fill", 7, { filledQty: 10 }).status, "filled");
  m.add(req("later"), 8);
  assert.equal(m.get("later")!.status, "pending_new");
  assert.throws(() => m.add(req("o-42"), 9), /already used/, "a done order's id is not reusable");
});

Deno.test("OrderManager lists open orders oldest first and counts them per symbol", () => {
  const m = new OrderManager();
  m.add(req("a", "MSFT"), 1);
  m.add(req("b"), 1);
  m.add(req("c", "MSFT"), 1);
  m.apply("a", "rejected", 2, { reason: "no" });
  assert.deepEqual(m.open().map((o) => o.request.clientOrderId), ["b", "c"]);
  assert.deepEqual(m.open("MSFT").map((o) => o.request.clientOrderId), ["c"]);
  assert.equal(m.openCount("MSFT"), 1);
  assert.equal(m.openCount("TSLA"), 0);
});

Deno.test("an order remembers every fill applied to it, however many parts it fills in", () => {
  const m = new OrderManager();
  const o = m.add(req("a"), 1);
  assert.equal(hasFillId(o, "f-1"), false);
  addFillId(o, "f-1");
  assert.equal(hasFillId(o, "f-1"), true);
  assert.equal(hasFillId(o, "f-2"), false);
  for (let i = 2; i <= 5_000; i++) addFillId(o, `f-${i}`);
  assert.ok(hasFillId(o, "f-1") && hasFillId(o, "f-2") && hasFillId(o, "f-5000"));
  assert.equal(hasFillId(o, "f-5001"), false);
  assert.equal(hasFillId(m.add(req("b"), 1), "f-1"), false, "ids are per order");
});

Deno.test("an order added here keeps every fill id of its own; one restored from a checkpoint does not claim to", () => {
  const m = new OrderManager();
  const o = m.add(req("a"), 1);
  assert.equal(o.fillIdsKept, true);
  addFillId(o, "f1");
  const restored = new OrderManager();
  restored.restore([{ ...o, firstFillId: "", laterFillIds: undefined }], 1);
  const back = restored.get("a")!;
  assert.equal(back.fillIdsKept, false, "a checkpoint keeps no fill ids");
  assert.equal(back.seq, 1);
  assert.equal(hasFillId(back, "f1"), false);
});

// MatchingEngine.cancel(), replace() and expire(): orders leaving the book on request or by time.
import assert from "node:assert/strict";
import { bookWith, engineWith, fillRows, limit, req, types, usd100 } from "./_builders.ts";

const far = () => bookWith({ bids: [[usd100(-50), 1_000]], asks: [[usd100(50), 1_000]] });

Deno.test("cancel() cancels an open order and keeps its fills", () => {
  const engine = engineWith();
  engine.submit(limit("b1", "buy", 100, usd100(0)), far(), 1);
  engine.onTrade("AAPL", usd100(-1), 40, far(), 2);
  const events = engine.cancel("b1", 3);
  assert.deepEqual(types(events), ["canceled"]);
  const e = events[0]!;
  assert.equal(e.type === "canceled" && e.order.filledQty, 40);
  assert.equal(e.time, 3);
  assert.equal(engine.order("b1")!.status, "canceled");
  assert.deepEqual(engine.openOrders(), []);
  assert.deepEqual(types(engine.onTrade("AAPL", usd100(-2), 100, far(), 4)), []);
});

Deno.test("cancel() of a filled or unknown order is a cancel_rejected event, not a throw", () => {
  const engine = engineWith();
  engine.submit(req("m1", { qty: 10 }), far(), 1);
  const filled = engine.cancel("m1", 2);
  assert.deepEqual(types(filled), ["cancel_rejected"]);
  const e = filled[0]!;
  assert.ok(e.type === "cancel_rejected" && /filled/.test(e.reason));
  assert.equal(e.type === "cancel_rejected" && e.order?.status, "filled");
  const unknown = engine.cancel("nope", 3);
  assert.equal(unknown[0]!.type === "cancel_rejected" && unknown[0]!.order, undefined);
});

Deno.test("replace() marks the old order replaced and accepts the new one under its new id", () => {
  const engine = engineWith();
  engine.submit(limit("b1", "buy", 100, usd100(0)), far(), 1);
  const book = bookWith({ asks: [[usd100(2), 30], [usd100(50), 1_000]] });
  const events = engine.replace("b1", limit("b2", "buy", 50, usd100(2)), book, 2);
  assert.deepEqual(types(events), ["replaced", "accepted", "fill"]);
  const first = events[0]!;
  assert.equal(first.type === "replaced" && first.replacedBy, "b2");
  assert.equal(engine.order("b1")!.status, "replaced");
  assert.deepEqual(fillRows(events), [["b2", 30, usd100(2), "taker"]]);
  const open = engine.openOrders();
  assert.deepEqual(open.map((o) => [o.request.clientOrderId, o.venueOrderId, o.leavesQty]), [
    ["b2", "SIM-2", 20],
  ]);
});

Deno.test("replace() is refused for a finished order, a changed side or a bad new request, leaving the old order alone", () => {
  const engine = engineWith();
  engine.submit(limit("b1", "buy", 100, usd100(0)), far(), 1);
  engine.submit(req("m1", { qty: 10 }), far(), 1);
  const cases = [
    engine.replace("m1", limit("x1", "buy", 10, usd100(0)), far(), 2),
    engine.replace("b1", limit("x2", "sell", 10, usd100(0)), far(), 2),
    engine.replace("b1", limit("m1", "buy", 10, usd100(0)), far(), 2),
    engine.replace("b1", limit("x3", "buy", 10, usd100(0) + 1), far(), 2),
    engine.replace("zz", limit("x4", "buy", 10, usd100(0)), far(), 2),
  ];
  for (const events of cases) assert.deepEqual(types(events), ["replace_rejected"]);
  assert.equal(engine.order("b1")!.status, "new");
  assert.equal(engine.order("x2"), undefined);
});

Deno.test("expire() expires open day orders, including pending stops, and keeps gtc ones", () => {
  const engine = engineWith();
  engine.submit(limit("day", "buy", 10, usd100(0)), far(), 1);
  engine.submit(limit("gtc", "buy", 10, usd100(0), "gtc"), far(), 1);
  engine.submit(req("stop", { type: "stop", stopPrice: usd100(10) }), far(), 1);
  const events = engine.expire(100);
  assert.deepEqual(types(events), ["expired", "expired"]);
  assert.deepEqual(events.map((e) => e.type === "expired" && e.order.request.clientOrderId), [
    "day",
    "stop",
  ]);
  assert.equal(engine.order("day")!.status, "expired");
  assert.equal(engine.order("day")!.updatedAt, 100);
  assert.deepEqual(engine.openOrders().map((o) => o.request.clientOrderId), ["gtc"]);
  assert.deepEqual(types(engine.cancel("day", 101)), ["cancel_rejected"]);
});

import assert from "node:assert/strict";
import { notional, parseCash } from "../../../core/domain/money.ts";
import { makeInstrument } from "../../../core/domain/instrument.ts";
import { bpsFee, perShareFee, withMinimum } from "../../../core/matching/fee_model.ts";
import { bookWith, engineWith, fillRows, fills, limit, req, types, usd100 } from "./_builders.ts";

const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
const threeAsks = () => bookWith({ asks: [[usd100(1), 30], [usd100(2), 50], [usd100(3), 100]] });

Deno.test("submit() walks a market buy through three ask levels, one fill per level at its price", () => {
  const engine = engineWith();
  const events = engine.submit(req("c1", { qty: 100 }), threeAsks(), 5);
  assert.deepEqual(types(events), ["accepted", "fill", "fill", "fill"]);
  assert.deepEqual(fillRows(events), [
    ["c1", 30, usd100(1), "taker"],
    ["c1", 50, usd100(2), "taker"],
    ["c1", 20, usd100(3), "taker"],
  ]);
  const f = fills(events);
  assert.deepEqual(f.map((e) => e.fill.fillId), ["SIM-1-1", "SIM-1-2", "SIM-1-3"]);
  assert.deepEqual(f.map((e) => e.status), ["partially_filled", "partially_filled", "filled"]);
  assert.deepEqual(f.map((e) => e.cumQty), [30, 80, 100]);
  assert.equal(f[0]!.fill.venueTime, 5);
  const done = engine.order("c1")!;
  assert.equal(done.status, "filled");
  assert.equal(done.leavesQty, 0);
  assert.equal(
    done.filledNotional,
    notional(aapl, usd100(1), 30) + notional(aapl, usd100(2), 50) + notional(aapl, usd100(3), 20),
  );
  assert.deepEqual(engine.openOrders(), []);
});

Deno.test("submit() walks a market sell down the bids", () => {
  const book = bookWith({ bids: [[usd100(0), 10], [usd100(-1), 10]] });
  const events = engineWith().submit(req("s1", { side: "sell", qty: 15 }), book, 1);
  assert.deepEqual(fillRows(events), [["s1", 10, usd100(0), "taker"], [
    "s1",
    5,
    usd100(-1),
    "taker",
  ]]);
});

Deno.test("submit() cancels the rest of a market order larger than the book", () => {
  const engine = engineWith();
  const book = bookWith({ asks: [[usd100(1), 30], [usd100(2), 50]] });
  const events = engine.submit(req("c1", { qty: 100 }), book, 1);
  assert.deepEqual(types(events), ["accepted", "fill", "fill", "canceled"]);
  const last = events.at(-1)!;
  assert.equal(last.type === "canceled" && last.order.filledQty, 80);
  assert.equal(engine.order("c1")!.status, "canceled");
  assert.equal(engine.order("c1")!.leavesQty, 0);
});

Deno.test("submit() cancels a market order when the book side is empty", () => {
  const events = engineWith().submit(req("c1"), bookWith({ bids: [[usd100(0), 10]] }), 1);
  assert.deepEqual(types(events), ["accepted", "canceled"]);
});

Deno.test("submit() fills a crossing limit up to its price, then rests the rest", () => {
  const engine = engineWith();
  const events = engine.submit(limit("c1", "buy", 100, usd100(2)), threeAsks(), 1);
  assert.deepEqual(fillRows(events), [["c1", 30, usd100(1), "taker"], [
    "c1",
    50,
    usd100(2),
    "taker",
  ]]);
  assert.deepEqual(types(events), ["accepted", "fill", "fill"]);
  const open = engine.openOrders("AAPL");
  assert.equal(open.length, 1);
  assert.equal(open[0]!.status, "partially_filled");
  assert.equal(open[0]!.leavesQty, 20);
});

Deno.test("submit() rests a limit that does not cross, with status new", () => {
  const engine = engineWith();
  const events = engine.submit(limit("c1", "buy", 10, usd100(0)), threeAsks(), 1);
  assert.deepEqual(types(events), ["accepted"]);
  assert.equal(events[0]!.type === "accepted" && events[0]!.order.venueOrderId, "SIM-1");
  assert.equal(engine.openOrders()[0]!.status, "new");
});

Deno.test("submit() cancels the unfilled rest of an ioc limit", () => {
  const engine = engineWith();
  const events = engine.submit(limit("c1", "buy", 100, usd100(2), "ioc"), threeAsks(), 1);
  assert.deepEqual(types(events), ["accepted", "fill", "fill", "canceled"]);
  assert.equal(engine.order("c1")!.filledQty, 80);
  assert.deepEqual(engine.openOrders(), []);
});

Deno.test("submit() fills a fok order entirely or cancels it without any fill", () => {
  const engine = engineWith();
  const short = engine.submit(limit("f1", "buy", 100, usd100(2), "fok"), threeAsks(), 1);
  assert.deepEqual(types(short), ["accepted", "canceled"]);
  assert.equal(engine.order("f1")!.filledQty, 0);
  assert.equal(engine.order("f1")!.status, "canceled");

  const enough = engine.submit(limit("f2", "buy", 80, usd100(2), "fok"), threeAsks(), 2);
  assert.deepEqual(types(enough), ["accepted", "fill", "fill"]);
  assert.equal(engine.order("f2")!.status, "filled");

  const market = engine.submit(req("f3", { qty: 181, tif: "fok" }), threeAsks(), 3);
  assert.deepEqual(types(market), ["accepted", "canceled"]);
});

Deno.test("submit() matches each order against the book as given: our fills do not deplete it", () => {
  const engine = engineWith();
  const book = bookWith({ asks: [[usd100(1), 30]] });
  engine.submit(req("a", { qty: 30 }), book, 1);
  const second = engine.submit(req("b", { qty: 30 }), book, 2);
  assert.deepEqual(fillRows(second), [["b", 30, usd100(1), "taker"]]);
});

Deno.test("submit() rejects a duplicate clientOrderId, even of a finished order", () => {
  const engine = engineWith();
  engine.submit(req("c1", { qty: 10 }), threeAsks(), 1);
  const again = engine.submit(req("c1", { qty: 10 }), threeAsks(), 2);
  assert.deepEqual(types(again), ["rejected"]);
  const e = again[0]!;
  assert.ok(e.type === "rejected" && /duplicate/.test(e.reason));
  assert.equal(e.type === "rejected" && e.order.status, "rejected");
  assert.equal(engine.order("c1")!.filledQty, 10);
});

Deno.test("submit() rejects a limit price off the tick and does not keep the order", () => {
  const engine = engineWith();
  const events = engine.submit(limit("c1", "buy", 10, usd100(0) + 50), threeAsks(), 1);
  assert.deepEqual(types(events), ["rejected"]);
  assert.ok(events[0]!.type === "rejected" && /tick/.test(events[0]!.reason));
  assert.equal(engine.order("c1"), undefined);
  // Below $1 the tick is 1/100 of a cent, so the same digits are fine there.
  const penny = engine.submit(limit("c2", "buy", 10, 5_001), threeAsks(), 2);
  assert.deepEqual(types(penny), ["accepted"]);
});

Deno.test("submit() throws on corrupt input instead of rejecting it", () => {
  const engine = engineWith();
  assert.throws(() => engine.submit(req("c1", { qty: NaN }), threeAsks(), 1), /'qty'/);
  assert.throws(() => engine.submit(req("c2"), threeAsks(), NaN), /'now'/);
  assert.throws(() => engine.onTrade("AAPL", usd100(0), -1, threeAsks(), 1), /size/);
});

Deno.test("submit() charges the fee model per fill, in exact Cash", async (t) => {
  await t.step("bps of notional with a per-fill minimum", () => {
    const engine = engineWith({ fees: withMinimum(bpsFee(1), parseCash("1")) });
    const book = bookWith({ asks: [[usd100(0), 10], [usd100(1), 20_000]] });
    const f = fills(engine.submit(req("c1", { qty: 20_010 }), book, 1));
    // 10 × $100.00 = $1,000 → 1 bp = $0.10, lifted to the $1 minimum;
    // 20,000 × $100.01 = $2,000,200 → 1 bp = $200.02.
    assert.deepEqual(f.map((e) => e.fill.fee), [parseCash("1"), parseCash("200.02")]);
    assert.equal(engine.order("c1")!.fees, parseCash("201.02"));
  });
  await t.step("per share", () => {
    const engine = engineWith({ fees: perShareFee(parseCash("0.005")) });
    const f = fills(engine.submit(req("c1", { qty: 100 }), threeAsks(), 1));
    assert.deepEqual(f.map((e) => e.fill.fee), [
      parseCash("0.15"),
      parseCash("0.25"),
      parseCash("0.1"),
    ]);
  });
});

// MatchingEngine.onTrade() and onBook(): resting limits and stops meeting the market.
import assert from "node:assert/strict";
import { bookWith, engineWith, fillRows, fills, limit, req, types, usd100 } from "./_builders.ts";

const far = () => bookWith({ bids: [[usd100(-50), 1_000]], asks: [[usd100(50), 1_000]] });

Deno.test("onTrade() fills a resting buy limit a trade went through, at its own price, as maker, up to the traded size", () => {
  const engine = engineWith();
  engine.submit(limit("b1", "buy", 100, usd100(0)), far(), 1);
  assert.deepEqual(types(engine.onTrade("AAPL", usd100(0), 500, far(), 2)), []);
  assert.deepEqual(types(engine.onTrade("AAPL", usd100(1), 500, far(), 3)), []);
  const first = engine.onTrade("AAPL", usd100(-1), 40, far(), 4);
  assert.deepEqual(fillRows(first), [["b1", 40, usd100(0), "maker"]]);
  assert.equal(fills(first)[0]!.status, "partially_filled");
  const second = engine.onTrade("AAPL", usd100(-2), 500, far(), 5);
  assert.deepEqual(fillRows(second), [["b1", 60, usd100(0), "maker"]]);
  assert.equal(fills(second)[0]!.status, "filled");
  assert.equal(fills(second)[0]!.fill.fillId, "SIM-1-2");
  assert.deepEqual(engine.openOrders(), []);
});

Deno.test("onTrade() fills a resting sell limit a trade went through above it", () => {
  const engine = engineWith();
  engine.submit(limit("s1", "sell", 10, usd100(5)), far(), 1);
  assert.deepEqual(fillRows(engine.onTrade("AAPL", usd100(6), 10, far(), 2)), [
    ["s1", 10, usd100(5), "maker"],
  ]);
});

Deno.test("onTrade() fills a limit on a touch of its price only with fillOnTouch", () => {
  const strict = engineWith();
  strict.submit(limit("b1", "buy", 10, usd100(0)), far(), 1);
  assert.deepEqual(types(strict.onTrade("AAPL", usd100(0), 10, far(), 2)), []);

  const touchy = engineWith({ fillOnTouch: true });
  touchy.submit(limit("b1", "buy", 10, usd100(0)), far(), 1);
  touchy.submit(limit("s1", "sell", 10, usd100(0) + 100), far(), 1);
  assert.deepEqual(fillRows(touchy.onTrade("AAPL", usd100(0), 10, far(), 2)), [
    ["b1", 10, usd100(0), "maker"],
  ]);
  assert.deepEqual(fillRows(touchy.onTrade("AAPL", usd100(1), 10, far(), 3)), [
    ["s1", 10, usd100(1), "maker"],
  ]);
});

Deno.test("onTrade() serves resting buys in price-time priority: better price, then earlier", () => {
  const engine = engineWith();
  engine.submit(limit("low", "buy", 50, usd100(0)), far(), 1);
  engine.submit(limit("high-early", "buy", 50, usd100(1)), far(), 2);
  engine.submit(limit("high-late", "buy", 50, usd100(1)), far(), 3);
  const events = engine.onTrade("AAPL", usd100(-1), 70, far(), 4);
  assert.deepEqual(fillRows(events), [
    ["high-early", 50, usd100(1), "maker"],
    ["high-late", 20, usd100(1), "maker"],
  ]);
  assert.equal(engine.order("low")!.filledQty, 0);
});

Deno.test("onTrade() triggers a buy stop on a trade at or above the stop and sends it to the book as a market order", () => {
  const engine = engineWith();
  const book = bookWith({ asks: [[usd100(11), 30], [usd100(12), 100]] });
  assert.deepEqual(
    types(engine.submit(req("st", { type: "stop", stopPrice: usd100(10), qty: 50 }), book, 1)),
    ["accepted"],
  );
  assert.deepEqual(types(engine.onTrade("AAPL", usd100(9), 100, book, 2)), []);
  assert.equal(engine.order("st")!.triggered, false);
  const events = engine.onTrade("AAPL", usd100(10), 1, book, 3);
  assert.deepEqual(fillRows(events), [["st", 30, usd100(11), "taker"], [
    "st",
    20,
    usd100(12),
    "taker",
  ]]);
  assert.equal(engine.order("st")!.status, "filled");
  assert.equal(engine.order("st")!.triggered, true);
});

Deno.test("onTrade() triggers a sell stop on a trade at or below the stop", () => {
  const engine = engineWith();
  const book = bookWith({ bids: [[usd100(-11), 100]] });
  engine.submit(
    req("st", { side: "sell", type: "stop", stopPrice: usd100(-10), qty: 20 }),
    book,
    1,
  );
  assert.deepEqual(types(engine.onTrade("AAPL", usd100(-9), 100, book, 2)), []);
  assert.deepEqual(fillRows(engine.onTrade("AAPL", usd100(-10), 100, book, 3)), [
    ["st", 20, usd100(-11), "taker"],
  ]);
});

Deno.test("onTrade() turns a triggered stop_limit into a limit that fills to its limit and rests the rest", () => {
  const engine = engineWith();
  const book = bookWith({ asks: [[usd100(11), 30], [usd100(12), 20], [usd100(13), 100]] });
  const order = req("sl", {
    type: "stop_limit",
    stopPrice: usd100(10),
    limitPrice: usd100(12),
    qty: 100,
  });
  engine.submit(order, book, 1);
  const events = engine.onTrade("AAPL", usd100(10), 1_000, book, 2);
  // The triggering print itself does not fill the new limit: it was not live when it printed.
  assert.deepEqual(fillRows(events), [["sl", 30, usd100(11), "taker"], [
    "sl",
    20,
    usd100(12),
    "taker",
  ]]);
  const open = engine.openOrders("AAPL");
  assert.equal(open.length, 1);
  assert.equal(open[0]!.leavesQty, 50);
  assert.equal(open[0]!.triggered, true);
  // From now on it rests like any limit.
  assert.deepEqual(fillRows(engine.onTrade("AAPL", usd100(11), 10, book, 3)), [[
    "sl",
    10,
    usd100(12),
    "maker",
  ]]);
});

Deno.test("onBook() fills a resting buy the book now crosses, at its limit, up to the depth within it", () => {
  const engine = engineWith();
  engine.submit(limit("b1", "buy", 100, usd100(0)), far(), 1);
  engine.submit(limit("b2", "buy", 100, usd100(-1)), far(), 2);
  assert.deepEqual(types(engine.onBook("AAPL", far(), 3)), []);
  const moved = bookWith({ asks: [[usd100(-1), 30], [usd100(0), 40], [usd100(1), 500]] });
  const events = engine.onBook("AAPL", moved, 4);
  // b1 (better price) takes the 70 lots at or below its limit; b2 finds the 30 at its limit gone.
  assert.deepEqual(fillRows(events), [["b1", 70, usd100(0), "maker"]]);
  assert.equal(engine.order("b1")!.leavesQty, 30);
});

Deno.test("onBook() fills a resting sell the bids rose to", () => {
  const engine = engineWith();
  engine.submit(limit("s1", "sell", 10, usd100(5)), far(), 1);
  const events = engine.onBook("AAPL", bookWith({ bids: [[usd100(6), 4], [usd100(5), 4]] }), 2);
  assert.deepEqual(fillRows(events), [["s1", 8, usd100(5), "maker"]]);
});

Deno.test("onTrade() and onBook() leave other symbols and pending stops alone", () => {
  const engine = engineWith();
  engine.submit(limit("b1", "buy", 10, usd100(0)), far(), 1);
  engine.submit(req("st", { type: "stop", stopPrice: usd100(10) }), far(), 1);
  assert.deepEqual(types(engine.onTrade("BTC/USD", 1, 1, far(), 2)), []);
  // Stops trigger on trades only, not on a book that moved through them.
  assert.deepEqual(types(engine.onBook("AAPL", bookWith({ bids: [[usd100(20), 5]] }), 3)), []);
  assert.equal(engine.openOrders().length, 2);
});

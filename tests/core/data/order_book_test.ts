import assert from "node:assert/strict";
import { OrderBook } from "../../../core/data/order_book.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";

const BID = 0, ASK = 1;

Deno.test("OrderBook.apply() keeps best bid/ask, spread and mid in integer units", () => {
  const b = new OrderBook("AAPL");
  b.apply(BID, 1_872_500, 100);
  b.apply(BID, 1_872_400, 300);
  b.apply(ASK, 1_872_600, 200);
  b.apply(ASK, 1_872_800, 50);
  assert.equal(b.bestBid(), 1_872_500);
  assert.equal(b.bestBidSize(), 100);
  assert.equal(b.bestAsk(), 1_872_600);
  assert.equal(b.spread(), 100);
  assert.equal(b.mid(), 1_872_550);
  assert.deepEqual(b.depth(5), {
    bids: [{ price: 1_872_500, size: 100 }, { price: 1_872_400, size: 300 }],
    asks: [{ price: 1_872_600, size: 200 }, { price: 1_872_800, size: 50 }],
  });
});

Deno.test("OrderBook.apply() removes the level when size is 0, and ignores removal of a missing level", () => {
  const b = new OrderBook("AAPL");
  b.apply(BID, 100, 5);
  b.apply(BID, 99, 5);
  b.apply(BID, 100, 0);
  assert.equal(b.bestBid(), 99);
  assert.equal(b.bidLevels(), 1);
  b.apply(BID, 42, 0);
  assert.equal(b.bidLevels(), 1);
  b.apply(BID, 99, 0);
  assert.equal(b.bestBid(), 0);
  assert.ok(Number.isNaN(b.spread()));
  assert.ok(Number.isNaN(b.mid()));
});

Deno.test("OrderBook.clear() resets both sides for a snapshot", () => {
  const b = new OrderBook("BTC/USD");
  b.apply(BID, 100, 1);
  b.apply(ASK, 101, 1);
  b.clear();
  assert.equal(b.bidLevels() + b.askLevels(), 0);
  b.apply(ASK, 105, 2);
  assert.equal(b.bestAsk(), 105);
});

Deno.test("OrderBook.isCrossed() flags a bid above the ask; a locked book is not crossed", () => {
  const b = new OrderBook("AAPL");
  b.apply(BID, 100, 1);
  b.apply(ASK, 101, 1);
  assert.equal(b.isCrossed(), false);
  b.apply(BID, 101, 1);
  assert.equal(b.isCrossed(), false);
  assert.equal(b.isLocked(), true);
  b.apply(BID, 102, 1);
  assert.equal(b.isCrossed(), true);
});

Deno.test("OrderBook keeps the best levels when a side reaches its cap and counts what it ignored", () => {
  const b = new OrderBook("AAPL", 3);
  for (const p of [10, 11, 12]) b.apply(BID, p, 1);
  b.apply(BID, 9, 1); // worse than all kept: ignored
  b.apply(BID, 13, 1); // better: evicts 10
  assert.deepEqual(b.depth(5).bids.map((l) => l.price), [13, 12, 11]);
  assert.equal(b.ignoredLevels, 2);
});

Deno.test("OrderBook matches a naive sorted-map model under 50,000 random updates (property)", () => {
  const rng = new SeededRng(11);
  const book = new OrderBook("X");
  const model = [new Map<number, number>(), new Map<number, number>()];
  for (let i = 0; i < 50_000; i++) {
    if (rng.next() < 0.001) {
      book.clear();
      model[0]!.clear();
      model[1]!.clear();
      continue;
    }
    const side = rng.int(2);
    const price = side === BID ? 1000 - rng.int(60) : 1001 + rng.int(60);
    const size = rng.next() < 0.35 ? 0 : 1 + rng.int(1000);
    book.apply(side, price, size);
    if (size === 0) model[side]!.delete(price);
    else model[side]!.set(price, size);
    if (i % 97 === 0) {
      const bids = [...model[0]!].sort((a, b) => b[0] - a[0]).map(([price, size]) => ({
        price,
        size,
      }));
      const asks = [...model[1]!].sort((a, b) => a[0] - b[0]).map(([price, size]) => ({
        price,
        size,
      }));
      assert.deepEqual(book.depth(1000), { bids, asks });
      assert.equal(book.bestBid(), bids[0]?.price ?? 0);
      assert.equal(book.bestAsk(), asks[0]?.price ?? 0);
    }
  }
});

// What a bounded kernel forgets: the oldest finished orders and fills, never a part of one
// execution time, each handed to the sink a backtest records them in.
import assert from "node:assert/strict";
import { FinishedRetention } from "../../../core/kernel/finished_retention.ts";
import type { Fill } from "../../../core/domain/order.ts";
import { testFill } from "./_fills.ts";
import { type ManagedOrder, OrderManager } from "../../../core/execution/order_manager.ts";

const fill = (id: string, venueTime: number) => testFill(id, `o-${id}`, venueTime);

Deno.test("FinishedRetention forgets fills of one execution time together: a new fill at that time is not taken for a repeat", () => {
  const r = new FinishedRetention(2);
  const fills = [fill("a", 1), fill("b", 2), fill("c", 2), fill("d", 2)];
  for (const f of fills) r.noteFill(f);
  const dropped = r.trimFills(fills);
  assert.deepEqual(dropped.map((f) => f.fillId), ["a"], "b, c and d share a time: all kept");
  assert.equal(r.through, 1);
  assert.equal(r.applied(fill("e", 2)), false, "another symbol's fill on the same bar");
  assert.equal(r.applied(fill("c", 2)), true, "a held fill repeated");
  assert.equal(r.applied(fill("a", 1)), true, "the forgotten fill repeated");
});

Deno.test("FinishedRetention for a venue reporting each fill once takes no fill for a repeat, in any time order", () => {
  const r = new FinishedRetention(1, { fillsReportedOnce: true });
  const fills = [fill("m1", 50), fill("m2", 60), fill("m3", 70)];
  for (const f of fills) r.noteFill(f);
  r.trimFills(fills);
  assert.equal(r.through, 60);
  assert.equal(r.applied(fill("daily", 0)), false, "a daily bar's fill, at the day's start");
  assert.equal(r.applied(fill("m1", 50)), false, "nothing forgotten comes back");
});

Deno.test("FinishedRetention refuses to keep fewer than one finished order", () => {
  for (const keep of [0, -1, 1.5, NaN]) {
    assert.throws(() => new FinishedRetention(keep), RangeError, String(keep));
  }
});

Deno.test("FinishedRetention hands every forgotten order and fill to its sink, oldest first", () => {
  const forgotten: { orders: string[]; fills: string[] } = { orders: [], fills: [] };
  const r = new FinishedRetention(2, {
    onForget: {
      orders: (os) => forgotten.orders.push(...os.map((o) => o.request.clientOrderId)),
      fills: (fs) => forgotten.fills.push(...fs.map((f) => f.fillId)),
    },
  });
  const book = new OrderManager();
  const orders: ManagedOrder[] = [];
  const fills: Fill[] = [];
  for (let i = 0; i < 10; i++) {
    const o = book.add(
      {
        clientOrderId: `c${i}`,
        symbol: "AAPL",
        side: "buy",
        type: i === 1 ? "limit" : "market",
        tif: "day",
        qty: 1,
        limitPrice: i === 1 ? 900_000 : 0,
        stopPrice: 0,
        source: "t",
        createdAt: i,
      },
      i,
    );
    orders.push(o);
    book.applyTo(o, "accepted", i, {});
    if (i === 1) continue; // c1 stays working: never forgotten
    book.applyTo(o, "fill", i, { filledQty: 1 });
    const f = fill(`f${i}`, i);
    fills.push(f);
    r.noteFill(f);
    r.trimFills(fills);
    r.trimOrders(book);
  }
  assert.deepEqual(orders.map((o) => o.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const held = book.held().map((o) => o.request.clientOrderId);
  assert.ok(held.includes("c1"), "the working order is held");
  assert.ok(held.length <= 2 + 1 + 1 && forgotten.orders.length >= 6, `held ${held}`);
  assert.deepEqual([...forgotten.orders, ...held.filter((id) => id !== "c1")].sort(), [
    "c0",
    "c2",
    "c3",
    "c4",
    "c5",
    "c6",
    "c7",
    "c8",
    "c9",
  ]);
  assert.deepEqual(forgotten.orders, [...forgotten.orders].sort(), "oldest first");
  assert.deepEqual([...forgotten.fills, ...fills.map((f) => f.fillId)], [
    "f0",
    "f2",
    "f3",
    "f4",
    "f5",
    "f6",
    "f7",
    "f8",
    "f9",
  ]);
});

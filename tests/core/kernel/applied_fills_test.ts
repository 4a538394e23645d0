import assert from "node:assert/strict";
import type { Fill } from "../../../core/domain/order.ts";
import { testFill } from "./_fills.ts";
import { OrderManager } from "../../../core/execution/order_manager.ts";
import { AppliedFills } from "../../../core/kernel/applied_fills.ts";
import { FinishedRetention } from "../../../core/kernel/finished_retention.ts";

const fill = testFill;
const request = (id: string) => ({
  clientOrderId: id,
  symbol: "AAPL",
  side: "buy" as const,
  type: "market" as const,
  tif: "day" as const,
  qty: 5,
  limitPrice: 0,
  stopPrice: 0,
  source: "t",
  createdAt: 0,
});

Deno.test("applied fills: by id for orders added here, by time only for forgotten or restored ones, by id only on replay", () => {
  const applied = new AppliedFills(new FinishedRetention(1));
  const orders = new OrderManager();
  const live = orders.add(request("a"), 0);
  const held: Fill[] = [];
  // Three fills of other (unknown) orders at times 10, 20, 30: keeping 1, the two oldest go.
  for (const [i, t] of [[1, 10], [2, 20], [3, 30]] as const) {
    const f = fill(`x${i}`, `gone${i}`, t);
    applied.note(f, undefined);
    held.push(f);
    applied.trim(held);
  }
  assert.equal(applied.retention.through, 20, "forgotten through time 20");
  const late = fill("a-1", "a", 15); // executed before fills forgotten, first reported now
  assert.equal(applied.has(late, live), false, "an order added here knows all of its fills");
  applied.note(late, live);
  assert.equal(applied.has(late, live), true);
  const restored = new OrderManager();
  restored.restore([live], 1);
  const back = restored.get("a")!;
  assert.equal(applied.has(fill("a-2", "a", 15), back), true, "restored: told by time");
  assert.equal(applied.has(fill("a-2", "a", 15), back, true), false, "replay: by id only");
  assert.equal(applied.has(fill("a-3", "a", 25), back), false, "newer than any forgotten");
  assert.equal(
    applied.has(fill("x1", "gone1", 10), undefined),
    true,
    "a forgotten orphan, by time",
  );
  assert.equal(applied.has(fill("x3", "gone3", 30), undefined, true), true, "a held orphan, by id");
});

Deno.test("a fill being journaled is taken as applied until the write settles, failed or not", async () => {
  const applied = new AppliedFills(new FinishedRetention(undefined));
  const f = fill("c-1", "c", 1);
  let done!: () => void;
  const writing = applied.claimWhile(f, new Promise<void>((r) => (done = r)));
  assert.equal(applied.has(f, undefined, true), true);
  done();
  await writing;
  assert.equal(applied.has(f, undefined, true), false);
  await assert.rejects(applied.claimWhile(f, Promise.reject(new Error("disk full"))), /disk full/);
  assert.equal(applied.claimed.size, 0);
});

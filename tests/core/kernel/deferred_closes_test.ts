// A strategy may decide to get out while its entry is still in flight: the venue has filled it but
// the fill waits for its journal write (a slow disk), or a limit entry rests unfilled. The close
// must still leave the strategy flat, not close nothing and let the entry land afterwards.
import assert from "node:assert/strict";
import type { Signal } from "../../../core/domain/order.ts";
import type { JournalEntry } from "../../../core/store/journal.ts";
import { harness } from "./_harness.ts";
import { buy } from "./_signals.ts";

const close = (strategyId = "test"): Signal => ({ ...buy(0), strategyId, action: "close" });

/** Holds fill journal writes until `open()`: the disk of a machine busy with other work. */
function slowDisk() {
  let open = () => {};
  const gate = new Promise<void>((r) => (open = r));
  return {
    open,
    beforeJournal: (e: JournalEntry) => e.type === "fill" ? gate : Promise.resolve(),
  };
}

/** Moves `ms` of simulated time without waiting for reports (a held fill would never settle). */
async function step(h: Awaited<ReturnType<typeof harness>>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t++) {
    h.clock.advanceBy(1000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  }
}

const summary = (h: Awaited<ReturnType<typeof harness>>) =>
  h.kernel.orders.list().reverse().map((o) =>
    `${o.request.side} ${o.request.qty} ${o.request.type} ${o.status}`
  );

Deno.test("a close sent while the entry's fill is still being journaled flattens once the fill lands", async () => {
  const disk = slowDisk();
  const h = await harness({ beforeJournal: disk.beforeJournal });
  const refused: string[] = [];
  h.bus.subscribe("risk.rejected", (r) => refused.push(r.reason ?? ""));
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(2));
  await step(h, 20); // the venue has filled it; the fill waits for the disk
  assert.equal(h.kernel.positionQty(0), 0);
  assert.equal(h.kernel.expectedPosition(0), 2, "the strategy sees the entry it sent");
  h.kernel.onSignal(close());
  assert.equal(h.kernel.closes.deferred, 1);
  assert.equal(h.kernel.expectedPosition(0), 0, "a waiting close makes the expected position flat");
  assert.equal(h.kernel.orders.size, 1, "nothing is sold before the position is known");
  disk.open();
  await h.until(() => h.kernel.orders.size === 2 && h.kernel.orders.open().length === 0, "close");
  assert.deepEqual(summary(h), ["buy 2 market filled", "sell 2 market filled"]);
  assert.equal(h.kernel.positionQty(0), 0);
  assert.deepEqual(refused, [], "no 'nothing_to_close'");
  h.kv.close();
});

Deno.test("signals a strategy emits behind a waiting close run after it, in order", async () => {
  const disk = slowDisk();
  const h = await harness({ beforeJournal: disk.beforeJournal });
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(1));
  await step(h, 20);
  h.kernel.onSignal(close());
  h.kernel.onSignal(buy(3)); // the next bar crossed up again
  assert.equal(h.kernel.orders.size, 1);
  assert.equal(h.kernel.expectedPosition(0), 3, "the strategy sees the waiting buy");
  h.kernel.onSignal(close()); // ...and down again
  h.kernel.onSignal(buy(3)); // ...and up
  assert.equal(h.kernel.closes.size, 4);
  disk.open();
  await h.until(() => h.kernel.orders.size === 5 && h.kernel.orders.open().length === 0, "all");
  assert.deepEqual(summary(h), [
    "buy 1 market filled",
    "sell 1 market filled",
    "buy 3 market filled",
    "sell 3 market filled",
    "buy 3 market filled",
  ]);
  assert.equal(h.kernel.positionQty(0), 3);
  h.kv.close();
});

Deno.test("a close cancels the strategy's resting limit entry and, with nothing filled, sells nothing", async () => {
  const h = await harness();
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(5, "limit", 999_900)); // below the bid: rests
  await h.run(20);
  assert.equal(h.kernel.orders.open().length, 1);
  assert.equal(h.kernel.expectedPosition(0), 5);
  h.kernel.onSignal(close());
  await h.until(() => h.kernel.orders.open().length === 0, "entry cancelled");
  await h.run(5);
  assert.deepEqual(summary(h), ["buy 5 limit canceled"]);
  assert.equal(h.kernel.positionQty(0), 0);
  assert.equal(h.kernel.closes.size, 0, "nothing left waiting");
  h.kv.close();
});

Deno.test("a close does not wait for another strategy's orders in the symbol", async () => {
  const h = await harness();
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(2));
  await h.until(() => h.kernel.positionQty(0) === 2, "entry filled");
  h.kernel.onSignal({ ...buy(1, "limit", 999_900), strategyId: "maker" }); // rests
  await h.run(20);
  h.kernel.onSignal(close());
  assert.equal(h.kernel.closes.deferred, 0);
  await h.until(() => h.kernel.positionQty(0) === 0, "position closed");
  assert.deepEqual(summary(h), [
    "buy 2 market filled",
    "buy 1 limit new",
    "sell 2 market filled",
  ]);
  h.kv.close();
});

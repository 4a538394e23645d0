// A strategy may decide to get out while its entry is still in flight: the venue has filled it but
// the fill waits for its journal write (a slow disk), or a limit entry rests unfilled. The close
// must still leave the strategy flat, not close nothing and let the entry land afterwards.
import assert from "node:assert/strict";
import type { Signal } from "../../../core/domain/order.ts";
import { VenueError } from "../../../core/execution/venue_error.ts";
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

/**
 * A buy of 2 whose fill waits for the disk, a close, then `behind` (signals queued after it); the
 * report stream drops and its recovery applies the fill, `gapMs` pass, the stream is back and the
 * kernel is told so. Returns the harness and the reasons of refused signals.
 */
async function closeAcrossGap(behind: Signal[], gapMs: number) {
  const disk = slowDisk();
  let venueReady = true;
  const h = await harness({ beforeJournal: disk.beforeJournal, venueReady: () => venueReady });
  const refused: string[] = [];
  h.bus.subscribe("risk.rejected", (r) => refused.push(r.reason ?? ""));
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(2));
  await step(h, 20);
  h.kernel.onSignal(close());
  for (const s of behind) h.kernel.onSignal({ ...s, time: h.clock.nowMicros() });
  venueReady = false;
  disk.open();
  await h.until(() => h.kernel.positionQty(0) === 2, "entry filled");
  assert.equal(h.kernel.closes.size, 1 + behind.length, "no order may leave in a gap");
  assert.equal(h.kernel.orders.size, 1);
  h.clock.advanceBy(gapMs * 1000);
  venueReady = true;
  h.kernel.closes.release(); // what the live node does when the gap's recovery ends
  await h.until(() => h.kernel.positionQty(0) === 0, "position closed");
  await h.run(10);
  return { h, refused };
}

Deno.test("a close whose entry fills during a trade-report gap waits for the gap to end, then flattens", async () => {
  const { h, refused } = await closeAcrossGap([], 1000);
  assert.deepEqual(summary(h), ["buy 2 market filled", "sell 2 market filled"]);
  assert.deepEqual(refused, []);
  h.kv.close();
});

/** Moves `seconds` of simulated time in 100 ms steps (retry timers fire on the clock). */
async function seconds(h: Awaited<ReturnType<typeof harness>>, s: number): Promise<void> {
  for (let t = 0; t < s * 10; t++) {
    h.clock.advanceBy(100_000);
    await new Promise((r) => setTimeout(r, 0));
  }
}

Deno.test("a cancel refused because the venue does not know the order yet is asked again, and the close goes on", async () => {
  const h = await harness();
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(5, "limit", 999_900)); // rests
  await h.run(20);
  const router = h.kernel.deps.router;
  const cancel = router.cancel.bind(router);
  let refusals = 1;
  router.cancel = (id: string) =>
    refusals-- > 0
      ? Promise.reject(new VenueError("not_found", "order not found", { maybeReceived: false }))
      : cancel(id);
  h.kernel.onSignal(close());
  h.kernel.onSignal(buy(1)); // the next bar's entry waits behind the close
  await seconds(h, 1.5); // the retry is due after 1 s
  await h.until(() => h.kernel.closes.size === 0, "the close and the buy ran");
  assert.equal(h.kernel.closes.cancelsFailed, 1);
  await h.until(() => h.kernel.orders.open().length === 0, "all finished");
  assert.deepEqual(summary(h), ["buy 5 limit canceled", "buy 1 market filled"]);
  h.kv.close();
});

Deno.test("an order whose cancel is refused five times stops holding the close up (after 15 s), and stays working", async () => {
  const lines: string[] = [];
  const h = await harness({ log: (l) => lines.push(l) });
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(5, "limit", 999_900));
  await h.run(20);
  h.kernel.deps.router.cancel = () =>
    Promise.reject(new VenueError("rejected", "order is not cancelable", { status: 422 }));
  h.kernel.onSignal(close());
  h.kernel.onSignal(buy(1));
  await seconds(h, 14);
  assert.equal(h.kernel.closes.size, 2, "still waiting after 1 + 2 + 4 s of retries");
  await seconds(h, 2);
  await h.until(() => h.kernel.closes.size === 0, "the close and the buy behind it ran");
  assert.equal(h.kernel.closes.cancelsFailed, 5);
  assert.match(lines.at(-1) ?? "", /refused 5 times .*closing without waiting for it/);
  await h.until(() => h.kernel.positionQty(0) === 1, "the later buy filled");
  assert.deepEqual(summary(h), ["buy 5 limit new", "buy 1 market filled"]);
  h.kv.close();
});

Deno.test("an entry that waited behind a close for over a minute is refused as stale; the close still runs", async () => {
  const { h, refused } = await closeAcrossGap([buy(1)], 61_000);
  assert.deepEqual(summary(h), ["buy 2 market filled", "sell 2 market filled"]);
  assert.deepEqual(refused, ["stale_signal"]);
  h.kv.close();
});

Deno.test("a close while orders may not leave is decided at once, as before, not held for later", async () => {
  let venueReady = true;
  const h = await harness({ venueReady: () => venueReady });
  const refused: string[] = [];
  h.bus.subscribe("risk.rejected", (r) => refused.push(r.reason ?? ""));
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(5, "limit", 999_900)); // rests
  await h.run(20);
  venueReady = false;
  h.kernel.onSignal(close());
  assert.equal(h.kernel.closes.size, 0);
  assert.deepEqual(refused, ["nothing_to_close"], "the resting entry has filled nothing");
  h.kv.close();
});

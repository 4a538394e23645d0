import assert from "node:assert/strict";
import { join } from "node:path";
import type { JournalEntry } from "../../../core/store/journal.ts";
import { JOURNAL_PREFIX, SIM_VENUE_PREFIX } from "../../../core/store/keys.ts";
import { harness } from "./_harness.ts";
import { buy } from "./_signals.ts";

/** Runs a session that buys 4 AAPL, then returns the KV path with its journal and venue state. */
async function tradedSession(): Promise<{ dir: string; path: string }> {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "r.kv");
  const h = await harness({ kv: await Deno.openKv(path) });
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(4));
  await h.run(30);
  assert.equal(h.kernel.positionQty(0), 4);
  await h.venue.flushed();
  h.kv.close();
  return { dir, path };
}

Deno.test("fills the venue executed but the journal missed (a crash in between) are recovered at start-up", async () => {
  const { dir, path } = await tradedSession();
  // Simulate the crash window: the venue persisted its fill, the engine's journal did not.
  const kv = await Deno.openKv(path);
  for await (const e of kv.list<JournalEntry>({ prefix: JOURNAL_PREFIX })) {
    if (e.value.type === "fill") await kv.delete(e.key);
  }
  kv.close();
  const again = await harness({ kv: await Deno.openKv(path) });
  assert.deepEqual(again.differences.map((d) => d.kind), ["missed_fill"]);
  assert.equal(again.kernel.positionQty(0), 4, "the missed fill is applied");
  assert.equal(again.kernel.orders.list()[0]!.status, "filled");
  assert.equal(again.kernel.ready, true);
  // and it is journaled now, so the next start finds nothing to recover
  again.kv.close();
  const third = await harness({ kv: await Deno.openKv(path) });
  assert.deepEqual(third.differences, []);
  assert.equal(third.kernel.positionQty(0), 4);
  third.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an order the venue filled but the journal never saw (crash before the write) is adopted with its fill", async () => {
  const { dir, path } = await tradedSession();
  const kv = await Deno.openKv(path);
  for await (const e of kv.list<JournalEntry>({ prefix: JOURNAL_PREFIX })) await kv.delete(e.key);
  kv.close();
  const again = await harness({ kv: await Deno.openKv(path) });
  // The venue still knows the order by its client id: it is adopted, and its fill applied.
  assert.deepEqual(again.differences.map((d) => d.kind), ["missed_fill"]);
  assert.equal(again.kernel.positionQty(0), 4);
  assert.equal(again.kernel.orders.size, 1);
  assert.equal(again.kernel.orders.list()[0]!.status, "filled");
  assert.equal(again.kernel.ready, true);
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("positions that disagree with the venue keep trading disabled and are reported", async () => {
  const { dir, path } = await tradedSession();
  const kv = await Deno.openKv(path);
  for await (const e of kv.list({ prefix: SIM_VENUE_PREFIX })) await kv.delete(e.key); // the venue lost its fills
  kv.close();
  const again = await harness({ kv: await Deno.openKv(path) });
  assert.deepEqual(again.differences.map((d) => [d.kind, d.symbol]), [[
    "position_mismatch",
    "AAPL",
  ]]);
  assert.match(again.differences[0]!.detail, /local 4 lots, venue 0 lots/);
  assert.equal(again.kernel.ready, false);
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("orders working before a restart that the venue no longer works are closed, with the difference reported", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "w.kv");
  {
    const h = await harness({ kv: await Deno.openKv(path) });
    h.quoteAapl(1_000_000, 1_000_100);
    h.kernel.onSignal({ ...buy(2), orderType: "limit", limitPrice: 999_900 }); // rests
    await h.run(30);
    assert.equal(h.kernel.orders.open().length, 1);
    await h.venue.flushed();
    h.kv.close();
  }
  const again = await harness({ kv: await Deno.openKv(path) });
  // the venue canceled its resting orders when it restarted, and says so when asked by client id
  assert.deepEqual(again.differences.map((d) => d.kind), ["status_changed"]);
  assert.equal(again.kernel.orders.open().length, 0);
  assert.equal(again.kernel.orders.list()[0]!.status, "canceled");
  assert.equal(again.kernel.ready, true, "positions still agree (flat)");
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

/** An AAPL market order placed straight at the venue: the kernel neither sent nor knows it. */
function placedByHand(id: string, side: "buy" | "sell", qty: number, createdAt: number) {
  return {
    clientOrderId: id,
    symbol: "AAPL",
    side,
    type: "market" as const,
    tif: "day" as const,
    qty,
    limitPrice: 0,
    stopPrice: 0,
    source: "manual",
    createdAt,
  };
}

Deno.test("live, an order first seen in a venue report is adopted at once: its fill moves the position, is journaled, and survives a restart", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "r.kv");
  const logs: string[] = [];
  const h = await harness({
    kv: await Deno.openKv(path),
    adoptUnknownOrders: true,
    log: (l) => logs.push(l),
  });
  const seen: string[] = [];
  h.bus.subscribe("system.reconcile", (d) => seen.push(`${d.kind} ${d.symbol}`));
  h.quoteAapl(1_000_000, 1_000_100);
  await h.pump(h.venue.submitOrder(placedByHand("by-hand-1", "buy", 7, h.clock.nowMicros())));
  await h.run(30);
  assert.equal(h.kernel.positionQty(0), 7, "the venue's fill is in the position");
  assert.equal(h.kernel.orders.get("by-hand-1")?.status, "filled");
  assert.equal(h.kernel.unknownOrderReports, 1, "only its first report was unknown");
  assert.deepEqual(seen, ["unknown_venue_order AAPL"]);
  assert.ok(logs.some((l) => /by-hand-1 first seen in a venue report \(\w+\); adopted/.test(l)));
  assert.equal(h.kernel.ready, true, "the account agrees with the venue: trading stays on");
  await h.venue.flushed();
  h.kv.close();

  const again = await harness({ kv: await Deno.openKv(path), adoptUnknownOrders: true });
  assert.deepEqual(again.differences, [], "the journal had it all: nothing to reconcile");
  assert.equal(again.kernel.positionQty(0), 7);
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("without adoption (a backtest) a report for an unknown order is counted and logged, not applied; a cancel of one is never adopted", async () => {
  const logs: string[] = [];
  const h = await harness({ log: (l) => logs.push(l) });
  h.quoteAapl(1_000_000, 1_000_100);
  await h.pump(h.venue.submitOrder(placedByHand("by-hand-2", "buy", 3, h.clock.nowMicros())));
  await h.run(30);
  assert.equal(h.kernel.positionQty(0), 0);
  assert.equal(h.kernel.orders.get("by-hand-2"), undefined);
  assert.ok(h.kernel.unknownOrderReports >= 1);
  assert.ok(logs.some((l) => /unknown order by-hand-2 \(\w+\) ignored/.test(l)));
  h.kv.close();

  const live = await harness({ adoptUnknownOrders: true, log: (l) => logs.push(l) });
  await live.kernel.applyUpdate({
    event: "canceled",
    order: {
      clientOrderId: "leg-3",
      venueOrderId: "v3",
      request: placedByHand("leg-3", "sell", 3, live.clock.nowMicros()),
      status: "canceled",
      filledQty: 0,
      updatedAt: live.clock.nowMicros(),
    },
  }, true);
  assert.equal(live.kernel.orders.get("leg-3"), undefined, "nothing moved: nothing adopted");
  assert.ok(logs.some((l) => /unknown order leg-3 \(canceled\) ignored/.test(l)));
  live.kv.close();
});

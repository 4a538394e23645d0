import assert from "node:assert/strict";
import { join } from "node:path";
import type { Fill } from "../../../core/domain/order.ts";
import type { TradeUpdate } from "../../../core/execution/trading_client.ts";
import { CheckpointStore } from "../../../core/store/checkpoint_store.ts";
import { harness, roundTrips } from "./_harness.ts";
import { buy } from "./_signals.ts";

Deno.test("an open order's fill reported first after keep_finished_orders later fills were forgotten is applied once, and again after a restart from a checkpoint", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "k.kv");
  const h = await harness({
    kv: await Deno.openKv(path),
    keepFinished: 3,
    adoptUnknownOrders: true,
    latencyMs: 0,
  });
  h.quoteAapl(1_000_000, 1_000_100);
  // Rests below the bid; another strategy's, so the round trips' closes do not wait for it.
  h.kernel.onSignal({ ...buy(2, "limit", 999_000), strategyId: "resting" });
  await h.run(4);
  const [a] = h.kernel.orders.open();
  assert.ok(a !== undefined);
  // The venue fills 1 of it now, but its report arrives late (a gap recovery after an outage)...
  const executed = h.clock.nowMicros();
  // ...after 8 more fills, the oldest of which the kernel has forgotten: they executed after it.
  await roundTrips(h, 4);
  assert.ok(h.kernel.fills.length < h.kernel.fillsApplied, "some fills forgotten");
  assert.ok(h.kernel.fills.every((f) => f.venueTime > executed));
  await h.journal.flushed();
  // A checkpoint from before the late report: a restart restores the order without fill ids.
  const c = h.kernel.checkpoint(h.journal.lastSeq)!;
  const fill: Fill = {
    fillId: "late-1",
    clientOrderId: a.request.clientOrderId,
    venueOrderId: a.venueOrderId,
    symbol: "AAPL",
    side: "buy",
    qty: 1,
    price: 999_000,
    fee: 0n,
    liquidity: "maker",
    venueTime: executed,
    recvTime: h.clock.nowMicros(),
  };
  const update: TradeUpdate = {
    event: "partial_fill",
    fill,
    order: {
      clientOrderId: a.request.clientOrderId,
      venueOrderId: a.venueOrderId,
      request: a.request,
      status: "partially_filled",
      filledQty: 1,
      updatedAt: executed,
    },
  };
  const applied = h.kernel.fillsApplied, qty = h.kernel.positionQty(0);
  await h.kernel.applyUpdate(update, true);
  assert.equal(
    h.kernel.fillsApplied,
    applied + 1,
    "applied, though it executed before fills forgotten",
  );
  assert.equal(h.kernel.positionQty(0), qty + 1);
  assert.equal(h.kernel.orders.get(a.request.clientOrderId)!.filledQty, 1);
  await h.kernel.applyUpdate(update, true);
  assert.equal(h.kernel.fillsApplied, applied + 1, "its repeat is told by its id");
  await h.journal.flushed();
  await h.venue.flushed();
  h.kv.close();

  // Restart from the checkpoint and the journal after it: the late fill is replayed, not taken
  // for a repeat of a forgotten one.
  const kv = await Deno.openKv(path);
  await new CheckpointStore(kv).write(c);
  kv.close();
  const again = await harness({ kv: await Deno.openKv(path), keepFinished: 3, latencyMs: 0 });
  assert.equal(again.kernel.fillsApplied, applied + 1);
  assert.equal(again.kernel.positionQty(0), qty + 1);
  assert.equal(again.kernel.hasFill(fill), true, "and known as applied");
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

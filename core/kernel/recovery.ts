/**
 * Start-up: rebuild the kernel from the journal, then reconcile with the venue before any order
 * is sent. Every difference is logged and published on system.reconcile; fills the venue executed
 * while we were down are applied, orders only the venue knows are adopted, orders the venue no
 * longer works are closed. Trading is enabled only when positions then agree (fail safe).
 */
import type { ReconcileDifference } from "../bus/topics.ts";
import { localVenueOrder, type TradingClient } from "../execution/trading_client.ts";
import type { CheckpointStore } from "../store/checkpoint_store.ts";
import type { Journal } from "../store/journal.ts";
import type { TradingKernel } from "./trading_kernel.ts";

/**
 * Rebuilds `kernel` from the latest checkpoint, if any, and the journal's entries after it;
 * returns the checkpoint's seq (0 without one) and the number of entries replayed.
 */
export async function restoreFromJournal(
  kernel: TradingKernel,
  journal: Journal,
  checkpoints?: CheckpointStore,
): Promise<{ checkpoint: number; entries: number }> {
  const c = await checkpoints?.latest();
  if (c !== undefined) kernel.restoreCheckpoint(c);
  let entries = 0;
  for await (const { entry } of journal.read(c?.seq ?? 0)) {
    kernel.replay(entry);
    entries++;
  }
  return { checkpoint: c?.seq ?? 0, entries };
}

/** Reconciles with the venue; sets `kernel.ready` when positions agree. */
export async function reconcileWithVenue(
  kernel: TradingKernel,
  client: TradingClient,
): Promise<ReconcileDifference[]> {
  const diffs: ReconcileDifference[] = [];
  const note = (d: ReconcileDifference) => {
    diffs.push(d);
    kernel.deps.bus.publish("system.reconcile", d);
    kernel.deps.log(`reconcile: ${d.kind} ${d.symbol}: ${d.detail}`);
  };

  // 1. Fills executed while we were not listening.
  const last = kernel.fills.at(-1);
  for (const fill of await client.fillsSince(last?.fillId, last?.venueTime)) {
    if (kernel.hasFill(fill)) continue;
    if (kernel.orders.get(fill.clientOrderId) === undefined) {
      const venueOrder = await client.getOrderByClientId(fill.clientOrderId);
      if (venueOrder === undefined) {
        note({
          kind: "missed_fill",
          symbol: fill.symbol,
          detail: `fill ${fill.fillId} of unknown order ${fill.clientOrderId} skipped`,
        });
        continue;
      }
      kernel.adopt(venueOrder.request);
    }
    note({
      kind: "missed_fill",
      symbol: fill.symbol,
      detail: `${fill.side} ${fill.qty} lots at ${fill.price} (${fill.fillId})`,
    });
    const order = await client.getOrderByClientId(fill.clientOrderId);
    await kernel.applyUpdate({
      event: "fill",
      fill,
      order: order ?? localVenueOrder(
        kernel.orders.get(fill.clientOrderId)!.request,
        "partially_filled",
        0,
        fill.venueTime,
        fill.venueOrderId,
      ),
    }, true);
  }

  // 2. Open orders on both sides.
  const venueOpen = new Map((await client.openOrders()).map((o) => [o.clientOrderId, o]));
  for (const local of kernel.orders.open()) {
    const id = local.request.clientOrderId;
    if (venueOpen.has(id)) {
      if (local.status === "pending_new") {
        await kernel.applyUpdate({ event: "accepted", order: venueOpen.get(id)! }, true);
      }
      continue;
    }
    const v = await client.getOrderByClientId(id);
    const event = v === undefined
      ? "canceled"
      : v.status === "filled"
      ? undefined
      : v.status === "expired"
      ? "expired"
      : v.status === "rejected"
      ? "rejected"
      : "canceled";
    note({
      kind: v === undefined ? "order_not_at_venue" : "status_changed",
      symbol: local.request.symbol,
      detail: event === undefined
        ? `${id} is filled at the venue but its fills were not reported; left open (positions will disagree)`
        : `${id} is ${v?.status ?? "unknown"} at the venue; closed locally as ${event}`,
    });
    if (event !== undefined) {
      await kernel.applyUpdate({
        event,
        reason: "reconciled at start-up",
        order: v ??
          localVenueOrder(local.request, "canceled", local.filledQty, 0, local.venueOrderId),
      }, true);
    }
  }
  for (const [id, v] of venueOpen) {
    if (kernel.orders.get(id) !== undefined) continue;
    note({
      kind: "unknown_venue_order",
      symbol: v.request.symbol,
      detail: `${id} working at the venue; adopted`,
    });
    kernel.adopt(v.request);
    await kernel.applyUpdate({ event: "accepted", order: v }, true);
  }

  // 3. Positions.
  const venuePos = new Map((await client.positions()).map((p) => [p.symbol, p.qty]));
  let agree = true;
  for (const inst of kernel.deps.instruments.list()) {
    const local = kernel.positionQty(inst.index), remote = venuePos.get(inst.symbol) ?? 0;
    if (local !== remote) {
      agree = false;
      note({
        kind: "position_mismatch",
        symbol: inst.symbol,
        detail: `local ${local} lots, venue ${remote} lots`,
      });
    }
  }
  kernel.ready = agree;
  if (!agree) {
    kernel.deps.log(
      "reconcile: positions disagree with the venue; trading stays disabled until resolved",
    );
  }
  return diffs;
}

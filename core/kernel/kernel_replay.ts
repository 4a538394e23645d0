/**
 * Rebuilding the kernel from its journal at start-up: each entry applied to memory the way it was
 * applied live, nothing published or journaled again. The kernel hands in the parts of it that are
 * not public (named here, so this module needs no import of it).
 */
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Fill } from "../domain/order.ts";
import type { ManagedOrder, OrderManager } from "../execution/order_manager.ts";
import type { OrderEvent } from "../execution/order_state.ts";
import type { KillSwitch, KillSwitchState } from "../risk/kill_switch.ts";
import type { JournalEntry } from "../store/journal.ts";
import type { Exposure } from "./exposure.ts";
import type { KernelCheckpoint } from "./kernel_checkpoint.ts";

/** The kernel as a replay sees it (TradingKernel). */
export interface ReplayedKernel {
  readonly deps: { readonly instruments: InstrumentTable };
  readonly orders: OrderManager;
  readonly risk: { readonly killSwitch: KillSwitch };
  lastSession: KernelCheckpoint["lastSession"];
  markPrice(inst: number): number;
  hasFill(fill: Fill, exact?: boolean): boolean;
}

/** The kernel's own steps a replay takes, beside its public books. */
export interface ReplayAccess {
  readonly exposure: Exposure;
  applyFill(fill: Fill, order: ManagedOrder | undefined): void;
  /** An order's state change, not published or journaled. */
  transition(
    order: ManagedOrder,
    event: OrderEvent,
    at: number,
    extra: { venueOrderId?: string; filledQty?: number; reason?: string },
  ): void;
}

/** Applies one journal entry to `k`. */
export function replayEntry(k: ReplayedKernel, a: ReplayAccess, entry: JournalEntry): void {
  switch (entry.type) {
    case "order_submitted": {
      const inst = k.deps.instruments.get(entry.request.symbol);
      if (inst === undefined || k.orders.get(entry.request.clientOrderId) !== undefined) return;
      k.orders.add(entry.request, entry.at);
      a.exposure.open(
        entry.request,
        inst,
        entry.request.limitPrice > 0 ? entry.request.limitPrice : k.markPrice(inst.index),
      );
      return;
    }
    case "order_event": {
      const order = k.orders.get(entry.clientOrderId);
      if (order === undefined || entry.event === "fill" || entry.event === "partial_fill") return;
      a.transition(order, entry.event, entry.at, {
        venueOrderId: entry.venueOrderId,
        reason: entry.reason,
      });
      return;
    }
    case "fill": {
      const order = k.orders.get(entry.fill.clientOrderId);
      // By id only: every fill in the journal was applied when it was written (a repeat never is
      // written), though a late one may be older than fills forgotten before the checkpoint.
      if (k.hasFill(entry.fill, true)) return;
      a.applyFill(entry.fill, order);
      if (order !== undefined) {
        const filledQty = order.filledQty + entry.fill.qty;
        const event = filledQty >= order.request.qty ? "fill" : "partial_fill";
        a.transition(order, event, entry.at, { filledQty });
      }
      return;
    }
    case "kill_switch":
      k.risk.killSwitch.set(entry.state as KillSwitchState, entry.reason, entry.at);
      return;
    case "session_start":
      k.lastSession = { start: entry.start, equity: entry.equity };
      return;
  }
}

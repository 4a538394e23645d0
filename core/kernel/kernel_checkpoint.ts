/**
 * What a journal checkpoint holds of the kernel: everything the journal's entries up to `seq` had
 * built (portfolio, held orders and fills, the kill switch, the session), so a restart loads it and
 * replays only the entries after `seq`, and the entries before can be deleted. Taking one and
 * loading one are here; the kernel hands in the parts of it that are not public.
 */
import type { Clock } from "../clock/clock.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Cash } from "../domain/money.ts";
import type { Fill } from "../domain/order.ts";
import { addFillId, type ManagedOrder, type OrderManager } from "../execution/order_manager.ts";
import type { Portfolio, PortfolioState } from "../portfolio/portfolio.ts";
import type { KillSwitch, KillSwitchSnapshot } from "../risk/kill_switch.ts";
import type { Exposure } from "./exposure.ts";
import type { AppliedFills } from "./applied_fills.ts";

/** A kernel's state after the journal's entries up to `seq`. */
export interface KernelCheckpoint {
  /** The last journal entry it covers. */
  readonly seq: number;
  /** When it was taken, engine time, epoch µs. */
  readonly at: number;
  readonly portfolio: PortfolioState;
  /**
   * Held orders, oldest first (see OrderManager.held), as they were but for their fill ids, which
   * loading rebuilds from the held fills (older ones: FinishedRetention's `through`). An order
   * filled in thousands of parts stays a small record, well within a KV value.
   */
  readonly orders: readonly ManagedOrder[];
  /** Orders ever added. */
  readonly ordersAdded: number;
  /** Held fills, oldest first. */
  readonly fills: readonly Fill[];
  /** Fills ever applied. */
  readonly fillsApplied: number;
  /** Ids of applied fills of orders the kernel did not know. */
  readonly orphanFills: readonly string[];
  /** See FinishedRetention: execution time of the newest fill forgotten. */
  readonly forgottenThrough: number;
  readonly killSwitch: KillSwitchSnapshot;
  readonly lastSession: { readonly start: number; readonly equity: Cash } | undefined;
}

/** The kernel as a checkpoint sees it (TradingKernel; named here so this module needs no import of it). */
export interface CheckpointedKernel {
  readonly deps: { readonly clock: Clock; readonly instruments: InstrumentTable };
  readonly portfolio: Portfolio;
  readonly orders: OrderManager;
  readonly fills: Fill[];
  fillsApplied: number;
  readonly risk: { readonly killSwitch: KillSwitch };
  lastSession: KernelCheckpoint["lastSession"];
  markPrice(inst: number): number;
}

/** The kernel's own parts a checkpoint reads and sets, beside its public books. */
export interface CheckpointAccess {
  readonly applied: AppliedFills;
  readonly exposure: Exposure;
}

/**
 * The kernel's state after the journal's entries up to `seq`, or undefined while a fill is being
 * journaled: its entry has a sequence number but is not applied yet. Every other writer applies
 * before it appends, so the state then is exactly what the entries up to `seq` build. Orders are
 * copied (they change); requests and fills are shared (they never do).
 */
export function takeCheckpoint(
  k: CheckpointedKernel,
  a: CheckpointAccess,
  seq: number,
): KernelCheckpoint | undefined {
  if (a.applied.claimed.size > 0) return undefined;
  return {
    seq,
    at: k.deps.clock.nowMicros(),
    portfolio: k.portfolio.state(),
    orders: k.orders.held().map((o) => ({ ...o, firstFillId: "", laterFillIds: undefined })),
    ordersAdded: k.orders.added,
    fills: [...k.fills],
    fillsApplied: k.fillsApplied,
    orphanFills: [...a.applied.orphans],
    forgottenThrough: a.applied.retention.through,
    killSwitch: k.risk.killSwitch.snapshot(),
    lastSession: k.lastSession,
  };
}

/** Loads `c` into a kernel that has applied nothing (start-up, before the later entries). */
export function loadCheckpoint(
  k: CheckpointedKernel,
  a: CheckpointAccess,
  c: KernelCheckpoint,
): void {
  const { instruments } = k.deps;
  k.portfolio.restore(c.portfolio);
  for (const p of c.portfolio.positions) {
    a.exposure.positionQty[instruments.get(p.symbol)!.index] = p.qty;
  }
  k.orders.restore(c.orders, c.ordersAdded);
  for (const o of k.orders.open()) {
    const inst = instruments.get(o.request.symbol)!;
    // As replay prices it: the limit, else the mark now (a market order's reservation is brief).
    const price = o.request.limitPrice > 0 ? o.request.limitPrice : k.markPrice(inst.index);
    a.exposure.restoreWorking(o.request, inst, price, o.filledQty);
  }
  for (const f of c.fills) {
    k.fills.push(f);
    a.applied.retention.noteFill(f);
    const order = k.orders.get(f.clientOrderId);
    if (order !== undefined) addFillId(order, f.fillId);
  }
  k.fillsApplied = c.fillsApplied;
  for (const id of c.orphanFills) a.applied.orphans.add(id);
  a.applied.retention.restore(c.forgottenThrough);
  const ks = c.killSwitch;
  k.risk.killSwitch.set(ks.state, ks.reason, ks.since);
  k.lastSession = c.lastSession;
}

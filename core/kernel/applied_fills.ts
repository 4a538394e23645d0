/**
 * Which fills the kernel has applied, so a fill a venue reports twice (the stream and a gap
 * recovery, a reconnect replaying) moves the account once. By id wherever every id that could
 * match is kept: an order added in this process holds all of its own, fills of orders the kernel
 * never knew are kept apart, and a fill being journaled is claimed until it is applied. By time
 * (FinishedRetention) only for a fill whose order was forgotten or restored from a checkpoint.
 */
import type { Fill } from "../domain/order.ts";
import { addFillId, hasFillId, type ManagedOrder } from "../execution/order_manager.ts";
import type { FinishedRetention } from "./finished_retention.ts";

/** The kernel's record of applied fills. */
export class AppliedFills {
  /** Ids of fills applied to orders the kernel does not know (journal replay, checkpoints). */
  readonly orphans = new Set<string>();
  /** Ids of fills whose journal write is in flight. */
  readonly claimed = new Set<string>();

  /** Forgets by `retention`'s rule. */
  constructor(readonly retention: FinishedRetention) {}

  /**
   * True when `fill` (of `order`, if the kernel holds it) was applied or is being journaled.
   * `exact`: by id only (journal replay: every fill in it was applied when it was written, though
   * a late one may be older than fills forgotten before a checkpoint).
   */
  has(fill: Fill, order: ManagedOrder | undefined, exact = false): boolean {
    const id = fill.fillId;
    // The sets are asked only when not empty: a fresh fill id's first lookup costs its hash
    // (~0.3 µs), on every fill of a backtest, which has neither claims nor orphans.
    if (this.claimed.size > 0 && this.claimed.has(id)) return true;
    if (order !== undefined) {
      return hasFillId(order, id) || (!exact && !order.fillIdsKept && this.retention.applied(fill));
    }
    return (this.orphans.size > 0 && this.orphans.has(id)) ||
      (!exact && this.retention.applied(fill));
  }

  /** Records `fill` as applied to `order` (undefined: an order the kernel does not know). */
  note(fill: Fill, order: ManagedOrder | undefined): void {
    if (order !== undefined) addFillId(order, fill.fillId);
    else this.orphans.add(fill.fillId);
    this.retention.noteFill(fill);
  }

  /** Drops the oldest of the held `fills` beyond what the retention keeps. */
  trim(fills: Fill[]): void {
    const forgotten = this.retention.trimFills(fills);
    // Only with orphans: a fresh fill id's first lookup costs its hash (~0.3 µs).
    if (this.orphans.size > 0) forgotten.forEach((f) => this.orphans.delete(f.fillId));
  }

  /** Holds a claim on `fill` while `write` (its journal append) is in flight. */
  async claimWhile(fill: Fill, write: Promise<unknown>): Promise<void> {
    this.claimed.add(fill.fillId);
    try {
      await write;
    } finally {
      this.claimed.delete(fill.fillId);
    }
  }
}

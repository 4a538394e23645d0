/**
 * What a journal checkpoint holds of the kernel: everything the journal's entries up to `seq` had
 * built (portfolio, held orders and fills, the kill switch, the session), so a restart loads it and
 * replays only the entries after `seq`, and the entries before can be deleted.
 */
import type { Cash } from "../domain/money.ts";
import type { Fill } from "../domain/order.ts";
import type { ManagedOrder } from "../execution/order_manager.ts";
import type { PortfolioState } from "../portfolio/portfolio.ts";
import type { KillSwitchSnapshot } from "../risk/kill_switch.ts";

/** A kernel's state after the journal's entries up to `seq`. */
export interface KernelCheckpoint {
  /** The last journal entry it covers. */
  readonly seq: number;
  /** When it was taken, engine time, epoch µs. */
  readonly at: number;
  readonly portfolio: PortfolioState;
  /** Held orders, oldest first (see OrderManager.held), as they were. */
  readonly orders: readonly ManagedOrder[];
  /** Orders ever added. */
  readonly ordersAdded: number;
  /** Held fills, oldest first. */
  readonly fills: readonly Fill[];
  /** Fills ever applied. */
  readonly fillsApplied: number;
  /** Ids of applied fills of orders the kernel did not know. */
  readonly orphanFills: readonly string[];
  /** See FinishedRetention: how far forgotten orders and fills reach in time. */
  readonly forgottenThrough: number;
  readonly killSwitch: KillSwitchSnapshot;
  readonly lastSession: { readonly start: number; readonly equity: Cash } | undefined;
}

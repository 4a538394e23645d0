/** What a TradingKernel is built from: the seams it is wired to, so live, sim and backtest differ only here. */
import type { Bus } from "../bus/bus.ts";
import type { Clock } from "../clock/clock.ts";
import type { MarketEngine } from "../data/market_engine.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Cash } from "../domain/money.ts";
import type { OrderIds } from "../execution/client_order_ids.ts";
import type { OrderRouter } from "../execution/order_router.ts";
import type { KillSwitchState } from "../risk/kill_switch.ts";
import type { RiskLimits } from "../risk/limits.ts";
import type { JournalWriter } from "../store/journal.ts";
import type { ForgetSink } from "./finished_retention.ts";

/** Execution settings. */
export interface ExecutionSettings {
  readonly maxSlippageBps: number;
  readonly maxSpreadBps: number;
}

/** What the kernel is built from. */
export interface KernelDeps {
  readonly instruments: InstrumentTable;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly market: MarketEngine;
  readonly router: OrderRouter;
  readonly ids: OrderIds;
  readonly limits: RiskLimits;
  readonly execution: ExecutionSettings;
  readonly startingCash: Cash;
  /** The venue's trading hours. */
  readonly isMarketOpen: (symbol: string, now: number) => boolean;
  /** False while the venue's order reports are not flowing (a dropped trade_updates stream): no order leaves then. */
  readonly venueReady?: () => boolean;
  /** Where order events and fills are journaled; undefined keeps them in memory (backtests). */
  readonly journal?: JournalWriter;
  /** Persists the kill switch (and is awaited before a change is acknowledged). */
  readonly persistKillSwitch?: (
    state: KillSwitchState,
    reason: string,
    since: number,
  ) => Promise<void>;
  /**
   * Adopt an order first seen in a live venue report (a bracket's exit leg, which the venue
   * creates with an id of its own, or an order placed at the venue by hand) and apply the report,
   * as reconciliation would. Unset (backtests): such a report is counted and logged only.
   */
  readonly adoptUnknownOrders?: boolean;
  /**
   * Finished orders and fills held in memory, the newest; older ones are forgotten (the journal
   * keeps them, or a backtest's run log), so memory stays bounded. Unset: all are held.
   */
  readonly keepFinished?: number;
  /**
   * Receives the orders and fills keepFinished makes the kernel forget, oldest first: a backtest
   * records every one this way (core/backtest/run_log.ts) without holding them as objects.
   */
  readonly onForget?: ForgetSink;
  /**
   * The venue reports each fill exactly once (the in-process backtest venue): a fill whose order
   * was forgotten is never taken for a repeat by its time (see FinishedRetention).
   */
  readonly fillsReportedOnce?: boolean;
  readonly log: (line: string) => void;
}

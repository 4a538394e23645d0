/**
 * Drives the kill switch for the kernel: changes are durable (persisted and journaled) before
 * they are acknowledged, halting cancels every working order, and a daily-loss or drawdown breach
 * halts automatically (peak equity is tracked here for the drawdown).
 */
import type { Cash } from "../domain/money.ts";
import type { Portfolio } from "../portfolio/portfolio.ts";
import { autoHalt, type KillSwitchState } from "../risk/kill_switch.ts";
import type { RiskEngine } from "../risk/risk_engine.ts";
import type { KernelDeps } from "./kernel_deps.ts";

/** Kill-switch changes and automatic halts. */
export class KillSwitchControl {
  #peakEquity: Cash;

  /** Binds to the kernel's risk engine and portfolio; `cancelAll` runs on a halt. */
  constructor(
    readonly deps: KernelDeps,
    readonly risk: RiskEngine,
    readonly portfolio: Portfolio,
    readonly cancelAll: () => Promise<void>,
  ) {
    this.#peakEquity = deps.startingCash;
  }

  /** Sets the state durably; false when it was already in that state. */
  async set(state: KillSwitchState, reason: string): Promise<boolean> {
    const now = this.deps.clock.nowMicros();
    if (!this.risk.killSwitch.set(state, reason, now)) return false;
    // Numbered in the journal in the same turn as it changes in memory, as every journal writer
    // is: a checkpoint taken meanwhile then covers the entry of the state it holds.
    const journaled = this.deps.journal?.append({ type: "kill_switch", at: now, state, reason });
    await Promise.all([journaled, this.deps.persistKillSwitch?.(state, reason, now)]);
    this.deps.log(`kill switch ${state}: ${reason}`);
    if (state === "halted") await this.cancelAll();
    return true;
  }

  /** Halts on a daily-loss or drawdown breach (call on fills and periodically). */
  checkAutoHalt(): void {
    // Equity once, not totals(): this runs on every fill.
    const equity = this.portfolio.equity;
    if (equity > this.#peakEquity) this.#peakEquity = equity;
    if (this.risk.killSwitch.state === "halted") return;
    const dailyPnl = equity - this.portfolio.sessionStartEquity;
    const why = autoHalt({ dailyPnl, equity, peakEquity: this.#peakEquity }, this.deps.limits);
    if (why !== null) void this.set("halted", why);
  }
}

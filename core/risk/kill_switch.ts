/**
 * The kill switch: active (all checks apply), reducing (only orders that shrink a position pass)
 * or halted (every new order is refused). It holds state in memory only; the engine persists
 * `state`, `reason` and `since` and restores them through the constructor after a restart.
 */
import type { Cash } from "../domain/money.ts";
import type { OrderRequest } from "../domain/order.ts";
import { PASS, REASON, type RiskReason } from "./reasons.ts";
import { reducesPosition } from "./reduces_position.ts";

/** The three kill-switch states, from least to most restrictive. */
export type KillSwitchState = "active" | "reducing" | "halted";

type Transition = `${KillSwitchState}:${KillSwitchState}`;

// "change" records the new state, reason and time; "keep" leaves all three as they are.
const TRANSITIONS: Readonly<Record<Transition, "change" | "keep">> = {
  "active:active": "keep",
  "active:reducing": "change",
  "active:halted": "change",
  "reducing:active": "change",
  "reducing:reducing": "keep",
  "reducing:halted": "change",
  // halted → active/reducing: an operator's decision; autoHalt() only ever moves toward halted.
  "halted:active": "change",
  "halted:reducing": "change",
  // halted → halted: a repeated auto-halt must not overwrite the first cause an operator will read.
  "halted:halted": "keep",
};

/** Throws unless `state` is a kill-switch state (it may come from an HTTP body or a KV record). */
function assertState(state: string): asserts state is KillSwitchState {
  if (TRANSITIONS[`active:${state}` as Transition] === undefined) {
    throw new RangeError(
      `Cannot set kill switch: 'state' must be active, reducing or halted, got ${
        JSON.stringify(state)
      }`,
    );
  }
}

const HALTED = REASON.kill_switch_halted;
const REDUCING = REASON.kill_switch_reducing;

/** A persisted kill-switch snapshot. */
export interface KillSwitchSnapshot {
  readonly state: KillSwitchState;
  /** Why it was last changed (free text or a reason code such as "max_daily_loss"). */
  readonly reason: string;
  /** When it was last changed, epoch µs. */
  readonly since: number;
}

/**
 * Three-state kill switch consulted first by the risk engine.
 * @example
 * ```ts
 * import { KillSwitch } from "./kill_switch.ts";
 * const ks = new KillSwitch();
 * ks.set("reducing", "operator: news pending", 1_700_000_000_000_000);
 * ks.allows({ side: "sell", qty: 50 }, 100); // true: sells part of a long
 * ks.allows({ side: "buy", qty: 50 }, 100); // false: adds to it
 * ```
 */
export class KillSwitch {
  #state: KillSwitchState;
  #reason: string;
  #since: number;

  /** Starts active, or in a restored snapshot (restored as is, reason and time included). */
  constructor(initial: KillSwitchSnapshot = { state: "active", reason: "", since: 0 }) {
    assertState(initial.state);
    this.#state = initial.state;
    this.#reason = initial.reason;
    this.#since = initial.since;
  }

  /** Current state. */
  get state(): KillSwitchState {
    return this.#state;
  }

  /** Why the state last changed. */
  get reason(): string {
    return this.#reason;
  }

  /** When the state last changed, epoch µs. */
  get since(): number {
    return this.#since;
  }

  /** State, reason and time as a value to persist. */
  snapshot(): KillSwitchSnapshot {
    return { state: this.#state, reason: this.#reason, since: this.#since };
  }

  /** Moves to `state` at `now` (epoch µs); returns false when already there (nothing changes). */
  set(state: KillSwitchState, reason: string, now: number): boolean {
    assertState(state);
    const row = TRANSITIONS[`${this.#state}:${state}`];
    if (row === "keep") return false;
    this.#state = state;
    this.#reason = reason;
    this.#since = now;
    return true;
  }

  /**
   * Hot path: 0 when an order of `qty` lots (`isBuy` side) may go given the signed `positionQty`,
   * else kill_switch_halted or kill_switch_reducing.
   */
  check(isBuy: boolean, qty: number, positionQty: number): number {
    const s = this.#state;
    if (s === "active") return PASS;
    if (s === "halted") return HALTED;
    return reducesPosition(positionQty, isBuy ? positionQty + qty : positionQty - qty)
      ? PASS
      : REDUCING;
  }

  /** Whether `order` may go given the signed position (lots) it would trade against. */
  allows(order: Pick<OrderRequest, "side" | "qty">, positionQty: number): boolean {
    return this.check(order.side === "buy", order.qty, positionQty) === PASS;
  }
}

/** The account figures autoHalt() judges, all Cash. */
export interface AccountLoss {
  /** Realized + unrealized P&L since session start (a loss is negative). */
  readonly dailyPnl: Cash;
  readonly equity: Cash;
  /** Highest equity seen (the caller tracks it). */
  readonly peakEquity: Cash;
}

/**
 * Decides whether the kill switch should halt: "max_daily_loss" when the loss exceeds
 * `maxDailyLoss`, "max_drawdown" when `peakEquity − equity` exceeds `maxDrawdown`, else null.
 * Being exactly at a limit does not halt. Called on P&L updates, not per order, so its bigint
 * arithmetic may allocate.
 * @example
 * ```ts
 * import { autoHalt, KillSwitch } from "./kill_switch.ts";
 * import { parseCash } from "../domain/money.ts";
 * const ks = new KillSwitch();
 * const why = autoHalt(
 *   { dailyPnl: parseCash("-5000.01"), equity: parseCash("94999.99"), peakEquity: parseCash("100000") },
 *   { maxDailyLoss: parseCash("5000"), maxDrawdown: parseCash("10000") },
 * );
 * if (why !== null) ks.set("halted", why, 1_700_000_000_000_000); // why === "max_daily_loss"
 * ```
 */
export function autoHalt(
  account: AccountLoss,
  limits: { readonly maxDailyLoss: Cash; readonly maxDrawdown: Cash },
): RiskReason | null {
  if (-account.dailyPnl > limits.maxDailyLoss) return "max_daily_loss";
  if (account.peakEquity - account.equity > limits.maxDrawdown) return "max_drawdown";
  return null;
}

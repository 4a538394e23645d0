/**
 * Why the pre-trade risk engine refused an order. Checks return 0 (pass) or a reason id; ids are
 * dense (1..n) so per-reason counters are a plain typed array on the hot path.
 */

/** Every rejection reason, in id order: id = index + 1 (0 means the order passed). */
export const RISK_REASONS = [
  "kill_switch_halted",
  "kill_switch_reducing",
  "trading_hours",
  "max_quantity",
  "no_market_data",
  "price_collar",
  "max_order_value",
  "short_selling",
  "max_position_value",
  "max_open_orders",
  "buying_power",
  "max_daily_loss",
  "max_orders_per_second",
  // Not returned by check(): autoHalt() names it when drawdown halts the kill switch.
  "max_drawdown",
] as const;

/** A rejection reason code (snake_case, stable: it appears in events, metrics and logs). */
export type RiskReason = typeof RISK_REASONS[number];

/** The id a check returns when the order passes. */
export const PASS = 0;

/** Reason code → numeric id (1..RISK_REASONS.length), for checks and counters. */
export const REASON: { readonly [K in RiskReason]: number } = Object.freeze(
  Object.fromEntries(RISK_REASONS.map((r, i) => [r, i + 1])) as { [K in RiskReason]: number },
);

/** The reason code of a non-zero id; throws on an id no check can return (a corrupt counter). */
export function reasonName(id: number): RiskReason {
  const name = RISK_REASONS[id - 1];
  if (name === undefined) throw new RangeError(`No risk reason with id ${id}`);
  return name;
}

/**
 * Risk limits resolved for the instruments a process trades: the config's defaults with each
 * symbol's overrides applied, converted once to exact units (Cash, lots) and laid out as arrays
 * indexed by instrument index so the per-order checks do no lookups or parsing.
 */
import type { RiskConfig } from "../../schemas/risk.ts";
import { parseScaled } from "../domain/fixed_point.ts";
import type { Instrument } from "../domain/instrument.ts";
import { type Cash, parseCash } from "../domain/money.ts";
import { type CashPair, cashPair, cashScale } from "./_exact.ts";

/** Per-instrument and account-wide limits in hot-path form. */
export interface RiskLimits {
  /** The instruments the arrays are indexed by (instruments[i].index === i). */
  readonly instruments: readonly Instrument[];
  /** Cash worth of one tick × one lot, per instrument. */
  readonly cashScale: readonly CashPair[];
  readonly maxPositionValue: readonly CashPair[];
  readonly maxOrderValue: readonly CashPair[];
  /** Lots. */
  readonly maxQuantity: Float64Array;
  readonly maxOpenOrders: Float64Array;
  /** Integer basis points. */
  readonly priceCollarBps: Float64Array;
  /** 1 where shorting is allowed. */
  readonly shortSelling: Uint8Array;
  readonly maxDailyLoss: Cash;
  /** −maxDailyLoss, so the hot path compares without negating a bigint. */
  readonly dailyLossFloor: Cash;
  readonly maxDrawdown: Cash;
  readonly maxOrdersPerSecond: number;
}

/**
 * Resolves parsed config into per-instrument limits. Overrides for symbols not in `instruments`
 * are ignored (one config may serve several venues); a quantity finer than an instrument's lot
 * throws, naming the key.
 * @example
 * ```ts
 * import { riskConfigSchema } from "../../schemas/risk.ts";
 * import { InstrumentTable } from "../domain/instrument.ts";
 * import { resolveRiskLimits } from "./limits.ts";
 * const table = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
 * const config = riskConfigSchema.parse({ symbols: { "BTC/USD": { max_quantity: "2.5" } } });
 * const limits = resolveRiskLimits(config, table.list());
 * limits.maxQuantity[1]; // 2_500_000_000 lots of 10^-9 BTC
 * ```
 */
export function resolveRiskLimits(
  config: RiskConfig,
  instruments: readonly Instrument[],
): RiskLimits {
  const n = instruments.length;
  const scale: CashPair[] = [];
  const maxPositionValue: CashPair[] = [];
  const maxOrderValue: CashPair[] = [];
  const maxQuantity = new Float64Array(n);
  const maxOpenOrders = new Float64Array(n);
  const priceCollarBps = new Float64Array(n);
  const shortSelling = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const inst = instruments[i]!;
    if (inst.index !== i) {
      throw new RangeError(
        `Cannot resolve risk limits: ${inst.symbol} has index ${inst.index} at ${i}`,
      );
    }
    const o = config.symbols[inst.symbol];
    // Names the config key a bad value came from, so the error points at the line to fix.
    const at = (name: string, overridden: unknown): string =>
      overridden === undefined ? `risk.defaults.${name}` : `risk.symbols.${inst.symbol}.${name}`;
    scale.push(cashScale(inst));
    const pv = o?.max_position_value;
    maxPositionValue.push(
      cashPair(parseCash(pv ?? config.defaults.max_position_value, at("max_position_value", pv))),
    );
    const ov = o?.max_order_value;
    maxOrderValue.push(
      cashPair(parseCash(ov ?? config.defaults.max_order_value, at("max_order_value", ov))),
    );
    const q = o?.max_quantity;
    maxQuantity[i] = parseScaled(
      q ?? config.defaults.max_quantity,
      inst.qtyDecimals,
      at("max_quantity", q),
    );
    maxOpenOrders[i] = o?.max_open_orders ?? config.defaults.max_open_orders;
    priceCollarBps[i] = o?.price_collar_bps ?? config.defaults.price_collar_bps;
    shortSelling[i] = (o?.short_selling ?? config.defaults.short_selling) ? 1 : 0;
  }
  const maxDailyLoss = parseCash(config.max_daily_loss, "risk.max_daily_loss");
  return {
    instruments,
    cashScale: scale,
    maxPositionValue,
    maxOrderValue,
    maxQuantity,
    maxOpenOrders,
    priceCollarBps,
    shortSelling,
    maxDailyLoss,
    dailyLossFloor: -maxDailyLoss,
    maxDrawdown: parseCash(config.max_drawdown, "risk.max_drawdown"),
    maxOrdersPerSecond: config.max_orders_per_second,
  };
}

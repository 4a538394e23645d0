/** Configuration of the moving-average crossover strategy, validated with zod at the edge. */
import { z } from "zod";
import { orderTypeField, qtyField, timeframeField } from "../_config_fields.ts";

/** Schema of MaCrossoverConfig: snake_case keys, every one defaulted. */
export const maCrossoverConfigSchema = z.object({
  /** Bars of this timeframe drive the strategy; others are ignored. */
  timeframe: timeframeField.default("1m"),
  /** Fast average period, in bars. */
  fast: z.number().int().min(1).default(10),
  /** Slow average period, in bars; must exceed `fast`. */
  slow: z.number().int().min(2).default(30),
  /** Which moving average both lines use. */
  kind: z.enum(["sma", "ema"]).default("sma"),
  /** Entry size in the instrument's quantity units as a decimal string (converted to lots). */
  qty: qtyField.default("1"),
  /** When true a downward cross opens a short instead of only closing the long. */
  allow_short: z.boolean().default(false),
  /** Market orders by default; limit orders are priced at the crossing bar's close. */
  order_type: orderTypeField.default("market"),
}).strict().refine((c) => c.fast < c.slow, {
  message: "'fast' must be < 'slow'",
  path: ["fast"],
});

/** Validated MA-crossover configuration (defaults applied). */
export type MaCrossoverConfig = z.infer<typeof maCrossoverConfigSchema>;
/** MA-crossover configuration as written in config files (every key optional). */
export type MaCrossoverConfigInput = z.input<typeof maCrossoverConfigSchema>;

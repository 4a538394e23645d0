/** Configuration of the RSI + Bollinger Bands mean-reversion strategy, validated with zod. */
import { z } from "zod";
import { orderTypeField, qtyField, timeframeField } from "../_config_fields.ts";

/** Schema of RsiBollingerConfig: snake_case keys, every one defaulted. */
export const rsiBollingerConfigSchema = z.object({
  /** Bars of this timeframe drive the strategy; others are ignored. */
  timeframe: timeframeField.default("1m"),
  /** Wilder RSI period, in bars. */
  rsi_period: z.number().int().min(1).default(14),
  /** Bollinger window, in bars. */
  bb_period: z.number().int().min(2).default(20),
  /** Band width in population standard deviations. */
  bb_k: z.number().positive().max(10).default(2),
  /** RSI below this (with the close under the lower band) is oversold: buy. */
  oversold: z.number().min(0).max(100).default(30),
  /** RSI above this exits a long (and, with allow_short, opens a short above the upper band). */
  overbought: z.number().min(0).max(100).default(70),
  /** Entry size in the instrument's quantity units as a decimal string (converted to lots). */
  qty: qtyField.default("1"),
  /** When true the mirror-image short side trades too. */
  allow_short: z.boolean().default(false),
  /** Market orders by default; limit entries are priced at the signalling bar's close. */
  order_type: orderTypeField.default("market"),
}).strict().refine((c) => c.oversold < c.overbought, {
  message: "'oversold' must be < 'overbought'",
  path: ["oversold"],
});

/** Validated RSI/Bollinger configuration (defaults applied). */
export type RsiBollingerConfig = z.infer<typeof rsiBollingerConfigSchema>;
/** RSI/Bollinger configuration as written in config files (every key optional). */
export type RsiBollingerConfigInput = z.input<typeof rsiBollingerConfigSchema>;

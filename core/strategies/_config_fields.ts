/** zod fields every built-in strategy's config shares; private to core/strategies. */
import { z } from "zod";
import { parseTimeframe, timeframeLabel } from "../data/timeframe.ts";

/** A bar timeframe label, rewritten to its canonical form ("60s" → "1m") so it matches bars. */
export const timeframeField = z.string().refine((s) => {
  try {
    parseTimeframe(s);
    return true;
  } catch {
    return false;
  }
}, "'timeframe' must look like 1s, 1m, 5m, 1h or 1d and divide a day").transform((s) =>
  timeframeLabel(parseTimeframe(s))
);

/**
 * An entry size in the instrument's quantity units as a positive decimal string; the strategy
 * converts it to lots with parseQty once it knows the instrument's precision.
 */
export const qtyField = z.string()
  .regex(/^\d+(\.\d+)?$/, '\'qty\' must be a decimal string such as "1" or "0.5"')
  .refine((s) => /[1-9]/.test(s), "'qty' must be > 0");

/** Market orders by default; limit entries are priced at the signalling bar's close. */
export const orderTypeField = z.enum(["market", "limit"]);

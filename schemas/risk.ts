/**
 * Risk limits as configured: snake_case keys, money as decimal strings (exact, parsed to Cash by
 * core/risk/limits.ts), quantities as decimal strings in base-asset units (converted to each
 * instrument's lots), basis points as integers. `riskConfigSchema.parse({})` is the default.
 * Imports only zod so any layer (and the main config schema) can embed it.
 */
import { z } from "zod";

// Kept in step with schemas/config.ts's symbol rule; not imported so this leaf imports only zod.
const SYMBOL_RE = /^[A-Z0-9.]{1,12}(\/[A-Z0-9]{1,8})?$/;
const DECIMAL_RE = /^\d+(\.\d+)?$/;

const money = z.string().regex(DECIMAL_RE, 'must be a non-negative decimal string such as "10000"');
const quantity = z.string().regex(
  DECIMAL_RE,
  'must be a non-negative decimal string such as "100"',
);

/** Limits that may differ per symbol; each symbol override sets any subset of them. */
export const symbolRiskLimitsSchema = z.object({
  /** Cap on |position| × price, quote currency. */
  max_position_value: money,
  /** Cap on one order's qty × price, quote currency. */
  max_order_value: money,
  /** Cap on one order's quantity, base-asset units. */
  max_quantity: quantity,
  /** Working orders allowed at once on the symbol (0 blocks new orders). */
  max_open_orders: z.number().int().min(0).max(1_000_000),
  /** Largest distance of a limit price from mid, in basis points. */
  price_collar_bps: z.number().int().min(1).max(100_000),
  /** Whether orders may open or grow a short. */
  short_selling: z.boolean(),
}).strict();

/** Per-symbol limits as resolved by defaults. */
export type SymbolRiskLimitsConfig = z.infer<typeof symbolRiskLimitsSchema>;

const DEFAULT_LIMITS: SymbolRiskLimitsConfig = {
  max_position_value: "100000",
  max_order_value: "25000",
  max_quantity: "10000",
  max_open_orders: 20,
  price_collar_bps: 100,
  short_selling: false,
};

/** The `risk` section of the configuration. */
export const riskConfigSchema = z.object({
  defaults: z.object({
    max_position_value: money.default(DEFAULT_LIMITS.max_position_value),
    max_order_value: money.default(DEFAULT_LIMITS.max_order_value),
    max_quantity: quantity.default(DEFAULT_LIMITS.max_quantity),
    max_open_orders: symbolRiskLimitsSchema.shape.max_open_orders.default(
      DEFAULT_LIMITS.max_open_orders,
    ),
    price_collar_bps: symbolRiskLimitsSchema.shape.price_collar_bps.default(
      DEFAULT_LIMITS.price_collar_bps,
    ),
    short_selling: z.boolean().default(DEFAULT_LIMITS.short_selling),
  }).strict().default(DEFAULT_LIMITS),
  /** Session loss (realized + unrealized) beyond which only reducing orders pass. */
  max_daily_loss: money.default("5000"),
  /** Peak-to-current equity drop beyond which the kill switch halts. */
  max_drawdown: money.default("10000"),
  /** Orders the account may send in any one-second window. */
  max_orders_per_second: z.number().int().min(1).max(1_000_000).default(10),
  /** Per-symbol overrides of `defaults`. */
  symbols: z.record(
    z.string().regex(SYMBOL_RE, "must be an upper-case symbol like AAPL or BTC/USD"),
    symbolRiskLimitsSchema.partial(),
  ).default({}),
}).strict();

/** The parsed `risk` config section, defaults applied. */
export type RiskConfig = z.infer<typeof riskConfigSchema>;

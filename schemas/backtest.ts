/**
 * A backtest request, as the CLI, notebooks and HTTP functions give it: snake_case keys, every
 * value checked with its range. `backtestSpecSchema.parse({strategy, data})` fills the defaults.
 */
import { z } from "zod";
import { riskConfigSchema } from "./risk.ts";
import { symbolSchema } from "./config.ts";

const DECIMAL_RE = /^\d+(\.\d+)?$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/;
const TIMEFRAME_RE = /^([1-9]\d{0,4})([smhd])$/;

/** A backtest request. */
export const backtestSpecSchema = z.object({
  strategy: z.enum(["ma_crossover", "rsi_bollinger"]),
  /** The strategy's own parameters (checked by its schema). */
  params: z.record(z.string(), z.unknown()).default({}),
  /** CSV / JSON-lines files of bars, trades or quotes, merged in time order. */
  data: z.array(z.string().min(1)).min(1),
  /** Instruments; default: from the file names. */
  symbols: z.array(symbolSchema).min(1).optional(),
  /** First day (or instant) traded, UTC. */
  from: z.string().regex(DATE_RE, "must be a date YYYY-MM-DD or an RFC 3339 time").optional(),
  /** Last day traded (inclusive), or the instant the run stops before. */
  to: z.string().regex(DATE_RE, "must be a date YYYY-MM-DD or an RFC 3339 time").optional(),
  cash: z.string().regex(DECIMAL_RE, "must be a positive decimal amount such as 100000")
    .refine((c) => /[1-9]/.test(c), "must be more than 0").default("100000"),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  /** Submit-to-venue delay. */
  latency_ms: z.number().min(0).max(60_000).default(0),
  slippage: z.enum(["none", "fixed_bps", "spread_share", "volume"]).default("none"),
  /** fixed_bps: bps paid on market and stop fills. */
  slippage_bps: z.number().min(0).max(1000).default(0),
  /** spread_share: share of the spread paid beyond the mid (0.5 = at the touch). */
  spread_share: z.number().min(0).max(1).default(0.5),
  /** spread_share on data without quotes: the spread assumed, in bps. */
  assumed_spread_bps: z.number().min(0).max(1000).default(2),
  /** volume: bps paid by an order the size of the bar's whole volume (linear below). */
  impact_bps: z.number().min(0).max(1000).default(10),
  /** Limit orders fill when the price touches the limit, not only when it trades through. */
  fill_on_touch: z.boolean().default(false),
  /** Largest share of a bar's (or print's) volume one side may fill; absent = no cap. */
  participation_rate: z.number().min(0.000001, "must be at least 0.000001 (1 ppm)").max(1)
    .optional(),
  fee_per_share: z.string().regex(DECIMAL_RE, "must be a decimal amount").default("0"),
  fee_bps: z.number().min(0).max(1000).default(0),
  /** Least an order pays in fees once it fills. */
  fee_min: z.string().regex(DECIMAL_RE, "must be a decimal amount").default("0"),
  /** Pre-trade risk limits, as in the core's config. */
  risk: riskConfigSchema.optional(),
  /** Bar timeframes built from trades (trade and quote data). */
  timeframes: z.array(z.string().regex(TIMEFRAME_RE, "must look like 1s, 1m, 5m, 1h or 1d"))
    .min(1).max(8).default(["1m"]),
}).strict();

/** A validated backtest request. */
export type BacktestSpec = z.infer<typeof backtestSpecSchema>;
/** A backtest request before defaults. */
export type BacktestSpecInput = z.input<typeof backtestSpecSchema>;

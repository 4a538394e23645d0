/**
 * The configuration schema: every key snake_case, every value validated with its allowed range.
 * Defaults live here and nowhere else; `configSchema.parse({})` is the default config.
 */
import { z } from "zod";
import { riskConfigSchema } from "./risk.ts";

const SYMBOL_RE = /^[A-Z0-9.]{1,12}(\/[A-Z0-9]{1,8})?$/;
const TIMEFRAME_RE = /^([1-9]\d{0,4})([smhd])$/;

/** A venue symbol such as `AAPL` or `BTC/USD`. */
export const symbolSchema = z.string().regex(
  SYMBOL_RE,
  "must be an upper-case symbol like AAPL or BTC/USD",
);

/** Settings of the embedded simulator's synthetic feed. */
export const simConfigSchema = z.object({
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42),
  rate_per_symbol: z.number().positive().max(100_000).default(100),
  drift: z.number().min(-10).max(10).default(0),
  volatility: z.number().min(0).max(10).default(0.4),
  spread_bps: z.number().positive().max(10_000).default(2),
  depth_levels: z.number().int().min(1).max(200).default(10),
  trade_probability: z.number().min(0).max(1).default(0.3),
  start_prices: z.record(z.string(), z.number().positive().max(1e7)).default({
    AAPL: 190,
    MSFT: 420,
    "BTC/USD": 60000,
  }),
  frame_interval_ms: z.number().int().min(1).max(1000).default(10),
  /** Delay of the simulated broker's acknowledgements and order reports. */
  latency_ms: z.number().int().min(0).max(60_000).default(5),
  /** Cash the simulated account starts with, quote currency. */
  starting_cash: z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal string such as "100000"')
    .default("100000"),
  /** Fee per fill in basis points of notional. */
  fee_bps: z.number().min(0).max(1000).default(0),
  /** Fill resting limits when a trade prints at (not only through) their price. */
  fill_on_touch: z.boolean().default(false),
}).strict();

/** One recorded file to replay. */
export const replayFileSchema = z.object({
  path: z.string().min(1),
  symbol: symbolSchema.optional(),
  timeframe: z.string().regex(TIMEFRAME_RE, "must look like 1m or 1d").optional(),
}).strict();

/** Settings of the replay feed. */
export const replayConfigSchema = z.object({
  files: z.array(replayFileSchema).default([]),
  /** 1 = real time, N = N× faster, 0 = as fast as possible. */
  speed: z.number().min(0).max(1_000_000).default(1),
}).strict();

/** How bars are built. */
export const barsConfigSchema = z.object({
  timeframes: z.array(z.string().regex(TIMEFRAME_RE, "must look like 1s, 1m, 5m, 1h or 1d")).min(1)
    .max(8)
    .default(["1s", "1m", "5m"]),
  empty: z.enum(["flat", "skip"]).default("flat"),
  history: z.number().int().min(1).max(100_000).default(120),
  close_grace_ms: z.number().int().min(0).max(60_000).default(0),
}).strict();

/** Execution settings: slippage protection and the venue request budget. */
export const executionConfigSchema = z.object({
  max_slippage_bps: z.number().positive().max(10_000).default(50),
  max_spread_bps: z.number().positive().max(10_000).default(50),
  rate_limit_per_minute: z.number().int().min(1).max(100_000).default(200),
  rate_limit_burst: z.number().int().min(1).max(100_000).default(10),
  max_queued_requests: z.number().int().min(0).max(100_000).default(100),
  client_order_prefix: z.string().regex(/^[A-Za-z0-9-]{1,16}$/).default("drt"),
  /**
   * Finished orders (and fills) kept in memory for the API. At least 1,000: a fill first reported
   * after this many later fills is taken for a repeat (see core/kernel/finished_retention.ts).
   */
  keep_finished_orders: z.number().int().min(1_000).max(10_000_000).default(10_000),
}).strict().refine((e) => e.rate_limit_burst <= e.rate_limit_per_minute, {
  message: "must not exceed rate_limit_per_minute",
  path: ["rate_limit_burst"],
});

/** One strategy instance: its kind, the symbols it trades and its parameters (checked by the kind's own schema). */
export const strategyConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, "must be 1-40 of a-z, 0-9, _ and -"),
  kind: z.enum(["ma_crossover", "rsi_bollinger"]),
  symbols: z.array(symbolSchema).min(1),
  params: z.record(z.string(), z.unknown()).default({}),
}).strict();

/** Alpaca endpoints and feed choice; keys come from APCA_API_KEY_ID / APCA_API_SECRET_KEY only. */
export const alpacaConfigSchema = z.object({
  /** Market-data stream base (wss://stream.data.alpaca.markets, or a sim-server's ws://127.0.0.1:N). */
  data_stream_url: z.string().regex(/^wss?:\/\/\S+$/, "must be a ws:// or wss:// URL").default(
    "wss://stream.data.alpaca.markets",
  ),
  /** Stocks feed: iex (free), sip (paid) or test (FAKEPACA, always on). */
  data_feed: z.enum(["iex", "sip", "test"]).default("iex"),
  encoding: z.enum(["json", "msgpack"]).default("msgpack"),
  /** Trading REST base; default paper-api or api.alpaca.markets by venue (or a sim-server's http://127.0.0.1:N). */
  trading_url: z.string().regex(/^https?:\/\/\S+$/, "must be an http:// or https:// URL")
    .optional(),
  /** trade_updates stream; default the trading base with ws(s):// and /stream. */
  trade_stream_url: z.string().regex(/^wss?:\/\/\S+$/, "must be a ws:// or wss:// URL")
    .optional(),
  /** Market-data REST base: bar backfill after a stream gap. */
  data_url: z.string().regex(/^https?:\/\/\S+$/, "must be an http:// or https:// URL").default(
    "https://data.alpaca.markets",
  ),
}).strict();

/** The whole core configuration. */
export const configSchema = z.object({
  venue: z.enum(["sim", "replay", "alpaca-paper", "alpaca-live"]).default("sim"),
  alpaca: alpacaConfigSchema.default(alpacaConfigSchema.parse({})),
  symbols: z.array(symbolSchema).min(1).max(10_000).default(["AAPL", "MSFT", "BTC/USD"])
    .refine((s) => new Set(s).size === s.length, "must not repeat a symbol"),
  port: z.number().int().min(0).max(65_535).default(8000),
  hostname: z.string().min(1).default("127.0.0.1"),
  data_dir: z.string().min(1).default("./data"),
  /** JSON-lines file the feed's trades and top-of-book quotes are recorded to (replayable, backtestable). */
  record_path: z.string().min(1).optional(),
  instruments: z.record(
    symbolSchema,
    z.object({
      price_decimals: z.number().int().min(0).max(9).optional(),
      qty_decimals: z.number().int().min(0).max(9).optional(),
    }).strict(),
  ).default({}),
  sim: simConfigSchema.default(simConfigSchema.parse({})),
  replay: replayConfigSchema.default(replayConfigSchema.parse({})),
  bars: barsConfigSchema.default(barsConfigSchema.parse({})),
  book: z.object({ max_levels: z.number().int().min(1).max(100_000).default(5000) }).strict()
    .default({
      max_levels: 5000,
    }),
  ring: z.object({
    capacity: z.number().int().min(2).max(1 << 24).refine(
      (n) => (n & (n - 1)) === 0,
      "must be a power of two",
    )
      .default(65_536),
    full_wait_ms: z.number().int().min(0).max(60_000).default(1000),
  }).strict().default({ capacity: 65_536, full_wait_ms: 1000 }),
  stale_after_s: z.number().positive().max(86_400).default(5),
  summary_interval_s: z.number().min(0).max(3600).default(1),
  max_frame_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(4 * 1024 * 1024),
  execution: executionConfigSchema.default(executionConfigSchema.parse({})),
  journal: z.object({
    /** Journal entries between checkpoints (each folds the journal into the kernel's state). */
    checkpoint_every: z.number().int().min(100).max(10_000_000).default(10_000),
  }).strict().default({ checkpoint_every: 10_000 }),
  risk: riskConfigSchema.default(riskConfigSchema.parse({})),
  /** Strategies to run; the default trades the sim venue's symbols so `deno task live` shows the whole loop. */
  strategies: z.array(strategyConfigSchema).max(1000).default([
    {
      id: "ma_stocks",
      kind: "ma_crossover",
      symbols: ["AAPL", "MSFT"],
      params: { timeframe: "1s", fast: 5, slow: 20, qty: "10" },
    },
    {
      id: "meanrev_btc",
      kind: "rsi_bollinger",
      symbols: ["BTC/USD"],
      params: { timeframe: "1s", qty: "0.01" },
    },
  ]),
}).strict();

/** Validated core configuration. */
export type Config = z.infer<typeof configSchema>;
/** Validated sim feed settings. */
export type SimConfig = z.infer<typeof simConfigSchema>;
/** Validated Alpaca settings. */
export type AlpacaConfig = z.infer<typeof alpacaConfigSchema>;
/** Validated replay settings. */
export type ReplayConfig = z.infer<typeof replayConfigSchema>;

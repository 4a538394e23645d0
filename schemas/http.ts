/**
 * HTTP request and response shapes. Money and quantities travel as decimal strings; times as
 * epoch microseconds (integers) plus RFC 3339 where a person reads them.
 */
import { z } from "zod";

/** Every HTTP error: `{"error": {"code", "message", "field"?}}`. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
/** An HTTP error body. */
export type ErrorBody = z.infer<typeof errorBodySchema>;

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string such as "1.5"');

// A query parameter that must be a whole number ("abc" would otherwise read "received nan").
const wholeNumber = z.coerce.number({
  error: (issue) => issue.code === "invalid_type" ? "must be a whole number" : undefined,
}).int();

/** GET /api/books/:symbol?depth=N */
export const bookQuerySchema = z.object({
  depth: wholeNumber.min(1).max(1000).default(10),
}).strict();

/** GET /api/bars/:symbol?timeframe=1m&limit=N */
export const barsQuerySchema = z.object({
  timeframe: z.string().default("1m"),
  limit: wholeNumber.min(1).max(100_000).default(100),
  partial: z.enum(["true", "false"]).default("false"),
}).strict();

/** One instrument as /api/instruments lists it. */
export const instrumentSchema = z.object({
  symbol: z.string(),
  id: z.string(),
  asset_class: z.enum(["us_equity", "crypto"]),
  price_decimals: z.number().int(),
  qty_decimals: z.number().int(),
});
/** An instrument on the wire. */
export type InstrumentJson = z.infer<typeof instrumentSchema>;

/** A price level on the wire. */
export const levelSchema = z.object({ price: decimal, size: decimal });

/** GET /api/books/:symbol */
export const bookSchema = z.object({
  symbol: z.string(),
  bids: z.array(levelSchema),
  asks: z.array(levelSchema),
  best_bid: decimal.nullable(),
  best_ask: decimal.nullable(),
  spread: decimal.nullable(),
  mid: decimal.nullable(),
  crossed: z.boolean(),
  venue_time: z.number().int(),
  recv_time: z.number().int(),
});
/** A book on the wire. */
export type BookJson = z.infer<typeof bookSchema>;

/** A bar on the wire, stamped at its close (`time` = end). */
export const barSchema = z.object({
  symbol: z.string(),
  timeframe: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  time: z.string(),
  open: decimal,
  high: decimal,
  low: decimal,
  close: decimal,
  volume: decimal,
  vwap: z.number(),
  trade_count: z.number().int(),
  empty: z.boolean(),
  source: z.enum(["aggregated", "venue"]),
  partial: z.boolean(),
});
/** A bar on the wire. */
export type BarJson = z.infer<typeof barSchema>;

/** Per-symbol freshness in /health. */
export const symbolHealthSchema = z.object({
  symbol: z.string(),
  last_update_age_s: z.number().nullable(),
  stale: z.boolean(),
});

/** GET /health */
export const healthSchema = z.object({
  status: z.enum(["ok", "degraded", "starting", "stopping"]),
  venue: z.string(),
  feed: z.enum(["starting", "running", "ended", "failed", "stopped"]),
  uptime_s: z.number(),
  stale_after_s: z.number(),
  symbols: z.array(symbolHealthSchema),
  ring: z.object({
    capacity: z.number().int(),
    occupancy: z.number().int(),
    dropped: z.number().int(),
    conflated: z.number().int(),
  }),
  /** Present when the venue trades: start-up reconciliation and the kill switch. */
  trading: z.object({
    ready: z.boolean(),
    reconcile: z.enum(["ok", "mismatch"]),
    differences: z.array(z.object({ kind: z.string(), symbol: z.string(), detail: z.string() })),
    kill_switch: z.enum(["active", "reducing", "halted"]),
  }).optional(),
});
/** Health on the wire. */
export type HealthJson = z.infer<typeof healthSchema>;

/** GET /api/orders query. */
export const ordersQuerySchema = z.object({
  status: z.enum([
    "pending_new",
    "new",
    "partially_filled",
    "filled",
    "canceled",
    "rejected",
    "expired",
    "replaced",
    "open",
  ])
    .optional(),
  symbol: z.string().min(1).max(20).optional(),
  limit: wholeNumber.min(1).max(10_000).default(100),
}).strict();

/** GET /api/fills query. */
export const fillsQuerySchema = z.object({
  symbol: z.string().min(1).max(20).optional(),
  limit: wholeNumber.min(1).max(10_000).default(100),
}).strict();

/** POST /api/kill-switch body: `{"on": true}` halts, `{"on": false}` re-activates; or an explicit `state`. */
export const killSwitchBodySchema = z.object({
  on: z.boolean().optional(),
  state: z.enum(["active", "reducing", "halted"]).optional(),
  reason: z.string().max(200).optional(),
}).strict().refine((b) => (b.on === undefined) !== (b.state === undefined), {
  message: "give exactly one of 'on' (true or false) and 'state' (active, reducing or halted)",
  path: ["on"],
});
/** A kill-switch request. */
export type KillSwitchBody = z.infer<typeof killSwitchBodySchema>;

/** POST /api/orders body: a manual order, checked by risk like any other. */
export const manualOrderSchema = z.object({
  symbol: z.string().min(1).max(20),
  side: z.enum(["buy", "sell"]),
  qty: decimal,
  type: z.enum(["market", "limit"]).default("market"),
  limit_price: decimal.optional(),
  tif: z.enum(["day", "gtc", "ioc", "fok"]).default("day"),
}).strict().refine((o) => o.type !== "limit" || o.limit_price !== undefined, {
  message: "is required for a limit order",
  path: ["limit_price"],
});
/** A manual order request. */
export type ManualOrderBody = z.infer<typeof manualOrderSchema>;

/** An order on the wire. */
export interface OrderJson {
  readonly client_order_id: string;
  readonly venue_order_id: string;
  readonly symbol: string;
  readonly side: string;
  readonly type: string;
  readonly tif: string;
  readonly qty: string;
  readonly filled_qty: string;
  readonly limit_price: string | null;
  readonly stop_price: string | null;
  readonly status: string;
  readonly source: string;
  readonly reason: string;
  readonly created_at: number;
  readonly updated_at: number;
}

/** A fill on the wire. */
export interface FillJson {
  readonly fill_id: string;
  readonly client_order_id: string;
  readonly symbol: string;
  readonly side: string;
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly liquidity: string;
  readonly time: number;
}

/** A position on the wire. */
export interface PositionJson {
  readonly symbol: string;
  readonly qty: string;
  readonly avg_price: string;
  readonly market_value: string;
  readonly cost_basis: string;
  readonly unrealized_pnl: string;
  readonly realized_pnl: string;
  readonly fees: string;
}

/** GET /api/pnl. */
export interface PnlJson {
  readonly cash: string;
  readonly equity: string;
  readonly realized: string;
  readonly unrealized: string;
  readonly fees: string;
  readonly daily_pnl: string;
  readonly session_start: number | null;
  readonly by_symbol: ReadonlyArray<
    { readonly symbol: string; readonly realized: string; readonly unrealized: string }
  >;
}

/**
 * Orders, fills and signals as values. Prices are integer ticks and quantities integer lots of
 * the instrument; money is Cash (bigint, see money.ts); times are epoch microseconds.
 */
import type { Cash } from "./money.ts";

/** Buy or sell. */
export type OrderSide = "buy" | "sell";
/** Order types the engine routes (venues may support more). */
export type OrderType = "market" | "limit" | "stop" | "stop_limit";
/** How long an order stays working. */
export type TimeInForce = "day" | "gtc" | "ioc" | "fok";
/** Lifecycle states; see core/execution/order_state.ts for the legal transitions. */
export type OrderStatus =
  | "pending_new"
  | "new"
  | "partially_filled"
  | "filled"
  | "canceled"
  | "rejected"
  | "expired"
  | "replaced";

/** What the engine asks a venue to do. */
export interface OrderRequest {
  /** Deterministic id (clock + counter), reused by every retry of the same order. */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  /** Quantity in lots, > 0. */
  readonly qty: number;
  /** Limit price in ticks (limit, stop_limit), else 0. */
  readonly limitPrice: number;
  /** Stop trigger in ticks (stop, stop_limit), else 0. */
  readonly stopPrice: number;
  /** Strategy that asked for it, or "manual". */
  readonly source: string;
  readonly createdAt: number;
}

/** One execution against an order. */
export interface Fill {
  /** Venue-unique execution id. */
  readonly fillId: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** Lots filled in this execution. */
  readonly qty: number;
  /** Execution price in ticks. */
  readonly price: number;
  /** Fee charged for this execution (quote currency). */
  readonly fee: Cash;
  /** Liquidity: maker (resting) or taker (crossing). */
  readonly liquidity: "maker" | "taker";
  readonly venueTime: number;
  readonly recvTime: number;
}

/** What a strategy wants; risk turns it into an order or a rejection. */
export interface Signal {
  readonly strategyId: string;
  readonly symbol: string;
  /** buy/sell add exposure in that direction; close flattens the position. */
  readonly action: "buy" | "sell" | "close";
  /** 0..1, informational (sizing may use it). */
  readonly confidence: number;
  /** Quantity in lots; 0 lets `targetNotional` decide. */
  readonly qty: number;
  /** Notional to trade when qty is 0. */
  readonly targetNotional: Cash;
  readonly orderType: "market" | "limit";
  /** Limit price in ticks for limit orders, else 0. */
  readonly limitPrice: number;
  readonly time: number;
}

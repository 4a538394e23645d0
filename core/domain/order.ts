/**
 * Orders, fills and signals as values. Prices are integer ticks and quantities integer lots of
 * the instrument; money is Cash (bigint, see money.ts); times are epoch microseconds.
 */
import type { Cash } from "./money.ts";

/** Buy or sell. */
export type OrderSide = "buy" | "sell";
/** Every order side. */
export const ORDER_SIDES: readonly OrderSide[] = ["buy", "sell"];
/**
 * Order types. The engine's own matching (core/matching) takes the first four and rejects
 * trailing_stop; Alpaca (and the sim server in front of it) executes all five.
 */
export type OrderType = "market" | "limit" | "stop" | "stop_limit" | "trailing_stop";
/** Every order type. */
export const ORDER_TYPES: readonly OrderType[] = [
  "market",
  "limit",
  "stop",
  "stop_limit",
  "trailing_stop",
];
/**
 * How long an order stays working. opg / cls are Alpaca's opening / closing auction orders
 * (market or limit on open / close); core/matching rejects them, having no auctions.
 */
export type TimeInForce = "day" | "gtc" | "opg" | "cls" | "ioc" | "fok";
/** Every time in force. */
export const TIMES_IN_FORCE: readonly TimeInForce[] = ["day", "gtc", "opg", "cls", "ioc", "fok"];
/**
 * Alpaca's order classes: one order, or an entry with exit legs (bracket: take-profit and
 * stop-loss; oto: one of them) or two exit legs that cancel each other (oco).
 */
export type OrderClass = "simple" | "bracket" | "oco" | "oto";

/** The take-profit leg of a bracket, oco or oto order: a limit order, price in ticks. */
export interface TakeProfitLeg {
  readonly limitPrice: number;
}

/**
 * The stop-loss leg of a bracket, oco or oto order, prices in ticks: a stop order, or a
 * stop_limit one when `limitPrice` is given.
 */
export interface StopLossLeg {
  readonly stopPrice: number;
  readonly limitPrice?: number;
}

/** Lifecycle states; see core/execution/order_state.ts for the legal transitions. */
export const ORDER_STATUSES = [
  "pending_new",
  "new",
  "partially_filled",
  "filled",
  "canceled",
  "rejected",
  "expired",
  "replaced",
] as const;
/** An order's lifecycle state (ORDER_STATUSES). */
export type OrderStatus = typeof ORDER_STATUSES[number];

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
  /** Limit price in ticks (limit, stop_limit; an oco order: its take-profit), else 0. */
  readonly limitPrice: number;
  /** Stop trigger in ticks (stop, stop_limit), else 0. */
  readonly stopPrice: number;
  /** Strategy that asked for it, or "manual". */
  readonly source: string;
  readonly createdAt: number;
  /**
   * trailing_stop only, this or trailPercent: the trail in ticks below the high water mark (sell)
   * or above the low one (buy).
   */
  readonly trailPrice?: number;
  /**
   * trailing_stop only, this or trailPrice: the trail as a percent of the water mark (1.5 =
   * 1.5 %), a plain decimal number sent as its shortest decimal string.
   */
  readonly trailPercent?: number;
  /** May also execute in pre-market and after-hours (Alpaca: limit day orders only). */
  readonly extendedHours?: boolean;
  /** Absent means "simple". */
  readonly orderClass?: OrderClass;
  /** bracket and oco: required; oto: this or stopLoss. */
  readonly takeProfit?: TakeProfitLeg;
  /** bracket and oco: required; oto: this or takeProfit. */
  readonly stopLoss?: StopLossLeg;
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

/**
 * The trading half of the Venue seam: what the execution layer needs from a broker. The sim venue
 * implements it over the matching engine; the Alpaca adapter over Alpaca's REST API and
 * trade_updates stream. Calls reject with VenueError so the router can sort failures.
 */
import type { Cash } from "../domain/money.ts";
import type { Fill, OrderRequest, OrderStatus } from "../domain/order.ts";

/** An order as the venue reports it. */
export interface VenueOrder {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly request: OrderRequest;
  readonly status: OrderStatus;
  /** Lots filled so far. */
  readonly filledQty: number;
  readonly updatedAt: number;
}

/**
 * A VenueOrder the engine writes itself, where the venue gave none: an order refused before the
 * venue answered, or one closed by reconciliation.
 */
export function localVenueOrder(
  request: OrderRequest,
  status: OrderStatus,
  filledQty: number,
  updatedAt: number,
  venueOrderId = "",
): VenueOrder {
  return {
    clientOrderId: request.clientOrderId,
    venueOrderId,
    request,
    status,
    filledQty,
    updatedAt,
  };
}

/** A position as the venue reports it. */
export interface VenuePosition {
  readonly symbol: string;
  /** Signed lots: > 0 long, < 0 short. */
  readonly qty: number;
}

/** Account balances as the venue reports them. */
export interface VenueAccount {
  readonly cash: Cash;
  readonly buyingPower: Cash;
  readonly equity: Cash;
}

/** An asynchronous order report (Alpaca's trade_updates). */
export interface TradeUpdate {
  readonly event:
    | "accepted"
    | "partial_fill"
    | "fill"
    | "canceled"
    | "rejected"
    | "expired"
    | "replaced";
  readonly order: VenueOrder;
  /** Present on partial_fill and fill. */
  readonly fill?: Fill;
  /** Present on rejected. */
  readonly reason?: string;
}

/** Broker operations. */
export interface TradingClient {
  /** Places an order; resolves with the venue's acknowledgement. */
  submitOrder(request: OrderRequest): Promise<VenueOrder>;
  /**
   * In-process venues only: places an order and answers within the call, returning the order or
   * throwing a VenueError; the reports it causes reach the handlers before it returns.
   */
  submitOrderNow?(request: OrderRequest): VenueOrder;
  /** Requests cancellation; the outcome arrives as a trade update. */
  cancelOrder(clientOrderId: string): Promise<void>;
  /** Replaces a working order with `next` (a new client order id). */
  replaceOrder(clientOrderId: string, next: OrderRequest): Promise<VenueOrder>;
  /** Looks an order up by client order id; undefined when the venue never received it. */
  getOrderByClientId(clientOrderId: string): Promise<VenueOrder | undefined>;
  /** Orders still working. */
  openOrders(): Promise<VenueOrder[]>;
  /** Non-flat positions. */
  positions(): Promise<VenuePosition[]>;
  /** Balances. */
  account(): Promise<VenueAccount>;
  /**
   * Fills after `afterFillId` (the last one the engine holds, executed at `sinceMicros`), oldest
   * first: how fills missed while reports were not flowing are recovered. May repeat fills the
   * engine holds (it drops them by id); nothing is missed.
   */
  fillsSince(afterFillId: string | undefined, sinceMicros?: number): Promise<Fill[]>;
  /** Subscribes to order reports. */
  onTradeUpdate(handler: (update: TradeUpdate) => void): void;
}

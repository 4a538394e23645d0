/**
 * Market events as the engine publishes them. Prices and sizes are integer units of the
 * instrument; every event carries the venue's time and deno_rt's receive time (epoch µs).
 */

/** Which side of the book a level or aggressor is on. */
export const enum Side {
  Bid = 0,
  Ask = 1,
}

/** Aggressor side of a trade when the venue reports it. */
export type TakerSide = "buy" | "sell" | "unknown";

/** A trade print. */
export interface Trade {
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
  readonly tradeId: number;
  readonly takerSide: TakerSide;
  readonly venueTime: number;
  readonly recvTime: number;
}

/** Top of book as the venue quotes it. */
export interface Quote {
  readonly symbol: string;
  readonly bidPrice: number;
  readonly bidSize: number;
  readonly askPrice: number;
  readonly askSize: number;
  readonly venueTime: number;
  readonly recvTime: number;
}

/** An OHLCV bar, stamped at its close (`venueTime === end`). */
export interface Bar {
  readonly symbol: string;
  /** Timeframe label, e.g. `1m`. */
  readonly timeframe: string;
  /** Interval start (inclusive), epoch µs. */
  readonly start: number;
  /** Interval end (exclusive), epoch µs; the bar's timestamp. */
  readonly end: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** Volume-weighted average price in price units (a float: an indicator, not money). */
  readonly vwap: number;
  readonly tradeCount: number;
  /** True when the interval had no trades and the bar repeats the previous close. */
  readonly empty: boolean;
  /** `aggregated` from trades here, or `venue` when a feed delivered the bar itself. */
  readonly source: "aggregated" | "venue";
  readonly venueTime: number;
  readonly recvTime: number;
}

/** One price level. */
export interface BookLevel {
  readonly price: number;
  readonly size: number;
}

/** A depth snapshot of one book. */
export interface BookSnapshot {
  readonly symbol: string;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  readonly venueTime: number;
  readonly recvTime: number;
}

/** Published on market.book after a batch of level updates: the new top of book. */
export interface BookUpdate {
  readonly symbol: string;
  /** Best bid price, or 0 when the side is empty. */
  readonly bestBid: number;
  readonly bestBidSize: number;
  /** Best ask price, or 0 when the side is empty. */
  readonly bestAsk: number;
  readonly bestAskSize: number;
  readonly crossed: boolean;
  readonly venueTime: number;
  readonly recvTime: number;
}

/** Published on system.heartbeat once a second. */
export interface Heartbeat {
  readonly time: number;
  readonly uptimeSeconds: number;
  readonly venue: string;
  readonly messagesIn: number;
  readonly ringOccupancy: number;
  readonly ringDropped: number;
  readonly ringConflated: number;
  readonly decodeErrors: number;
  /** Symbols with no update for longer than the stale threshold. */
  readonly stale: readonly string[];
}

// Small stub builders for the matching tests. AAPL prices are in 10^-4 dollars (tick 100 = one
// cent above $1), so 1_000_100 is $100.01; quantities are whole shares.
import { OrderBook } from "../../../core/data/order_book.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import type { OrderRequest, OrderSide, TimeInForce } from "../../../core/domain/order.ts";
import type { FillEvent, MatchEvent } from "../../../core/matching/match_event.ts";
import {
  MatchingEngine,
  type MatchingEngineOptions,
} from "../../../core/matching/matching_engine.ts";

export const BID = 0, ASK = 1;

/** $100.00 + n cents, in AAPL price units. */
export const usd100 = (cents: number): number => 1_000_000 + cents * 100;

/** A book with the given [price, size] levels per side. */
export function bookWith(
  levels: { bids?: Array<[number, number]>; asks?: Array<[number, number]> },
): OrderBook {
  const book = new OrderBook("AAPL");
  for (const [p, s] of levels.bids ?? []) book.apply(BID, p, s);
  for (const [p, s] of levels.asks ?? []) book.apply(ASK, p, s);
  return book;
}

/** An engine trading AAPL and BTC/USD. */
export function engineWith(options: MatchingEngineOptions = {}): MatchingEngine {
  return new MatchingEngine(new InstrumentTable(["AAPL", "BTC/USD"], "SIM"), options);
}

/** An AAPL day market buy of 100 unless overridden. */
export function req(clientOrderId: string, over: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId,
    symbol: "AAPL",
    side: "buy",
    type: "market",
    tif: "day",
    qty: 100,
    limitPrice: 0,
    stopPrice: 0,
    source: "test",
    createdAt: 0,
    ...over,
  };
}

/** A limit order request. */
export function limit(
  id: string,
  side: OrderSide,
  qty: number,
  price: number,
  tif: TimeInForce = "day",
): OrderRequest {
  return req(id, { side, qty, type: "limit", limitPrice: price, tif });
}

/** The event types, in order. */
export function types(events: readonly MatchEvent[]): string[] {
  return events.map((e) => e.type);
}

/** The fill events, in order. */
export function fills(events: readonly MatchEvent[]): FillEvent[] {
  return events.filter((e): e is FillEvent => e.type === "fill");
}

/** [clientOrderId, qty, price, liquidity] of each fill, for compact assertions. */
export function fillRows(events: readonly MatchEvent[]): Array<[string, number, number, string]> {
  return fills(events).map((
    e,
  ) => [e.fill.clientOrderId, e.fill.qty, e.fill.price, e.fill.liquidity]);
}

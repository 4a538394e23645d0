/**
 * Turns a strategy's signal into an order request: side and size from the action (close flattens
 * the position; a notional target becomes whole lots, rounded down so an order never exceeds what
 * was asked), time in force from the asset class, a fresh deterministic client order id.
 */
import type { Instrument } from "../domain/instrument.ts";
import { notional } from "../domain/money.ts";
import type { OrderRequest, Signal } from "../domain/order.ts";
import type { ManagedOrder } from "../execution/order_manager.ts";
import type { OrderIds } from "../execution/client_order_ids.ts";

/** Builds the order `signal` asks for, or returns the reason code why it cannot. */
export function orderForSignal(
  signal: Signal,
  inst: Instrument,
  position: number,
  markPrice: number,
  ids: OrderIds,
  now: number,
): OrderRequest | string {
  let side: "buy" | "sell";
  let qty = signal.qty;
  if (signal.action === "close") {
    if (position === 0) return "nothing_to_close";
    side = position > 0 ? "sell" : "buy";
    qty = Math.abs(position);
  } else {
    side = signal.action;
    if (qty <= 0) {
      const price = signal.limitPrice > 0 ? signal.limitPrice : markPrice;
      if (price <= 0) return "no_market_data";
      qty = Number(signal.targetNotional / notional(inst, price, 1));
    }
  }
  if (!Number.isSafeInteger(qty) || qty <= 0) return "zero_quantity";
  return {
    clientOrderId: ids.next(),
    symbol: signal.symbol,
    side,
    type: signal.orderType,
    // Alpaca's crypto orders take gtc/ioc only; a stock order lives for the day unless asked
    tif: inst.assetClass === "crypto" ? "gtc" : "day",
    qty,
    limitPrice: signal.orderType === "limit" ? signal.limitPrice : 0,
    stopPrice: 0,
    source: signal.strategyId,
    createdAt: now,
  };
}

/** The request replacing working `old`: a fresh id, the change applied, the rest as before. */
export function replacementFor(
  old: ManagedOrder,
  change: { qty?: number; limitPrice?: number },
  ids: OrderIds,
  now: number,
): OrderRequest {
  return {
    ...old.request,
    clientOrderId: ids.next(),
    qty: change.qty ?? old.request.qty - old.filledQty,
    limitPrice: change.limitPrice ?? old.request.limitPrice,
    createdAt: now,
  };
}

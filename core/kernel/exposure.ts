/**
 * Positions and working-order exposure per instrument, in the form pre-trade risk reads on every
 * check: signed position lots, lots still working per side, and the cash reserved by working buy
 * orders as a running total (so risk reads it in O(1), not by walking the open orders).
 */
import type { Instrument } from "../domain/instrument.ts";
import { type Cash, notional } from "../domain/money.ts";
import type { OrderRequest, OrderSide } from "../domain/order.ts";
import { OpenOrders } from "../execution/open_orders.ts";

/** Per-instrument positions and open quantities, plus reserved cash. */
export class Exposure {
  readonly positionQty: Float64Array;
  readonly openBuy: Float64Array;
  readonly openSell: Float64Array;
  // Per working buy: its price (the limit, or the mark when it was sent) and lots left, keyed by
  // the request object (no id string to hash; see OpenOrders for why not a Map).
  readonly #reserved = new OpenOrders<
    OrderRequest,
    { inst: Instrument; price: number; lots: number }
  >();
  #cash: Cash = 0n;

  /** Sized for `instruments` instruments. */
  constructor(instruments: number) {
    this.positionQty = new Float64Array(instruments);
    this.openBuy = new Float64Array(instruments);
    this.openSell = new Float64Array(instruments);
  }

  /** Cash reserved by working buy orders. */
  get reservedCash(): Cash {
    return this.#cash;
  }

  /** Counts a new working order; a buy reserves `qty` lots at `price` ticks. */
  open(request: OrderRequest, inst: Instrument, price: number): void {
    if (request.side === "sell") {
      this.openSell[inst.index]! += request.qty;
      return;
    }
    this.openBuy[inst.index]! += request.qty;
    this.#reserved.add(request, { inst, price, lots: request.qty });
    this.#cash += notional(inst, price, request.qty);
  }

  /**
   * Rebuilds one working order of a checkpoint: counted as new by open(), less the `filled` lots
   * already done (those are in the position, which restore sets apart).
   */
  restoreWorking(request: OrderRequest, inst: Instrument, price: number, filled: number): void {
    this.open(request, inst, price);
    if (request.side === "buy") {
      this.openBuy[inst.index] = Math.max(0, this.openBuy[inst.index]! - filled);
      this.#unreserve(request, filled);
    } else {
      this.openSell[inst.index] = Math.max(0, this.openSell[inst.index]! - filled);
    }
  }

  /**
   * Applies a fill: the position moves, the order's working lots and reservation shrink. `order`:
   * the request open() counted (undefined for a fill of an order never sent from here).
   */
  fill(inst: number, side: OrderSide, qty: number, order: OrderRequest | undefined): void {
    if (side === "buy") {
      this.positionQty[inst]! += qty;
      this.openBuy[inst] = Math.max(0, this.openBuy[inst]! - qty);
      if (order !== undefined) this.#unreserve(order, qty);
    } else {
      this.positionQty[inst]! -= qty;
      this.openSell[inst] = Math.max(0, this.openSell[inst]! - qty);
    }
  }

  /** Releases the unfilled `leaves` lots of the finished `order` (the request open() counted). */
  release(inst: number, side: OrderSide, leaves: number, order: OrderRequest): void {
    if (side === "buy") {
      this.openBuy[inst] = Math.max(0, this.openBuy[inst]! - leaves);
      this.#unreserve(order, Infinity);
    } else {
      this.openSell[inst] = Math.max(0, this.openSell[inst]! - leaves);
    }
  }

  /** Signed lots of `inst` with every working order filled. */
  withWorking(inst: number): number {
    return this.positionQty[inst]! + this.openBuy[inst]! - this.openSell[inst]!;
  }

  /** Releases the unfilled remainder of finished `order` of `inst` from the open quantities. */
  releaseOrder(inst: Instrument, order: { request: OrderRequest; filledQty: number }): void {
    const leaves = Math.max(0, order.request.qty - order.filledQty);
    this.release(inst.index, order.request.side, leaves, order.request);
  }

  #unreserve(order: OrderRequest, lots: number): void {
    const r = this.#reserved.get(order);
    if (r === undefined) return;
    const n = Math.min(lots, r.lots);
    r.lots -= n;
    this.#cash -= notional(r.inst, r.price, n);
    if (r.lots === 0) this.#reserved.delete(order);
  }
}

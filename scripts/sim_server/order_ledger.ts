/**
 * What the sim server remembers about orders and the account, built only from the SimTrading
 * venue's trade updates: the REST answers and the trade_updates stream then tell one story. It
 * adds what Alpaca's order object needs and VenueOrder lacks (UUID ids, timestamps, average fill
 * price, replace links), and mirrors the venue's account in a Portfolio fed the same fills.
 */
import type { InstrumentTable } from "../../core/domain/instrument.ts";
import { type Cash, notional } from "../../core/domain/money.ts";
import type { TradeUpdate, VenueOrder } from "../../core/execution/trading_client.ts";
import { Portfolio } from "../../core/portfolio/portfolio.ts";

/** One order as the server shows it. Times are epoch µs; links are client order ids. */
export interface OrderRecord {
  /** Alpaca-style UUID derived from the venue order id. */
  readonly id: string;
  order: VenueOrder;
  readonly createdAt: number;
  updatedAt: number;
  filledAt: number | undefined;
  canceledAt: number | undefined;
  expiredAt: number | undefined;
  replacedAt: number | undefined;
  /** Exact Σ price × qty of the fills; average price = filledNotional / filledQty. */
  filledNotional: Cash;
  replacedBy: string | undefined;
  replaces: string | undefined;
  readonly extendedHours: boolean;
  /** Notional as the client sent it, for notional orders. */
  readonly notional: string | undefined;
  /** Trailing stops and order-class members: live facts kept by AdvancedOrders. */
  readonly links: OrderLinks | undefined;
}

/**
 * What Alpaca shows of a trailing stop or a bracket / oco / oto member beyond the venue order:
 * owned and updated by AdvancedOrders, read by the JSON renderer (the record holds a reference).
 */
export interface OrderLinks {
  /** A bracket or oto exit leg waiting for its entry to fill: Alpaca's status "held". */
  readonly held: boolean;
  /** Trailing stop: high (sell) or low (buy) water mark in ticks, 0 before the first price. */
  readonly hwm: number;
  /** Trailing stop: the stop price the water mark gives now, ticks; 0 before the first price. */
  readonly stop: number;
  /** Client order ids of the order's legs (Alpaca's `legs`); empty for a leg or a single order. */
  readonly legs: readonly string[];
}

/** Extra request facts the venue does not carry, noted before the order is sent. */
export interface OrderExtras {
  readonly extendedHours: boolean;
  /** The client order id this order replaces (PATCH). */
  readonly replaces?: string;
  readonly notional?: string;
  readonly links?: OrderLinks;
}

/** Prefix of the ids AdvancedOrders gives orders the venue has not seen yet (parked, held). */
export const PARKED_ID_PREFIX = "SIMX";

/**
 * `SIM-42` → `00000000-0000-4000-8000-00000000002a`: a stable, valid UUID per venue order;
 * `SIMX-42` (a parked or held order) → `…-4000-b000-…`, so the two counters never collide.
 */
export function orderUuid(venueOrderId: string): string {
  const dash = venueOrderId.lastIndexOf("-");
  const n = Number(venueOrderId.slice(dash + 1));
  const hex = (Number.isSafeInteger(n) ? n : 0).toString(16).padStart(12, "0");
  const variant = venueOrderId.slice(0, dash) === PARKED_ID_PREFIX ? "b000" : "8000";
  return `00000000-0000-4000-${variant}-${hex}`;
}

/** Orders by id and client id, plus the account mirror. */
export class OrderLedger {
  readonly portfolio: Portfolio;
  readonly #instruments: InstrumentTable;
  readonly #byClientId = new Map<string, OrderRecord>();
  readonly #byId = new Map<string, OrderRecord>();
  readonly #extras = new Map<string, OrderExtras>();

  /** An empty ledger for an account starting with `startingCash`. */
  constructor(instruments: InstrumentTable, startingCash: Cash) {
    this.#instruments = instruments;
    this.portfolio = new Portfolio(instruments, startingCash);
  }

  /** Notes request facts for `clientOrderId` before it reaches the venue. */
  expect(clientOrderId: string, extras: OrderExtras): void {
    this.#extras.set(clientOrderId, extras);
  }

  /** Adds the live links of an advanced order to the facts noted for `clientOrderId`. */
  link(clientOrderId: string, links: OrderLinks): void {
    const e = this.#extras.get(clientOrderId);
    this.#extras.set(clientOrderId, { ...(e ?? { extendedHours: false }), links });
  }

  /** Records one venue report at `now` µs and returns the order's record after it. */
  apply(u: TradeUpdate, now: number): OrderRecord {
    const o = u.order;
    let rec = this.#byClientId.get(o.clientOrderId);
    if (rec === undefined) {
      const extras = this.#extras.get(o.clientOrderId);
      this.#extras.delete(o.clientOrderId);
      rec = {
        id: orderUuid(o.venueOrderId),
        order: o,
        createdAt: o.request.createdAt,
        updatedAt: now,
        filledAt: undefined,
        canceledAt: undefined,
        expiredAt: undefined,
        replacedAt: undefined,
        filledNotional: 0n,
        replacedBy: undefined,
        replaces: extras?.replaces,
        extendedHours: extras?.extendedHours ?? false,
        notional: extras?.notional,
        links: extras?.links,
      };
      this.#byClientId.set(o.clientOrderId, rec);
      this.#byId.set(rec.id, rec);
      if (rec.replaces !== undefined) {
        const old = this.#byClientId.get(rec.replaces);
        if (old !== undefined) old.replacedBy = o.clientOrderId;
      }
    }
    rec.order = o;
    rec.updatedAt = now;
    if (u.fill !== undefined) {
      const inst = this.#instruments.get(u.fill.symbol)!;
      rec.filledNotional += notional(inst, u.fill.price, u.fill.qty);
      this.portfolio.applyFill(u.fill);
      if (o.status === "filled") rec.filledAt = now;
    }
    if (u.event === "canceled") rec.canceledAt = now;
    if (u.event === "expired") rec.expiredAt = now;
    if (u.event === "replaced") rec.replacedAt = now;
    return rec;
  }

  /** The record with Alpaca `id`, if any. */
  byId(id: string): OrderRecord | undefined {
    return this.#byId.get(id);
  }

  /** The record with `clientOrderId`, if any. */
  byClientId(clientOrderId: string): OrderRecord | undefined {
    return this.#byClientId.get(clientOrderId);
  }

  /** Whether the venue ever reported `clientOrderId` or it is on its way there. */
  knows(clientOrderId: string): boolean {
    return this.#byClientId.has(clientOrderId) || this.#extras.has(clientOrderId);
  }

  /** Every record, newest first (Alpaca's default `direction=desc`). */
  all(): OrderRecord[] {
    return [...this.#byClientId.values()].reverse();
  }

  /** Σ remaining notional of open buy orders at their limit (or stop) price: held buying power. */
  heldForBuys(): Cash {
    let held = 0n;
    for (const r of this.#byClientId.values()) {
      const { request: q, status, filledQty } = r.order;
      if (q.side !== "buy" || (status !== "new" && status !== "partially_filled")) continue;
      const price = q.limitPrice > 0 ? q.limitPrice : q.stopPrice;
      const inst = this.#instruments.get(q.symbol);
      if (inst !== undefined && price > 0) held += notional(inst, price, q.qty - filledQty);
    }
    return held;
  }
}

/**
 * One instrument's position with exact bookkeeping. The cost basis is kept as Cash, signed like
 * the quantity (a long's cost is what was paid, > 0; a short's is minus what was received, < 0),
 * so market value − cost basis is the unrealized P&L for longs and shorts alike, and
 * cash + Σ market value = starting cash + realized + unrealized − fees holds to the last 10^-18.
 */
import type { Instrument } from "../domain/instrument.ts";
import { type Cash, cashPerLotToTicks, divRound, notional } from "../domain/money.ts";
import type { OrderSide } from "../domain/order.ts";

/** A read-only copy of a position's numbers at one moment. */
export interface PositionSnapshot {
  readonly symbol: string;
  /** Signed quantity in lots: > 0 long, < 0 short, 0 flat. */
  readonly qty: number;
  /** Average entry price in ticks, rounded half away from zero; 0 when flat. */
  readonly avgPrice: number;
  /** Open cost, signed like `qty` (a short's is negative: the proceeds of the sale). */
  readonly costBasis: Cash;
  /** P&L locked in by reducing fills, before fees. */
  readonly realized: Cash;
  /** Market value − cost basis at `markPrice`. */
  readonly unrealized: Cash;
  /** Fees paid on every fill of this instrument (negative for net rebates). */
  readonly fees: Cash;
  /** Signed value of the open quantity at `markPrice` (a short's is negative). */
  readonly marketValue: Cash;
  /** Last mark in ticks; 0 before the first fill or mark. */
  readonly markPrice: number;
}

function checkPositiveInt(n: number, field: string): void {
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`Cannot apply fill: '${field}' must be a positive integer, got ${n}`);
  }
}

/**
 * The position in one instrument: signed lots, exact cost basis, realized P&L and fees.
 * @example
 * ```ts
 * import { makeInstrument } from "../domain/instrument.ts";
 * import { formatCash, parseCash } from "../domain/money.ts";
 * import { Position } from "./position.ts";
 * const pos = new Position(makeInstrument("AAPL", 0, { venue: "SIM" }));
 * pos.applyFill("buy", 100, 100_000, parseCash("1")); // 100 @ 10.00
 * pos.applyFill("sell", 40, 105_000, parseCash("1")); // 40 @ 10.50
 * formatCash(pos.realized); // "20.00"
 * ```
 */
export class Position {
  /** The instrument whose units `qty` and prices are in. */
  readonly instrument: Instrument;
  #qty = 0;
  #cost: Cash = 0n;
  #realized: Cash = 0n;
  #fees: Cash = 0n;
  #mark = 0;

  /** Starts flat in `instrument`. */
  constructor(instrument: Instrument) {
    this.instrument = instrument;
  }

  /** Signed quantity in lots: > 0 long, < 0 short. */
  get qty(): number {
    return this.#qty;
  }

  /** Open cost as Cash, signed like `qty`; exactly 0 when flat. */
  get costBasis(): Cash {
    return this.#cost;
  }

  /** Realized P&L before fees. */
  get realized(): Cash {
    return this.#realized;
  }

  /** Fees paid so far. */
  get fees(): Cash {
    return this.#fees;
  }

  /** Last mark in ticks (0 before any fill or mark). */
  get markPrice(): number {
    return this.#mark;
  }

  /** Average entry price in ticks, rounded half away from zero (display only; cost is exact). */
  get avgPrice(): number {
    if (this.#qty === 0) return 0;
    const abs = this.#cost < 0n ? -this.#cost : this.#cost;
    return cashPerLotToTicks(this.instrument, abs, Math.abs(this.#qty));
  }

  /** Signed market value of the open quantity at `markPrice` ticks (default: the last mark). */
  marketValue(markPrice: number = this.#mark): Cash {
    return notional(this.instrument, markPrice, this.#qty);
  }

  /** Unrealized P&L at `markPrice` ticks (default: the last mark): market value − cost basis. */
  unrealized(markPrice: number = this.#mark): Cash {
    // Both terms carry the position's sign, so a short gains when the price falls:
    // short 50 @ 10.40 marked at 10.00 is −500 − (−520) = +20.
    return this.marketValue(markPrice) - this.#cost;
  }

  /** Records the latest price of the instrument in ticks. */
  mark(priceTicks: number): void {
    checkPositiveInt(priceTicks, "price");
    this.#mark = priceTicks;
  }

  /**
   * Applies one execution of `qty` lots at `price` ticks paying `fee`: adds to the cost when it
   * grows the position, realizes P&L when it shrinks it, and opens the remainder at `price` when
   * it crosses zero. The fill price becomes the mark: it is the newest trade we know of. Returns
   * the fill's notional signed like the trade (+ bought, − sold): what it costs in cash, before
   * the fee.
   */
  applyFill(side: OrderSide, qty: number, price: number, fee: Cash): Cash {
    checkPositiveInt(qty, "qty");
    checkPositiveInt(price, "price");
    const signed = side === "buy" ? qty : -qty;
    const next = this.#qty + signed;
    if (!Number.isSafeInteger(next)) {
      throw new RangeError(`Cannot apply fill: position in ${this.instrument.symbol} overflows`);
    }
    // Each bigint operation allocates: skipped where it would add nothing.
    if (fee !== 0n) this.#fees += fee;
    this.#mark = price;
    const flow = notional(this.instrument, price, signed);
    if (this.#qty === 0 || Math.sign(this.#qty) === Math.sign(signed)) {
      this.#cost += flow;
      this.#qty = next;
      return flow;
    }
    const held = Math.abs(this.#qty);
    const reduced = Math.min(qty, held);
    // Proportional cost removal: cost × reduced / held, rounded half away from zero (divRound).
    // The rounding moves at most 0.5 × 10^-18 between realized P&L and the remaining cost; it is
    // never lost, because the remaining cost is computed as cost − removed (not re-derived), and
    // the fill that closes the position removes exactly all of it (reduced = held divides
    // evenly). So realized + remaining cost always equals what the lots were bought for.
    const removed = reduced === held
      ? this.#cost
      : divRound(this.#cost * BigInt(reduced), BigInt(held));
    // A reducing trade of a long sells (+exit), of a short buys back (−exit); removed carries the
    // position's sign, so one expression serves both. Without a cross it is the whole fill.
    const exit = reduced === qty
      ? -flow
      : notional(this.instrument, price, this.#qty > 0 ? reduced : -reduced);
    this.#realized += exit - removed;
    this.#cost -= removed;
    this.#qty = next;
    if (qty > held) {
      // Crossed zero: the rest of the fill opens the opposite side at the fill price.
      this.#cost = notional(this.instrument, price, next);
    }
    return flow;
  }

  /** Sets every number back to a snapshot's (a journal checkpoint's); the mark too. */
  restore(
    s: Pick<PositionSnapshot, "qty" | "costBasis" | "realized" | "fees" | "markPrice">,
  ): void {
    this.#qty = s.qty;
    this.#cost = s.costBasis;
    this.#realized = s.realized;
    this.#fees = s.fees;
    this.#mark = s.markPrice;
  }

  /** A frozen copy of the position's numbers at the last mark. */
  snapshot(): PositionSnapshot {
    return Object.freeze({
      symbol: this.instrument.symbol,
      qty: this.#qty,
      avgPrice: this.avgPrice,
      costBasis: this.#cost,
      realized: this.#realized,
      unrealized: this.unrealized(),
      fees: this.#fees,
      marketValue: this.marketValue(),
      markPrice: this.#mark,
    });
  }
}

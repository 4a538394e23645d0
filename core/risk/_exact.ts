/**
 * Exact comparisons of notionals with Cash limits that allocate nothing in the common case. Cash
 * is bigint, and every bigint operation allocates; so each comparison is first made in doubles and
 * settled there when the sign is certain, falling back to exact bigint arithmetic only when the two
 * sides agree to within one part in 10^12 — in practice, only orders sitting right at a limit.
 * Results always equal the pure-bigint answer (tests/core/risk/_exact_test.ts checks it).
 */
import type { Instrument } from "../domain/instrument.ts";
import { CASH_DECIMALS } from "../domain/money.ts";
import type { Cash } from "../domain/money.ts";

/** A Cash amount with its nearest double, precomputed so hot paths need not convert it. */
export interface CashPair {
  readonly cash: Cash;
  readonly approx: number;
}

/** Pairs `cash` with its nearest double. */
export function cashPair(cash: Cash): CashPair {
  return { cash, approx: Number(cash) };
}

/** Cash worth of one tick × one lot of `inst` (10^(18 − priceDecimals − qtyDecimals)). */
export function cashScale(inst: Instrument): CashPair {
  return cashPair(10n ** BigInt(CASH_DECIMALS - inst.priceDecimals - inst.qtyDecimals));
}

/**
 * A CashPair over a live amount (buying power, open exposure): update() converts to a double only
 * when the amount changed, because BigInt → Number allocates (~100 bytes in V8) and the amounts
 * change on fills and order events, not on every check.
 */
export class LiveCashPair implements CashPair {
  cash: Cash = 0n;
  approx = 0;

  /** Sets the amount, re-deriving the double only if it differs; returns this. */
  update(cash: Cash): this {
    if (cash !== this.cash) {
      this.cash = cash;
      this.approx = Number(cash);
    }
    return this;
  }
}

// Each side below is at most four IEEE roundings from its exact value (≤ 4.5e-16 relative), so a
// difference beyond 1e-12 of the magnitudes has the sign of the exact difference.
const MARGIN = 1e-12;

/** 1 or −1 when `a − b` surely has that sign, 0 when too close to call (or NaN/∞ involved). */
function sureSign(a: number, b: number): number {
  const d = a - b;
  const m = MARGIN * (Math.abs(a) + Math.abs(b));
  return d > m ? 1 : d < -m ? -1 : 0;
}

function sign(x: bigint): number {
  return x > 0n ? 1 : x < 0n ? -1 : 0;
}

/** Sign (−1, 0, 1) of `price × qty × scale − limit`, exact; price and qty are safe integers ≥ 0. */
export function cmpNotional(price: number, qty: number, scale: CashPair, limit: CashPair): number {
  const s = sureSign(price * qty * scale.approx, limit.approx);
  if (s !== 0) return s;
  return sign(BigInt(price) * BigInt(qty) * scale.cash - limit.cash);
}

/** Sign of `price × qty × scale + extra − limit`, exact. */
export function cmpNotionalPlus(
  price: number,
  qty: number,
  scale: CashPair,
  extra: CashPair,
  limit: CashPair,
): number {
  const s = sureSign(price * qty * scale.approx + extra.approx, limit.approx);
  if (s !== 0) return s;
  return sign(BigInt(price) * BigInt(qty) * scale.cash + extra.cash - limit.cash);
}

/** Sign of `a × b − c × d`, exact, for safe integers. */
export function cmpProducts(a: number, b: number, c: number, d: number): number {
  const s = sureSign(a * b, c * d);
  if (s !== 0) return s;
  return sign(BigInt(a) * BigInt(b) - BigInt(c) * BigInt(d));
}

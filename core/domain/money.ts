/**
 * Cash, notional and P&L as exact bigint amounts. Every instrument's price × quantity lands on one
 * common scale, 10^-18 of the quote currency, which holds any product of a price with up to 9
 * decimals and a quantity with up to 9 decimals without rounding (a double would lose it: a BTC
 * quantity in 10^-9 lots times a price in 10^-6 ticks overflows 2^53 for any real trade).
 */
import { FixedPointError, MAX_DECIMALS } from "./fixed_point.ts";
import type { Instrument } from "./instrument.ts";

/** Decimals of every Cash amount. */
export const CASH_DECIMALS = 18;
/** An exact amount of quote currency in units of 10^-18. */
export type Cash = bigint;

const TEN = 10n;
const SCALE = TEN ** BigInt(CASH_DECIMALS);
const POW: bigint[] = Array.from({ length: 2 * MAX_DECIMALS + 1 }, (_, i) => TEN ** BigInt(i));

/**
 * Exact notional of `qty` lots at `price` ticks of `inst`, as Cash.
 * @example
 * ```ts
 * import { makeInstrument } from "./instrument.ts";
 * import { formatCash, notional } from "./money.ts";
 * const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
 * formatCash(notional(aapl, 1_872_500, 100)); // "18725.00"
 * ```
 */
export function notional(inst: Instrument, price: number, qty: number): Cash {
  const scale = POW[CASH_DECIMALS - inst.priceDecimals - inst.qtyDecimals]!;
  // Integers whose product is below 2^53 multiply exactly as doubles: one BigInt instead of three
  // on the order path. Anything else (or a non-integer, which BigInt() rejects) takes the exact way.
  const product = price * qty;
  if (Number.isSafeInteger(product) && Number.isInteger(price) && Number.isInteger(qty)) {
    return BigInt(product) * scale;
  }
  return BigInt(price) * BigInt(qty) * scale;
}

/** Cash from a whole number of quote-currency units (e.g. dollars). */
export function cashFromUnits(units: number): Cash {
  if (!Number.isSafeInteger(units)) {
    throw new RangeError(`cash units must be a safe integer, got ${units}`);
  }
  return BigInt(units) * SCALE;
}

/** Parses a decimal string ("100000", "-12.5") into Cash exactly. */
export function parseCash(text: string, field = "amount"): Cash {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (m === null) {
    throw new FixedPointError(
      `'${field}' must be a decimal number, got ${JSON.stringify(text)}`,
      field,
    );
  }
  const frac = (m[3] ?? "").replace(/0+$/, "");
  if (frac.length > CASH_DECIMALS) {
    throw new FixedPointError(
      `'${field}' allows at most ${CASH_DECIMALS} decimals, got ${text}`,
      field,
    );
  }
  const v = BigInt(m[2]! + frac.padEnd(CASH_DECIMALS, "0"));
  return m[1] === "-" ? -v : v;
}

/** Formats Cash as a decimal string, exact, with at least `minDecimals` decimals (trailing zeros trimmed beyond). */
export function formatCash(c: Cash, minDecimals = 2): string {
  const neg = c < 0n;
  const digits = (neg ? -c : c).toString().padStart(CASH_DECIMALS + 1, "0");
  const int = digits.slice(0, digits.length - CASH_DECIMALS);
  let frac = digits.slice(digits.length - CASH_DECIMALS);
  let end = frac.length;
  while (end > minDecimals && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  return (neg ? "-" : "") + int + (frac === "" ? "" : "." + frac);
}

/** Cash as a float of quote-currency units: for display and ratios only, never for bookkeeping. */
export function cashToNumber(c: Cash): number {
  // Whole units and the fraction apart: Number(c) / 1e18 turns 100000 into 99999.99999999999.
  const whole = c / SCALE;
  return Number(whole) + Number(c - whole * SCALE) / 1e18;
}

/** `c × bps / 10,000`, rounded half away from zero; `bps` may have up to 4 decimals. */
export function applyBps(c: Cash, bps: number): Cash {
  const scaled = Math.round(bps * 10_000);
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`bps must be finite, got ${bps}`);
  return divRound(c * BigInt(scaled), 100_000_000n);
}

/** `c` rounded half away from zero to `decimals` decimals, as a decimal string with exactly that many (display). */
export function formatCashRounded(c: Cash, decimals = 2): string {
  const unit = POW[CASH_DECIMALS - decimals]!;
  return formatCash(divRound(c, unit) * unit, decimals);
}

/** Integer division rounding half away from zero. */
export function divRound(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("division by zero");
  const q = a / b, r = a % b;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < (b < 0n ? -b : b)) return q;
  return (a < 0n) !== (b < 0n) ? q - 1n : q + 1n;
}

/** Converts Cash to the price ticks of `inst` per one lot (e.g. a notional / qty → average price), rounded. */
export function cashPerLotToTicks(inst: Instrument, c: Cash, qty: number): number {
  if (qty === 0) return 0;
  const units = divRound(
    c,
    BigInt(qty) * POW[CASH_DECIMALS - inst.priceDecimals - inst.qtyDecimals]!,
  );
  return Number(units);
}

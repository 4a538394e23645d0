/**
 * Exact decimal ↔ scaled-integer conversion. Prices and quantities live as integers in units of
 * 10^-decimals so that the book, order, risk and portfolio paths never do float arithmetic on money.
 */

/** Most decimals any instrument may use (crypto quantities: 9). */
export const MAX_DECIMALS = 9;

const POW10: readonly number[] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Thrown when a value cannot be represented exactly in its instrument's units. */
export class FixedPointError extends Error {
  /** Creates the error; `field` names what was being parsed. */
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = "FixedPointError";
  }
}

/** Returns 10^decimals for 0 ≤ decimals ≤ MAX_DECIMALS. */
export function pow10(decimals: number): number {
  const p = POW10[decimals];
  if (p === undefined) throw new RangeError(`decimals must be 0..${MAX_DECIMALS}, got ${decimals}`);
  return p;
}

/**
 * Parses a decimal string into an integer scaled by 10^decimals, rejecting excess decimals.
 * @example
 * ```ts
 * import { parseScaled } from "./fixed_point.ts";
 * parseScaled("187.25", 4, "price"); // 1872500
 * ```
 */
export function parseScaled(text: string, decimals: number, field: string): number {
  const m = DECIMAL_RE.exec(text);
  if (m === null) {
    throw new FixedPointError(
      `'${field}' must be a decimal number, got ${JSON.stringify(text)}`,
      field,
    );
  }
  const frac = m[3] ?? "";
  const trimmed = frac.replace(/0+$/, "");
  if (trimmed.length > decimals) {
    throw new FixedPointError(
      `'${field}' allows at most ${decimals} decimals, got ${JSON.stringify(text)}`,
      field,
    );
  }
  // String concatenation keeps the conversion exact: no float multiply is involved.
  const digits = (m[2] ?? "0") + trimmed.padEnd(decimals, "0");
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) {
    throw new FixedPointError(`'${field}' is too large to hold exactly: ${text}`, field);
  }
  return m[1] === "-" ? -value : value;
}

/**
 * Converts a venue's JSON number to scaled units, rounding half away from zero (never truncating).
 * A number that already has at most `decimals` decimals converts exactly: x·10^p lands within one
 * ulp of the integer it denotes, and rounding removes that ulp.
 */
export function scaleNumber(x: number, decimals: number, field: string): number {
  if (!Number.isFinite(x)) {
    throw new FixedPointError(`'${field}' must be a finite number, got ${x}`, field);
  }
  const scaled = x * pow10(decimals);
  const units = scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
  if (!Number.isSafeInteger(units)) {
    throw new FixedPointError(`'${field}' is too large to hold exactly: ${x}`, field);
  }
  return units;
}

/**
 * Formats scaled units as a decimal string, exact, keeping at least `minDecimals` decimals.
 * @example
 * ```ts
 * import { formatScaled } from "./fixed_point.ts";
 * formatScaled(1872500, 4, 2); // "187.25"
 * ```
 */
export function formatScaled(units: number, decimals: number, minDecimals = 0): string {
  if (!Number.isSafeInteger(units)) {
    throw new RangeError(`units must be a safe integer, got ${units}`);
  }
  const negative = units < 0;
  const digits = String(negative ? -units : units).padStart(decimals + 1, "0");
  const intPart = digits.slice(0, digits.length - decimals);
  let frac = digits.slice(digits.length - decimals);
  let end = frac.length;
  while (end > minDecimals && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  return (negative ? "-" : "") + intPart + (frac.length > 0 ? "." + frac : "");
}

/** Converts scaled units to a float for display, indicators and research (never for money math). */
export function unitsToNumber(units: number, decimals: number): number {
  return units / pow10(decimals);
}

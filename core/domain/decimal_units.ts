/**
 * Decimal text from recorded files or venues → integer units of an instrument. Such prices often carry
 * more decimals than the instrument keeps (a vendor's 187.12345 for a 4-decimal stock), so unlike
 * parseScaled this rounds instead of rejecting. It rounds half away from zero like scaleNumber, but
 * on the decimal digits themselves: `x * 10 ** p` in floats can land just below a tie
 * (1.00005 * 1e4 = 10000.4999…) and round the wrong way.
 */
import { pow10 } from "./fixed_point.ts";

// Sign, integer digits, fraction digits, exponent: "187.25", "-0.5", "1e-7", "+3.", ".5".
const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
// Past 10^16 a unit count can no longer be a safe integer, whatever the digits.
const MAX_INT_DIGITS = 16;

/**
 * Converts decimal text (optionally signed, optionally with an exponent) to units of
 * 10^-decimals, rounding half away from zero; NaN for anything else or a value too large.
 * @example
 * ```ts
 * import { decimalToUnits } from "./decimal_units.ts";
 * decimalToUnits("187.12345", 4); // 1871235
 * ```
 */
export function decimalToUnits(text: string, decimals: number): number {
  pow10(decimals); // throws on a bad precision: a programming error, not bad data
  const m = DECIMAL_RE.exec(text);
  if (m === null) return NaN;
  const intDigits = m[2] ?? "";
  const fracDigits = m[3] ?? "";
  if (intDigits.length === 0 && fracDigits.length === 0) return NaN;
  const digits = (intDigits + fracDigits).replace(/^0+/, "");
  if (digits.length === 0) return 0;
  // Position of the decimal point within `digits` once the value is scaled by 10^decimals.
  const leadingZeros = intDigits.length + fracDigits.length - digits.length;
  const point = intDigits.length - leadingZeros + Number(m[4] ?? "0") + decimals;
  let units: number;
  if (point < 0) {
    units = 0; // below 0.1 units: rounds to zero
  } else if (point >= digits.length) {
    if (point > MAX_INT_DIGITS) return NaN;
    units = Number(digits.padEnd(point, "0"));
  } else {
    if (point > MAX_INT_DIGITS) return NaN;
    units = point === 0 ? 0 : Number(digits.slice(0, point));
    if (digits.charCodeAt(point) >= 53) units += 1; // next digit ≥ '5': half away from zero
  }
  if (!Number.isSafeInteger(units)) return NaN;
  return m[1] === "-" && units !== 0 ? -units : units;
}

/**
 * Converts a JSON number to units by way of its shortest decimal text, so that a JSON-lines file
 * and a CSV file holding the same digits give the same units; NaN for NaN or infinities.
 */
export function numberToUnits(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return NaN;
  return decimalToUnits(String(x), decimals);
}

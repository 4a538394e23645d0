/**
 * Escaping and number formatting shared by the tearsheet's sections. Every value that reaches the
 * page goes through one of these, so a hostile parameter cannot inject markup and a non-finite
 * number shows as a dash instead of "NaN".
 */

/** What the page shows for a number that is missing, NaN or infinite. */
export const DASH = "—";

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** True for a number that can be drawn or printed (not null, NaN or ±Infinity). */
export function isNum(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/** Formats a fraction as a percentage with `digits` decimals (0.1234 → "12.34%"), or a dash. */
export function fmtPct(x: number | null | undefined, digits = 2): string {
  return isNum(x) ? `${fixed(x * 100, digits)}%` : DASH;
}

/** Formats a number with `digits` decimals and thousands separators, or a dash. */
export function fmtNum(x: number | null | undefined, digits = 2): string {
  if (!isNum(x)) return DASH;
  const s = fixed(x, digits);
  const [int, frac] = s.split(".");
  // Grouping by hand rather than toLocaleString: the output must not depend on the host's locale.
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Formats a number with a short magnitude suffix for axis labels (1234567 → "1.23M"). */
export function fmtCompact(x: number): string {
  if (!isNum(x)) return DASH;
  const a = Math.abs(x);
  if (a >= 1e9) return `${trimZeros(fixed(x / 1e9, 2))}B`;
  if (a >= 1e6) return `${trimZeros(fixed(x / 1e6, 2))}M`;
  if (a >= 1e4) return `${trimZeros(fixed(x / 1e3, 1))}k`;
  return trimZeros(fixed(x, a >= 100 ? 0 : 2));
}

/** toFixed without "-0.00": a value that rounds to zero prints unsigned. */
function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** The CSS class for a signed value: "pos", "neg" or "" (zero, non-finite). */
export function signClass(x: number | null | undefined): string {
  if (!isNum(x) || x === 0) return "";
  return x > 0 ? "pos" : "neg";
}

/** The sign class of an exact decimal string such as a P&L ("-12.50" → "neg"). */
export function decimalSignClass(s: string): string {
  const t = s.trim();
  if (!/^[+-]?\d*\.?\d+$/.test(t) || /^[+-]?0*\.?0*$/.test(t)) return "";
  return t.startsWith("-") ? "neg" : "pos";
}

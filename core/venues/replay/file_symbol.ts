/** The symbol a recorded file stands for when neither its rows nor its config entry name one. */

// Quote currencies that mark a file stem as a crypto or FX pair. A fixed list keeps stems such as
// `aapl_daily` or `spy-2024` from being read as pairs.
const QUOTES = new Set(["USD", "USDT", "USDC", "EUR", "GBP", "JPY", "BTC", "ETH"]);

/**
 * The file name stem uppercased, with `-` or `_` turned into `/` when the stem is a pair
 * (`<base>-<quote>` with a known quote currency).
 * @example
 * ```ts
 * import { symbolFromPath } from "./file_symbol.ts";
 * symbolFromPath("data/BTC-USD.csv"); // "BTC/USD"
 * symbolFromPath("data/aapl.csv"); // "AAPL"
 * ```
 */
export function symbolFromPath(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = name.lastIndexOf(".");
  const stem = (dot > 0 ? name.slice(0, dot) : name).toUpperCase();
  const m = /^([A-Z0-9]{1,12})[-_]([A-Z]{3,4})$/.exec(stem);
  return m !== null && QUOTES.has(m[2]!) ? `${m[1]}/${m[2]}` : stem;
}

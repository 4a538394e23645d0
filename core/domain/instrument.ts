/**
 * Instruments and their exact units. Every price and quantity of an instrument is an integer in
 * its own precision; the helpers here are the only way untrusted text or numbers become units.
 */
import {
  FixedPointError,
  formatScaled,
  MAX_DECIMALS,
  parseScaled,
  pow10,
  scaleNumber,
} from "./fixed_point.ts";
import type { PriceTicks, QtyLots } from "./units.ts";

/** What kind of asset an instrument is; decides its default precision and tick rule. */
export type AssetClass = "us_equity" | "crypto";

/** A tradable instrument with its integer precision. */
export interface Instrument {
  /** Dense index used by ring records and per-instrument arrays. */
  readonly index: number;
  /** Venue symbol, e.g. `AAPL` or `BTC/USD`. */
  readonly symbol: string;
  /** Instrument id `SYMBOL.VENUE`, e.g. `AAPL.SIM`. */
  readonly id: string;
  readonly assetClass: AssetClass;
  /** Price units are 10^-priceDecimals. */
  readonly priceDecimals: number;
  /** Quantity units are 10^-qtyDecimals. */
  readonly qtyDecimals: number;
}

/** Per-instrument precision overrides as they appear in config. */
export interface PrecisionOverride {
  readonly price_decimals?: number;
  readonly qty_decimals?: number;
}

// US stocks quote in cents above $1 and in hundredths of a cent below (SEC Rule 612), so price
// units are 10^-4 and the tick above $1 is 100 units. Crypto pairs trade fractions to 10^-9.
const DEFAULTS: Record<AssetClass, { price: number; qty: number }> = {
  us_equity: { price: 4, qty: 0 },
  crypto: { price: 6, qty: 9 },
};

/** Returns the asset class a symbol implies: pairs with a slash are crypto. */
export function assetClassOf(symbol: string): AssetClass {
  return symbol.includes("/") ? "crypto" : "us_equity";
}

/** Builds an instrument for `symbol` on `venue` with default or overridden precision. */
export function makeInstrument(
  symbol: string,
  index: number,
  options: { venue: string; override?: PrecisionOverride },
): Instrument {
  if (!/^[A-Z0-9.]{1,12}(\/[A-Z0-9]{1,8})?$/.test(symbol)) {
    throw new RangeError(
      `Cannot make instrument: symbol ${JSON.stringify(symbol)} is not a valid symbol`,
    );
  }
  const assetClass = assetClassOf(symbol);
  const priceDecimals = options.override?.price_decimals ?? DEFAULTS[assetClass].price;
  const qtyDecimals = options.override?.qty_decimals ?? DEFAULTS[assetClass].qty;
  for (
    const [name, d] of [["price_decimals", priceDecimals], ["qty_decimals", qtyDecimals]] as const
  ) {
    if (!Number.isInteger(d) || d < 0 || d > MAX_DECIMALS) {
      throw new RangeError(
        `Cannot make instrument ${symbol}: '${name}' must be 0..${MAX_DECIMALS}, got ${d}`,
      );
    }
  }
  return {
    index,
    symbol,
    id: `${symbol}.${options.venue}`,
    assetClass,
    priceDecimals,
    qtyDecimals,
  };
}

/** Smallest price increment (in units) allowed for an order at `price` units. */
export function tickSizeAt(inst: Instrument, price: number): number {
  if (inst.assetClass === "us_equity" && inst.priceDecimals >= 2) {
    const dollar = pow10(inst.priceDecimals);
    return price >= dollar ? pow10(inst.priceDecimals - 2) : 1;
  }
  return 1;
}

/**
 * Parses an order or config price string, rejecting non-positive values and prices off the tick.
 * @example
 * ```ts
 * import { makeInstrument, parsePrice } from "./instrument.ts";
 * const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
 * parsePrice(aapl, "187.25"); // 1872500
 * ```
 */
export function parsePrice(inst: Instrument, text: string, field = "price"): PriceTicks {
  const units = parseScaled(text, inst.priceDecimals, field);
  if (units <= 0) throw new FixedPointError(`'${field}' must be > 0, got ${text}`, field);
  const tick = tickSizeAt(inst, units);
  if (units % tick !== 0) {
    throw new FixedPointError(
      `'${field}' for ${inst.symbol} must be a multiple of ${
        formatScaled(tick, inst.priceDecimals)
      }, got ${text}`,
      field,
    );
  }
  return units as PriceTicks;
}

/** Parses a quantity string; zero is allowed (book removals), negatives are not. */
export function parseQty(inst: Instrument, text: string, field = "quantity"): QtyLots {
  const units = parseScaled(text, inst.qtyDecimals, field);
  if (units < 0) throw new FixedPointError(`'${field}' must be >= 0, got ${text}`, field);
  return units as QtyLots;
}

/** Converts a venue JSON price number to ticks (rounded); rejects NaN, infinities and non-positive. */
export function priceFromNumber(inst: Instrument, x: number, field = "price"): PriceTicks {
  const units = scaleNumber(x, inst.priceDecimals, field);
  if (units <= 0) throw new FixedPointError(`'${field}' must be > 0, got ${x}`, field);
  return units as PriceTicks;
}

/** Converts a venue JSON size number to lots (rounded); rejects NaN, infinities and negatives. */
export function qtyFromNumber(inst: Instrument, x: number, field = "size"): QtyLots {
  const units = scaleNumber(x, inst.qtyDecimals, field);
  if (units < 0) throw new FixedPointError(`'${field}' must be >= 0, got ${x}`, field);
  return units as QtyLots;
}

/** Formats a price for the wire (at least 2 decimals for stocks, as venues print them). */
export function formatPrice(inst: Instrument, price: number): string {
  return formatScaled(price, inst.priceDecimals, inst.assetClass === "us_equity" ? 2 : 0);
}

/** Formats a quantity for the wire. */
export function formatQty(inst: Instrument, qty: number): string {
  return formatScaled(qty, inst.qtyDecimals);
}

/** The instruments a process trades, by symbol and by dense index. */
export class InstrumentTable {
  readonly #bySymbol = new Map<string, Instrument>();
  readonly #list: Instrument[] = [];
  #lastSymbol: string | undefined = undefined;
  #last: Instrument | undefined = undefined;

  /** Builds the table from symbols in order; index i is symbols[i]. */
  constructor(
    symbols: readonly string[],
    venue: string,
    overrides: Record<string, PrecisionOverride> = {},
  ) {
    for (const symbol of symbols) {
      if (this.#bySymbol.has(symbol)) throw new RangeError(`Duplicate symbol ${symbol}`);
      const inst = makeInstrument(symbol, this.#list.length, {
        venue,
        override: overrides[symbol],
      });
      this.#bySymbol.set(symbol, inst);
      this.#list.push(inst);
    }
  }

  /** Number of instruments. */
  get size(): number {
    return this.#list.length;
  }

  /** All instruments in index order. */
  list(): readonly Instrument[] {
    return this.#list;
  }

  /** The instrument for `symbol`, or undefined. */
  get(symbol: string): Instrument | undefined {
    // One order takes this lookup about ten times, nearly always for the symbol of the last one.
    if (symbol === this.#lastSymbol) return this.#last;
    const inst = this.#bySymbol.get(symbol);
    if (inst !== undefined) {
      this.#lastSymbol = symbol;
      this.#last = inst;
    }
    return inst;
  }

  /** The instrument at dense `index`; throws if out of range (a corrupt record). */
  at(index: number): Instrument {
    const inst = this.#list[index];
    if (inst === undefined) throw new RangeError(`No instrument at index ${index}`);
    return inst;
  }
}

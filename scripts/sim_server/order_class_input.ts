/**
 * The parts of a POST /v2/orders body beyond a plain order: trailing stops (`trail_price` /
 * `trail_percent`), the auction time-in-force values opg / cls, and order classes (`bracket`,
 * `oco`, `oto` with `take_profit` / `stop_loss`). Alpaca's rules come from its order guide
 * (docs.alpaca.markets/docs/orders-at-alpaca; source github.com/alpacahq/alpaca-docs
 * content/trading/orders.md). Messages Alpaca is known to send are quoted with where they were
 * seen; the others are worded after the documented rule. Bad input is a message (422).
 */
import { type Instrument, parsePrice } from "../../core/domain/instrument.ts";
import { parseScaled, pow10 } from "../../core/domain/fixed_point.ts";
import type { OrderClass, OrderSide, StopLossLeg, TakeProfitLeg } from "../../core/domain/order.ts";
import type { BookView } from "../../core/strategy/strategy.ts";
import { TRAIL_PERCENT_DECIMALS } from "./trailing_stop.ts";

/** The extra request fields a body asked for. */
export interface OrderClassFields {
  readonly orderClass?: OrderClass;
  readonly takeProfit?: TakeProfitLeg;
  readonly stopLoss?: StopLossLeg;
  readonly trailPrice?: number;
  readonly trailPercent?: number;
}

const CLASSES = new Set(["bracket", "oco", "oto"]);
const PERCENT_RE = /^\d+(?:\.\d+)?$/;

const present = (v: unknown) => v !== undefined && v !== null;

/** Alpaca sends numbers as strings but accepts JSON numbers too; both become text. */
export function decimalText(v: unknown): string | undefined {
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Runs a units parser, turning its error into a message. */
export function units(parse: () => number): number | string {
  try {
    return parse();
  } catch (e) {
    return (e as Error).message;
  }
}

/** A price field in ticks, or why not. */
function priceOf(inst: Instrument, raw: unknown, field: string): number | string {
  const text = decimalText(raw);
  if (text === undefined) return `${field} must be a decimal string`;
  return units(() => parsePrice(inst, text, field));
}

/** The order class of a body ("" and "simple" are both simple); undefined for an unknown one. */
export function orderClassOf(body: Record<string, unknown>): OrderClass | undefined {
  const raw = body.order_class;
  if (raw === undefined || raw === null || raw === "" || raw === "simple") return "simple";
  return typeof raw === "string" && CLASSES.has(raw) ? raw as OrderClass : undefined;
}

/** The limit price an oco order carries: its take-profit's (a top-level one is not needed). */
export function ocoLimitRaw(body: Record<string, unknown>): unknown {
  const tp = body.take_profit;
  return typeof tp === "object" && tp !== null
    ? (tp as Record<string, unknown>).limit_price
    : undefined;
}

/**
 * Checks the trailing-stop, auction and order-class rules of a body whose symbol, side, type and
 * time_in_force are already known good; `limitPrice` is the parsed top-level limit (0 if none).
 */
export function parseOrderClassFields(
  body: Record<string, unknown>,
  inst: Instrument,
  side: OrderSide,
  type: string,
  tif: string,
  cls: OrderClass,
  limitPrice: number,
  book: BookView,
): OrderClassFields | string {
  const trail = parseTrail(body, inst, type, tif);
  if (typeof trail === "string") return trail;
  if (tif === "opg" || tif === "cls") {
    // "Use this TIF with a market/limit order type"; crypto trades no auctions.
    if (inst.assetClass === "crypto") return `invalid crypto time_in_force: ${tif}`;
    if (type !== "market" && type !== "limit") {
      return `${tif} orders must be market or limit orders`;
    }
  }
  const hasTp = present(body.take_profit), hasSl = present(body.stop_loss);
  if (cls === "simple") {
    if (hasTp || hasSl) return "take_profit and stop_loss are only for bracket, oco and oto orders";
    return trail;
  }
  if (tif !== "day" && tif !== "gtc") return `${cls} orders must be day or gtc orders`;
  if (body.extended_hours === true) return `extended hours are not supported for ${cls} orders`;
  if (present(body.notional)) return `${cls} orders must be sized by qty, not notional`;
  if (cls === "oco") {
    if (type !== "limit") return "oco orders must be limit orders";
  } else if (type !== "market" && type !== "limit") {
    // Seen from Alpaca: 422 {"code":40010001,"message":"bracket orders must be market or limit
    // orders"} (github.com/Petersoj/alpaca-java/issues/44).
    return `${cls} orders must be market or limit orders`;
  }
  if (cls === "oto") {
    if (!hasTp && !hasSl) return "oto orders require either take_profit or stop_loss";
    if (hasTp && hasSl) return "oto orders take either take_profit or stop_loss, not both";
  } else {
    // Seen from Alpaca: 422 "bracket orders require take_profit.limit_price"
    // (github.com/TraderAlice/OpenAlice/pull/342); the stop-loss twin is worded alike.
    if (!hasTp) return `${cls} orders require take_profit.limit_price`;
    if (!hasSl) return `${cls} orders require stop_loss.stop_price`;
  }
  const takeProfit = hasTp ? parseTakeProfit(body.take_profit, inst, cls) : undefined;
  if (typeof takeProfit === "string") return takeProfit;
  const stopLoss = hasSl ? parseStopLoss(body.stop_loss, inst, cls) : undefined;
  if (typeof stopLoss === "string") return stopLoss;
  // The exit legs trade against the entry; an oco order is all exits, on its own side.
  const exitSide: OrderSide = cls === "oco" ? side : side === "buy" ? "sell" : "buy";
  if (takeProfit !== undefined && stopLoss !== undefined) {
    const ok = exitSide === "sell"
      ? takeProfit.limitPrice > stopLoss.stopPrice
      : takeProfit.limitPrice < stopLoss.stopPrice;
    if (!ok) {
      return `take_profit.limit_price must be ${exitSide === "sell" ? "higher" : "lower"} ` +
        `than stop_loss.stop_price for a ${side} ${cls} order`;
    }
  }
  if (stopLoss !== undefined) {
    const base = baseCheck(inst, exitSide, stopLoss.stopPrice, [
      cls === "oco" ? takeProfit?.limitPrice ?? 0 : limitPrice,
      book.mid(),
    ]);
    if (base !== undefined) return base;
  }
  return {
    orderClass: cls,
    ...(takeProfit === undefined ? {} : { takeProfit }),
    ...(stopLoss === undefined ? {} : { stopLoss }),
  };
}

/**
 * Alpaca's threshold on a stop-loss: at least $0.01 below (sell exit; above for a buy exit) the
 * "base price" = the take-profit limit (oco) or the entry limit (bracket, oto), and the current
 * market price (the sim takes the book's mid). Seen from Alpaca: 422 "stop price must be less
 * than base_price - 0.01" (github.com/alpacahq/Alpaca-API/issues/166).
 */
function baseCheck(
  inst: Instrument,
  exitSide: OrderSide,
  stop: number,
  bases: readonly number[],
): string | undefined {
  const cent = inst.priceDecimals >= 2 ? pow10(inst.priceDecimals - 2) : 1;
  for (const base of bases) {
    if (!(base > 0)) continue; // no entry limit, or no market to measure against
    if (exitSide === "sell" && stop > base - cent) {
      return "stop price must be less than base_price - 0.01";
    }
    if (exitSide === "buy" && stop < base + cent) {
      return "stop price must be greater than base_price + 0.01";
    }
  }
  return undefined;
}

function parseTakeProfit(
  raw: unknown,
  inst: Instrument,
  cls: OrderClass,
): TakeProfitLeg | string {
  if (typeof raw !== "object" || raw === null) return "take_profit must be an object";
  const tp = raw as Record<string, unknown>;
  if (!present(tp.limit_price)) return `${cls} orders require take_profit.limit_price`;
  const limitPrice = priceOf(inst, tp.limit_price, "take_profit.limit_price");
  return typeof limitPrice === "string" ? limitPrice : { limitPrice };
}

function parseStopLoss(raw: unknown, inst: Instrument, cls: OrderClass): StopLossLeg | string {
  if (typeof raw !== "object" || raw === null) return "stop_loss must be an object";
  const sl = raw as Record<string, unknown>;
  if (!present(sl.stop_price)) return `${cls} orders require stop_loss.stop_price`;
  const stopPrice = priceOf(inst, sl.stop_price, "stop_loss.stop_price");
  if (typeof stopPrice === "string") return stopPrice;
  if (!present(sl.limit_price)) return { stopPrice };
  // "If limit_price is specified in stop_loss, the stop-loss order is queued as a stop-limit".
  const limitPrice = priceOf(inst, sl.limit_price, "stop_loss.limit_price");
  return typeof limitPrice === "string" ? limitPrice : { stopPrice, limitPrice };
}

/** trail_price xor trail_percent for a trailing_stop (day or gtc), neither for other types. */
function parseTrail(
  body: Record<string, unknown>,
  inst: Instrument,
  type: string,
  tif: string,
): OrderClassFields | string {
  const hasPrice = present(body.trail_price), hasPercent = present(body.trail_percent);
  if (type !== "trailing_stop") {
    if (hasPrice) return `trail_price must not be given for a ${type} order`;
    if (hasPercent) return `trail_percent must not be given for a ${type} order`;
    return {};
  }
  // "Valid time-in-force values for trailing stop are "day" and "gtc"."
  if (tif !== "day" && tif !== "gtc") return "trailing_stop orders must be day or gtc orders";
  if (hasPrice === hasPercent) {
    return hasPrice
      ? "trail_price and trail_percent must not both be given"
      : "trail_price or trail_percent is required for trailing_stop orders";
  }
  if (hasPrice) {
    const trailPrice = priceOf(inst, body.trail_price, "trail_price");
    return typeof trailPrice === "string" ? trailPrice : { trailPrice };
  }
  const text = decimalText(body.trail_percent);
  if (text === undefined || !PERCENT_RE.test(text)) {
    return "trail_percent must be a decimal string";
  }
  const scaled = units(() => parseScaled(text, TRAIL_PERCENT_DECIMALS, "trail_percent"));
  if (typeof scaled === "string") return scaled;
  if (scaled <= 0 || scaled >= 100 * pow10(TRAIL_PERCENT_DECIMALS)) {
    return "trail_percent must be > 0 and < 100";
  }
  return { trailPercent: Number(text) };
}

/**
 * Fill rules of the backtest venue for bar, quote and trade data, as pure functions of one
 * working order and one market event. The venue owns the orders, the participation budget and the
 * time in force; these functions only answer "did it trigger" and "at what price would `qty` lots
 * fill", so every rule is testable on a hand-built bar.
 *
 * Prices: a market order or a triggered stop takes the market's price (bar open, trade price,
 * quote touch) plus slippage; a limit (or triggered stop-limit) never pays slippage and never fills
 * worse than its limit, but fills at a better price when the market offers one (a bar that opens
 * through the limit fills at the open). Every price is rounded away from the trader's favour onto
 * the tick. A returned price of 0 means "no fill on this event".
 */
import type { Instrument } from "../domain/instrument.ts";
import type { OrderRequest } from "../domain/order.ts";
import type { Liquidity } from "./fee_model.ts";
import {
  assertSlippage,
  NO_SLIPPAGE,
  quoteTakePrice,
  roundAdverse,
  type SlippageModel,
  slippedPrice,
} from "./slippage_model.ts";

/** How simulated orders fill on bars, quotes and trades (all optional). */
export interface FillSettings {
  /** Slippage of market orders and triggered stops; default none. */
  readonly slippage?: SlippageModel;
  /**
   * Fill limits when the market only reaches their price (bar low = buy limit). Default false: a
   * trade at our price does not prove the queue ahead of us was worked off; a trade through it does.
   */
  readonly limitFillOnTouch?: boolean;
  /**
   * Share of a bar's volume (a trade's size, a quote's size on the side taken) our orders may take
   * per side, 0 < r <= 1: at most floor(r × volume) lots, the rest keeps working. Default
   * undefined: no cap, an order fills in full whatever the volume (so bars without volume work).
   */
  readonly participationRate?: number;
}

/** FillSettings with the defaults applied and checked. */
export interface FillRules {
  readonly slippage: SlippageModel;
  readonly limitFillOnTouch: boolean;
  /** Parts per million of the volume; 0 = no cap. */
  readonly participationPpm: number;
}

/** The parts of an order the fill rules read. */
export type OrderTerms = Pick<OrderRequest, "side" | "type" | "limitPrice" | "stopPrice">;

const PPM = 1_000_000;

/** Applies defaults to `settings` and checks them; throws a RangeError naming a bad value. */
export function resolveFillRules(settings: FillSettings = {}): FillRules {
  const slippage = settings.slippage ?? NO_SLIPPAGE;
  assertSlippage(slippage);
  const r = settings.participationRate;
  if (r !== undefined && !(Number.isFinite(r) && r > 0 && r <= 1)) {
    throw new RangeError(`'participationRate' must be in (0, 1], got ${r}`);
  }
  // At least 1 ppm, so a tiny positive rate never turns into "no cap".
  const participationPpm = r === undefined ? 0 : Math.max(1, Math.round(r * PPM));
  return { slippage, limitFillOnTouch: settings.limitFillOnTouch ?? false, participationPpm };
}

/** Lots our orders may take per side from an event with `volume` lots: floor(rate × volume). */
export function participationCap(rules: FillRules, volume: number): number {
  const ppm = rules.participationPpm;
  if (ppm === 0) return Number.MAX_SAFE_INTEGER;
  const a = volume * ppm;
  // Exact integer floor while the product is a safe integer; bigint beyond (crypto lots).
  if (Number.isSafeInteger(a)) return (a - (a % PPM)) / PPM;
  return Number((BigInt(volume) * BigInt(ppm)) / BigInt(PPM));
}

/** True for the types that wait for a trigger (stop, stop_limit). */
export function isStopType(terms: OrderTerms): boolean {
  return terms.type === "stop" || terms.type === "stop_limit";
}

/**
 * Maker when a limit fills at its own price (the market came to the order); taker otherwise: a
 * market order, a stop, or a limit filled at a better price the market already showed (a gap
 * open, a quote through the limit).
 */
export function fillLiquidity(terms: OrderTerms, price: number): Liquidity {
  const limitLike = terms.type === "limit" || terms.type === "stop_limit";
  return limitLike && price === terms.limitPrice ? "maker" : "taker";
}

/** True when a bar with this high and low elects the stop (buy: high ≥ stop, sell: low ≤ stop). */
export function barTriggers(terms: OrderTerms, high: number, low: number): boolean {
  return terms.side === "buy" ? high >= terms.stopPrice : low <= terms.stopPrice;
}

/**
 * The price at which `qty` lots of the order fill on a bar, or 0. `triggered` says whether a stop
 * was elected before this bar. Rules (sells mirror buys):
 * - market, or a stop elected earlier: the open, plus slippage.
 * - stop: elected when high ≥ stop; fills at max(open, stop) plus slippage, the open when it gapped.
 * - limit: fills when low < limit (≤ on touch) at min(open, limit).
 * - stop-limit elected at the open (open ≥ stop): the whole bar came after the trigger, so it
 *   fills as a limit on this bar. Elected inside the bar: all that is known to follow the trigger
 *   is the print at the stop, so it fills on this bar only when that print is through the limit
 *   (stop < limit, ≤ on touch), at the stop; else it rests as a limit from the next bar, because
 *   the bar's low may have come before the trigger.
 */
export function matchBar(
  inst: Instrument,
  rules: FillRules,
  terms: OrderTerms,
  triggered: boolean,
  qty: number,
  open: number,
  high: number,
  low: number,
  volume: number,
): number {
  const buy = terms.side === "buy", stop = terms.stopPrice;
  switch (terms.type) {
    case "market":
      return slippedPrice(inst, rules.slippage, terms.side, open, qty, volume);
    case "limit":
      return limitOnBar(inst, rules, terms, open, high, low);
    case "stop": {
      if (triggered) return slippedPrice(inst, rules.slippage, terms.side, open, qty, volume);
      if (!barTriggers(terms, high, low)) return 0;
      const at = buy ? Math.max(open, stop) : Math.min(open, stop);
      return slippedPrice(inst, rules.slippage, terms.side, at, qty, volume);
    }
    case "stop_limit": {
      if (triggered || (buy ? open >= stop : open <= stop)) {
        return limitOnBar(inst, rules, terms, open, high, low);
      }
      if (!barTriggers(terms, high, low)) return 0;
      return through(rules, terms, stop) ? stop : 0;
    }
    default:
      return unsupported(terms);
  }
}

/** True when a quote elects the stop: buy when the ask ≥ stop, sell when the bid ≤ stop (present sides only). */
export function quoteTriggers(terms: OrderTerms, bid: number, ask: number): boolean {
  return terms.side === "buy"
    ? ask > 0 && ask >= terms.stopPrice
    : bid > 0 && bid <= terms.stopPrice;
}

/**
 * The price at which `qty` lots fill on a quote, or 0. A quote is standing liquidity, so an order
 * takes it: market (and a stop from the quote that elects it) at the touch plus slippage (buy at
 * the ask, sell at the bid; spread_share prices from the mid); a limit (and an elected stop-limit)
 * when the touch is at or through the limit, at the touch. The touch at our limit is a real offer
 * at our price, so limitFillOnTouch does not apply. `triggered`: elected before this quote.
 */
export function matchQuote(
  inst: Instrument,
  rules: FillRules,
  terms: OrderTerms,
  triggered: boolean,
  qty: number,
  bid: number,
  bidSize: number,
  ask: number,
  askSize: number,
): number {
  const buy = terms.side === "buy";
  const touch = buy ? ask : bid;
  if (touch <= 0) return 0; // the side we would take is empty
  if (isStopType(terms) && !triggered && !quoteTriggers(terms, bid, ask)) return 0;
  if (terms.type === "market" || terms.type === "stop") {
    return quoteTakePrice(inst, rules.slippage, terms.side, bid, ask, qty, buy ? askSize : bidSize);
  }
  if (terms.type !== "limit" && terms.type !== "stop_limit") return unsupported(terms);
  const ok = buy ? touch <= terms.limitPrice : touch >= terms.limitPrice;
  return ok ? roundAdverse(inst, terms.side, BigInt(touch), 1n) : 0;
}

/** True when a trade at `price` elects the stop (buy: price ≥ stop, sell: price ≤ stop). */
export function tradeTriggers(terms: OrderTerms, price: number): boolean {
  return terms.side === "buy" ? price >= terms.stopPrice : price <= terms.stopPrice;
}

/**
 * The price at which `qty` lots fill on a trade of `size` lots at `price`, or 0: market (and a
 * stop elected by an earlier trade) at the trade price plus slippage; a limit (and a stop-limit
 * elected earlier) when the trade went through it (price < buy limit, ≤ on touch) at the limit.
 * As in the matching engine, the print that elects a stop does not fill it: the order was not
 * live when that print happened; it fills from the next one. `triggered`: elected before this trade.
 */
export function matchTrade(
  inst: Instrument,
  rules: FillRules,
  terms: OrderTerms,
  triggered: boolean,
  qty: number,
  price: number,
  size: number,
): number {
  if (isStopType(terms) && !triggered) return 0;
  if (terms.type === "market" || terms.type === "stop") {
    return slippedPrice(inst, rules.slippage, terms.side, price, qty, size);
  }
  if (terms.type !== "limit" && terms.type !== "stop_limit") return unsupported(terms);
  return through(rules, terms, price) ? terms.limitPrice : 0;
}

// A limit on a bar: through when the bar went beyond the limit (or reached it, on touch); the
// price is the open when the bar opened beyond the limit, else the limit.
function limitOnBar(
  inst: Instrument,
  rules: FillRules,
  terms: OrderTerms,
  open: number,
  high: number,
  low: number,
): number {
  const buy = terms.side === "buy", limit = terms.limitPrice;
  if (!through(rules, terms, buy ? low : high)) return 0;
  const at = buy ? Math.min(open, limit) : Math.max(open, limit);
  // The open may be off the tick (a sub-penny print); rounding adversely keeps it within the limit.
  return roundAdverse(inst, terms.side, BigInt(at), 1n);
}

// True when a market price `p` went through the order's limit (or reached it, on touch).
function through(rules: FillRules, terms: OrderTerms, p: number): boolean {
  const limit = terms.limitPrice;
  if (p === limit) return rules.limitFillOnTouch;
  return terms.side === "buy" ? p < limit : p > limit;
}

// validateOrder refuses the types the simulation cannot execute, so reaching here is a bug.
function unsupported(terms: OrderTerms): never {
  throw new RangeError(`No fill rule for order type ${terms.type}`);
}

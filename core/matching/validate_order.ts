/**
 * Order checks at the engine's door. Two kinds, as everywhere in the core: a request that is not
 * even well formed (NaN quantity, unknown side) is corrupt and throws; a well-formed request the
 * venue would refuse (zero quantity, price off the tick, unknown symbol) gets a reason text that
 * becomes a `rejected` event.
 */
import { type Instrument, tickSizeAt } from "../domain/instrument.ts";
import type { OrderRequest } from "../domain/order.ts";

const SIDES: ReadonlySet<string> = new Set(["buy", "sell"]);
// Every value of the domain types is well formed; the ones the engine cannot execute
// (trailing_stop, opg, cls) are refused by validateOrder instead.
const TYPES: ReadonlySet<string> = new Set([
  "market",
  "limit",
  "stop",
  "stop_limit",
  "trailing_stop",
]);
const TIFS: ReadonlySet<string> = new Set(["day", "gtc", "opg", "cls", "ioc", "fok"]);

const NUMBER_FIELDS = ["qty", "limitPrice", "stopPrice", "createdAt"] as const;

/** Throws when `req` is corrupt: non-finite numbers or enum values outside their type. */
export function assertWellFormed(req: OrderRequest): void {
  if (typeof req.clientOrderId !== "string") {
    throw new TypeError(`Cannot submit order: 'clientOrderId' must be a string, got ${idOf(req)}`);
  }
  for (const field of NUMBER_FIELDS) {
    const v = req[field];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot submit order ${idOf(req)}: '${field}' must be a finite number, got ${v}`,
      );
    }
  }
  if (!SIDES.has(req.side)) {
    throw new RangeError(`Cannot submit order ${idOf(req)}: bad side ${req.side}`);
  }
  if (!TYPES.has(req.type)) {
    throw new RangeError(`Cannot submit order ${idOf(req)}: bad type ${req.type}`);
  }
  if (!TIFS.has(req.tif)) {
    throw new RangeError(`Cannot submit order ${idOf(req)}: bad tif ${req.tif}`);
  }
}

// Quoted for messages only: built when one is thrown, not on every order.
function idOf(req: OrderRequest): string {
  return JSON.stringify(req.clientOrderId);
}

/** Throws unless `now` is non-negative integer epoch microseconds. */
export function assertMicros(now: number): void {
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new RangeError(`'now' must be non-negative integer epoch microseconds, got ${now}`);
  }
}

/** Throws unless a market print has a positive integer price and a non-negative integer size. */
export function assertTrade(symbol: string, price: number, size: number): void {
  if (!Number.isSafeInteger(price) || price <= 0 || !Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`Cannot match trade in ${symbol}: bad price ${price} or size ${size}`);
  }
}

/**
 * Why a venue would refuse the well-formed `req` for `inst` (undefined: unknown symbol), or
 * undefined when it is acceptable. Duplicate ids are the engine's check: it holds the ids.
 */
export function validateOrder(req: OrderRequest, inst: Instrument | undefined): string | undefined {
  if (req.clientOrderId === "") return "clientOrderId must not be empty";
  if (inst === undefined) return `unknown symbol ${req.symbol}`;
  // Alpaca-only features: the engine has no trailing stops, auctions or linked orders.
  const cls = req.orderClass ?? "simple";
  if (req.type === "trailing_stop" || req.tif === "opg" || req.tif === "cls" || cls !== "simple") {
    const what = req.type === "trailing_stop"
      ? "type trailing_stop"
      : cls !== "simple"
      ? `order_class ${cls}`
      : `time_in_force ${req.tif}`;
    return `${what} is not supported by the matching engine (Alpaca only)`;
  }
  if (!Number.isSafeInteger(req.qty) || req.qty <= 0) {
    return `qty must be a positive integer number of lots, got ${req.qty}`;
  }
  const needsLimit = req.type === "limit" || req.type === "stop_limit";
  const needsStop = req.type === "stop" || req.type === "stop_limit";
  return checkPrice(inst, "limitPrice", req.limitPrice, needsLimit, req.type) ??
    checkPrice(inst, "stopPrice", req.stopPrice, needsStop, req.type);
}

function checkPrice(
  inst: Instrument,
  field: string,
  price: number,
  needed: boolean,
  type: string,
): string | undefined {
  // Order values use 0 for "no price"; a price on a type that ignores it is a caller bug worth
  // surfacing rather than silently dropping.
  if (!needed) return price === 0 ? undefined : `${field} must be 0 for a ${type} order`;
  if (!Number.isSafeInteger(price) || price <= 0) {
    return `${field} must be a positive integer number of ticks for a ${type} order, got ${price}`;
  }
  const tick = tickSizeAt(inst, price);
  if (price % tick !== 0) {
    return `${field} ${price} is off the tick: ${inst.symbol} trades in steps of ${tick} there`;
  }
  return undefined;
}

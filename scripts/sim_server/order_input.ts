/**
 * Alpaca order request bodies (POST /v2/orders, PATCH /v2/orders/{id}) turned into deno_rt
 * OrderRequests in exact integer units; trailing stops, opg / cls and order classes are checked
 * in order_class_input.ts. Bad input is a message (the caller answers 422 with it), never an
 * exception: it is expected, not corrupt.
 */
import {
  formatPrice,
  type Instrument,
  type InstrumentTable,
  parsePrice,
  parseQty,
} from "../../core/domain/instrument.ts";
import { notional, parseCash } from "../../core/domain/money.ts";
import type { OrderRequest, OrderSide, OrderType, TimeInForce } from "../../core/domain/order.ts";
import type { BookView } from "../../core/strategy/strategy.ts";
import {
  decimalText,
  ocoLimitRaw,
  orderClassOf,
  parseOrderClassFields,
  units,
} from "./order_class_input.ts";

/** An accepted body, or why it was refused. */
export type OrderInput =
  | {
    readonly ok: true;
    readonly request: OrderRequest;
    readonly extendedHours: boolean;
    /** The notional asked for, as sent, when the qty was sized from it. */
    readonly notional?: string;
  }
  | { readonly ok: false; readonly message: string };

const SIDES = new Set(["buy", "sell"]);
const TYPES = new Set(["market", "limit", "stop", "stop_limit", "trailing_stop"]);
const TIFS = new Set(["day", "gtc", "opg", "cls", "ioc", "fok"]);
// A replace keeps its order's type; auction orders never rest, so they are never replaced.
const REPLACE_TIFS = new Set(["day", "gtc", "ioc", "fok"]);
const MAX_CLIENT_ID = 128;

const fail = (message: string): OrderInput => ({ ok: false, message });

/** Parses a POST /v2/orders body against the live book of its symbol. */
export function parseNewOrder(
  body: Record<string, unknown>,
  instruments: InstrumentTable,
  book: (symbol: string) => BookView,
  now: number,
  newClientId: () => string,
): OrderInput {
  const symbol = body.symbol;
  if (typeof symbol !== "string" || symbol === "") return fail("symbol is required");
  const inst = instruments.get(symbol);
  if (inst === undefined) return fail(`asset "${symbol}" not found`);
  const side = body.side, type = body.type ?? body.order_type, tif = body.time_in_force;
  if (typeof side !== "string" || !SIDES.has(side)) return fail(`invalid side: ${side}`);
  if (typeof type !== "string" || !TYPES.has(type)) return fail(`invalid order type: ${type}`);
  if (typeof tif !== "string" || !TIFS.has(tif)) return fail(`invalid time_in_force: ${tif}`);
  const cls = orderClassOf(body);
  if (cls === undefined) return fail(`invalid order_class: ${body.order_class}`);
  const limitRaw = cls === "oco" && type === "limit" ? ocoLimitRaw(body) : body.limit_price;
  const prices = parsePrices(inst, type, limitRaw, body.stop_price);
  if (typeof prices === "string") return fail(prices);
  const more = parseOrderClassFields(
    body,
    inst,
    side as OrderSide,
    type,
    tif,
    cls,
    prices.limit,
    book(symbol),
  );
  if (typeof more === "string") return fail(more);
  const qty = parseOrderQty(inst, body, side as OrderSide, type, book(symbol));
  if (typeof qty === "string") return fail(qty);
  const cid = body.client_order_id ?? newClientId();
  if (typeof cid !== "string" || cid === "") return fail("client_order_id must be a string");
  if (cid.length > MAX_CLIENT_ID) {
    return fail(`client_order_id must be no more than ${MAX_CLIENT_ID} characters`);
  }
  const extendedHours = body.extended_hours === true;
  if (extendedHours && (type !== "limit" || tif !== "day")) {
    return fail("extended hours order must be DAY limit orders");
  }
  return {
    ok: true,
    extendedHours,
    notional: body.notional === undefined || body.notional === null
      ? undefined
      : decimalText(body.notional),
    request: {
      clientOrderId: cid,
      symbol,
      side: side as OrderSide,
      type: type as OrderType,
      tif: tif as TimeInForce,
      qty,
      limitPrice: prices.limit,
      stopPrice: prices.stop,
      source: "alpaca-api",
      createdAt: now,
      ...(extendedHours ? { extendedHours } : {}),
      ...more,
    },
  };
}

/** Parses a PATCH /v2/orders/{id} body into the replacement of `old`. */
export function parseReplace(
  body: Record<string, unknown>,
  inst: Instrument,
  old: OrderRequest,
  remainingQty: number,
  now: number,
  newClientId: () => string,
): OrderInput {
  if (old.type === "trailing_stop" || (old.orderClass ?? "simple") !== "simple") {
    // Alpaca replaces these too (a new trail, a leg's prices); the sim server does not yet.
    return fail(`the sim server cannot replace ${old.orderClass ?? old.type} orders`);
  }
  const tif = body.time_in_force ?? old.tif;
  if (typeof tif !== "string" || !REPLACE_TIFS.has(tif)) {
    return fail(`invalid time_in_force: ${tif}`);
  }
  let qty = remainingQty;
  if (body.qty !== undefined && body.qty !== null) {
    const text = decimalText(body.qty);
    if (text === undefined) return fail("qty must be a decimal string");
    const q = units(() => parseQty(inst, text, "qty"));
    if (typeof q === "string") return fail(q);
    if (q <= 0) return fail("qty must be > 0");
    qty = q;
  }
  const prices = parsePrices(
    inst,
    old.type,
    body.limit_price ?? (old.limitPrice > 0 ? formatPrice(inst, old.limitPrice) : undefined),
    body.stop_price ?? (old.stopPrice > 0 ? formatPrice(inst, old.stopPrice) : undefined),
  );
  if (typeof prices === "string") return fail(prices);
  const cid = body.client_order_id ?? newClientId();
  if (typeof cid !== "string" || cid === "" || cid.length > MAX_CLIENT_ID) {
    return fail("client_order_id must be a string of 1 to 128 characters");
  }
  return {
    ok: true,
    extendedHours: false,
    request: {
      ...old,
      clientOrderId: cid,
      tif: tif as TimeInForce,
      qty,
      limitPrice: prices.limit,
      stopPrice: prices.stop,
      createdAt: now,
    },
  };
}

function parsePrices(
  inst: Instrument,
  type: string,
  limitRaw: unknown,
  stopRaw: unknown,
): { limit: number; stop: number } | string {
  const needsLimit = type === "limit" || type === "stop_limit";
  const needsStop = type === "stop" || type === "stop_limit";
  const one = (raw: unknown, field: string, needed: boolean): number | string => {
    if (raw === undefined || raw === null) return needed ? `${field} is required` : 0;
    // Alpaca refuses a price the order type does not use rather than ignoring it.
    if (!needed) return `${field} must not be given for a ${type} order`;
    const text = decimalText(raw);
    if (text === undefined) return `${field} must be a decimal string`;
    return units(() => parsePrice(inst, text, field));
  };
  const limit = one(limitRaw, "limit_price", needsLimit);
  if (typeof limit === "string") return limit;
  const stop = one(stopRaw, "stop_price", needsStop);
  if (typeof stop === "string") return stop;
  return { limit, stop };
}

/** Lots from `qty`, or for a market order from `notional` at the touch (rounded down). */
function parseOrderQty(
  inst: Instrument,
  body: Record<string, unknown>,
  side: OrderSide,
  type: string,
  book: BookView,
): number | string {
  const hasQty = body.qty !== undefined && body.qty !== null;
  const hasNotional = body.notional !== undefined && body.notional !== null;
  if (hasQty === hasNotional) return "qty or notional is required, not both";
  if (hasQty) {
    const text = decimalText(body.qty);
    if (text === undefined) return "qty must be a decimal string";
    const q = units(() => parseQty(inst, text, "qty"));
    if (typeof q === "string") return q;
    return q > 0 ? q : "qty must be > 0";
  }
  if (type !== "market") return "notional orders must be market orders";
  const text = decimalText(body.notional);
  if (text === undefined) return "notional must be a decimal string";
  let cash: bigint;
  try {
    cash = parseCash(text, "notional");
  } catch (e) {
    return (e as Error).message;
  }
  const touch = side === "buy" ? book.bestAsk() : book.bestBid();
  if (touch <= 0) return `no market for ${inst.symbol} to size a notional order`;
  // The sim fills notional orders as a whole number of lots: floor(notional / touch price).
  const lots = cash / notional(inst, touch, 1);
  if (lots <= 0n) return "notional is too small for one lot";
  return Number(lots);
}

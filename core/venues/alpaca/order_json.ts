/**
 * Alpaca order JSON ↔ deno_rt orders in exact units. Alpaca sends every number as a decimal
 * string; they are parsed with the instrument's precision, never through a float. A malformed
 * order is corrupt venue data and throws AlpacaJsonError naming the field.
 */
import { formatPrice, formatQty, type InstrumentTable } from "../../domain/instrument.ts";
import type {
  OrderClass,
  OrderRequest,
  OrderStatus,
  OrderType,
  StopLossLeg,
  TakeProfitLeg,
  TimeInForce,
} from "../../domain/order.ts";
import { parseScaled } from "../../domain/fixed_point.ts";
import { parseTimestampMicros } from "../../domain/timestamp.ts";
import type { VenueOrder } from "../../execution/trading_client.ts";

/** An Alpaca payload that cannot be read (corrupt data, not an expected outcome). */
export class AlpacaJsonError extends Error {
  /** Names the field and the value. */
  constructor(message: string) {
    super(message);
    this.name = "AlpacaJsonError";
  }
}

type Json = Record<string, unknown>;

/**
 * Alpaca order status → ours. Statuses we have no state for map to the state that decides what the
 * engine may do next: `working` means new or partially_filled by the filled quantity.
 */
const STATUS: Record<string, OrderStatus | "working" | "calculated"> = {
  // Received by Alpaca, not yet acknowledged by the execution venue.
  pending_new: "pending_new",
  // Alpaca's "accepted": taken by Alpaca but not routed yet (e.g. outside market hours).
  accepted: "pending_new",
  // Bracket legs waiting for their parent: not yet at the venue either.
  held: "pending_new",
  new: "new",
  partially_filled: "partially_filled",
  filled: "filled",
  // Done executing for today; a GTC order resumes tomorrow, so it is still working.
  done_for_day: "working",
  canceled: "canceled",
  expired: "expired",
  replaced: "replaced",
  // A cancel or replace was asked for but not confirmed: the order can still fill meanwhile.
  pending_cancel: "working",
  pending_replace: "working",
  rejected: "rejected",
  // Halted and not eligible for trading now, but not terminal: it may be resumed.
  suspended: "working",
  // Guaranteed an execution at a price (Alpaca's "stopped"); not filled yet.
  stopped: "working",
  // Executed for the day, settlement figures pending: filled if all executed, else still working.
  calculated: "calculated",
};

/** Maps an Alpaca order status to ours, given the filled and ordered quantity in lots. */
export function statusFromAlpaca(status: string, filledQty: number, qty: number): OrderStatus {
  const s = STATUS[status];
  if (s === undefined) throw new AlpacaJsonError(`unknown Alpaca order status ${status}`);
  if (s === "calculated" && filledQty >= qty && qty > 0) return "filled";
  if (s === "working" || s === "calculated") return filledQty > 0 ? "partially_filled" : "new";
  return s;
}

const TYPES = new Set<string>(["market", "limit", "stop", "stop_limit", "trailing_stop"]);
const TIFS = new Set<string>(["day", "gtc", "opg", "cls", "ioc", "fok"]);
// "" is Alpaca's older spelling of "simple" (the documented order entity still shows it).
const CLASSES = new Set<string>(["", "simple", "bracket", "oco", "oto"]);
// A trail percent on the wire: plain decimal text, no sign or exponent ("1.5", "0.25").
const PERCENT_RE = /^\d+(?:\.\d+)?$/;

/** A required string field. */
export function stringField(o: Json, field: string): string {
  const v = o[field];
  if (typeof v !== "string") {
    throw new AlpacaJsonError(`Alpaca '${field}' must be a string, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** An optional decimal string field in `decimals` units; 0 when null or absent. */
function unitsField(o: Json, field: string, decimals: number): number {
  const v = o[field];
  if (v === null || v === undefined) return 0;
  if (typeof v !== "string") {
    throw new AlpacaJsonError(`Alpaca '${field}' must be a decimal string, got ${String(v)}`);
  }
  return parseScaled(v, decimals, field);
}

const QUOTES = ["USDT", "USDC", "USD", "BTC", "ETH"];

/** Alpaca's older crypto symbols have no slash ("SOLUSD"): the pair form ("SOL/USD") deno_rt uses. */
export function pairSymbol(symbol: string): string {
  if (symbol.includes("/")) return symbol;
  for (const q of QUOTES) {
    if (symbol.length > q.length && symbol.endsWith(q)) return `${symbol.slice(0, -q.length)}/${q}`;
  }
  return symbol;
}

/** An optional trail_percent: a number (1.5 = 1.5 %), undefined when null or absent. */
function percentField(o: Json, field: string): number | undefined {
  const v = o[field];
  if (v === null || v === undefined) return undefined;
  if (typeof v !== "string" || !PERCENT_RE.test(v)) {
    throw new AlpacaJsonError(`Alpaca '${field}' must be a decimal string, got ${String(v)}`);
  }
  return Number(v);
}

/**
 * The take-profit and stop-loss of an order with legs (Alpaca nests them as whole order objects):
 * the limit leg is the take-profit, the stop or stop_limit leg the stop-loss. An oco parent is
 * itself the take-profit; Alpaca lists only its stop-loss under `legs`.
 */
function legsOf(
  o: Json,
  cls: OrderClass,
  type: string,
  decimals: number,
): { takeProfit?: TakeProfitLeg; stopLoss?: StopLossLeg } {
  const out: { takeProfit?: TakeProfitLeg; stopLoss?: StopLossLeg } = {};
  if (cls === "oco" && type === "limit") {
    out.takeProfit = { limitPrice: unitsField(o, "limit_price", decimals) };
  }
  if (o.legs === null || o.legs === undefined) return out;
  if (!Array.isArray(o.legs)) {
    throw new AlpacaJsonError(`Alpaca 'legs' must be an array or null, got ${String(o.legs)}`);
  }
  for (const leg of o.legs) {
    if (typeof leg !== "object" || leg === null) {
      throw new AlpacaJsonError(`Alpaca leg must be an order object, got ${JSON.stringify(leg)}`);
    }
    const l = leg as Json;
    const legType = typeof l.order_type === "string" ? l.order_type : stringField(l, "type");
    const limitPrice = unitsField(l, "limit_price", decimals);
    if (legType === "limit") out.takeProfit = { limitPrice };
    else if (legType === "stop" || legType === "stop_limit") {
      const stopPrice = unitsField(l, "stop_price", decimals);
      out.stopLoss = legType === "stop" ? { stopPrice } : { stopPrice, limitPrice };
    } else if (!TYPES.has(legType)) {
      throw new AlpacaJsonError(`unsupported Alpaca leg type ${legType}`);
    }
    // Other leg types (a trailing stop-loss, which Alpaca plans) carry no TP/SL price to read.
  }
  return out;
}

/**
 * Reads an Alpaca order object into a VenueOrder of an instrument in `instruments`. The optional
 * request fields appear only when they say something (extended hours, a non-simple class, a
 * trail), so a plain order reads back exactly as before they existed. A trailing stop's `hwm` and
 * moving `stop_price` are the venue's live state, not part of the request: stopPrice reads as 0.
 */
export function orderFromJson(json: unknown, instruments: InstrumentTable): VenueOrder {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new AlpacaJsonError(`Alpaca order must be an object, got ${JSON.stringify(json)}`);
  }
  const o = json as Json;
  const raw = stringField(o, "symbol");
  const inst = instruments.get(raw) ?? instruments.get(pairSymbol(raw));
  if (inst === undefined) throw new AlpacaJsonError(`Alpaca order for unknown symbol ${raw}`);
  const symbol = inst.symbol;
  const side = stringField(o, "side");
  if (side !== "buy" && side !== "sell") throw new AlpacaJsonError(`Alpaca side ${side}`);
  const type = typeof o.order_type === "string" ? o.order_type : stringField(o, "type");
  if (!TYPES.has(type)) throw new AlpacaJsonError(`unsupported Alpaca order type ${type}`);
  const tif = stringField(o, "time_in_force");
  if (!TIFS.has(tif)) throw new AlpacaJsonError(`unsupported Alpaca time_in_force ${tif}`);
  const rawClass = o.order_class ?? "";
  if (typeof rawClass !== "string" || !CLASSES.has(rawClass)) {
    throw new AlpacaJsonError(`unsupported Alpaca order_class ${String(rawClass)}`);
  }
  const cls: OrderClass = rawClass === "" ? "simple" : rawClass as OrderClass;
  const filledQty = unitsField(o, "filled_qty", inst.qtyDecimals);
  // A notional order has no qty until it fills; what filled is then the whole order.
  const qty = o.qty === null ? filledQty : unitsField(o, "qty", inst.qtyDecimals);
  const createdAt = parseTimestampMicros(stringField(o, "created_at"));
  const updatedAt = typeof o.updated_at === "string"
    ? parseTimestampMicros(o.updated_at)
    : createdAt;
  if (Number.isNaN(createdAt) || Number.isNaN(updatedAt)) {
    throw new AlpacaJsonError(`Alpaca order ${String(o.id)} has an unreadable timestamp`);
  }
  const trailing = type === "trailing_stop";
  const trailPrice = unitsField(o, "trail_price", inst.priceDecimals);
  const trailPercent = percentField(o, "trail_percent");
  const request: OrderRequest = {
    clientOrderId: stringField(o, "client_order_id"),
    symbol,
    side,
    type: type as OrderType,
    tif: tif as TimeInForce,
    qty,
    limitPrice: unitsField(o, "limit_price", inst.priceDecimals),
    stopPrice: trailing ? 0 : unitsField(o, "stop_price", inst.priceDecimals),
    // Alpaca does not know which strategy asked; the engine keeps that on its own record.
    source: "alpaca",
    createdAt,
    ...(trailPrice > 0 ? { trailPrice } : {}),
    ...(trailPercent !== undefined ? { trailPercent } : {}),
    ...(o.extended_hours === true ? { extendedHours: true } : {}),
    ...(cls === "simple" ? {} : { orderClass: cls, ...legsOf(o, cls, type, inst.priceDecimals) }),
  };
  return {
    clientOrderId: request.clientOrderId,
    venueOrderId: stringField(o, "id"),
    request,
    status: statusFromAlpaca(stringField(o, "status"), filledQty, qty),
    filledQty,
    updatedAt,
  };
}

/** A trail percent as Alpaca's decimal text; throws unless it is a plain positive decimal. */
function percentText(request: OrderRequest, p: number): string {
  const text = String(p);
  if (!(p > 0) || !PERCENT_RE.test(text)) {
    throw new RangeError(
      `Cannot submit order ${request.clientOrderId}: 'trailPercent' must be a positive decimal ` +
        `number, got ${p}`,
    );
  }
  return text;
}

/**
 * Throws for a request Alpaca's JSON cannot say: fields that would be silently dropped (a trail
 * on a non-trailing order, legs on a simple one) and extended hours outside limit day orders,
 * which Alpaca refuses ("Only limit day orders will be accepted as extended hours eligible").
 * The other rules (bracket legs present, oco type limit, one trail) are Alpaca's to answer, 422.
 */
function assertExpressible(request: OrderRequest): void {
  const fail = (why: string) => {
    throw new RangeError(`Cannot submit order ${request.clientOrderId}: ${why}`);
  };
  const cls = request.orderClass ?? "simple";
  if (
    request.type !== "trailing_stop" &&
    (request.trailPrice !== undefined || request.trailPercent !== undefined)
  ) fail(`a trail is only for trailing_stop orders, not ${request.type}`);
  if (cls === "simple" && (request.takeProfit !== undefined || request.stopLoss !== undefined)) {
    fail("takeProfit and stopLoss need orderClass bracket, oco or oto");
  }
  if (
    request.extendedHours === true &&
    (request.type !== "limit" || request.tif !== "day" || cls !== "simple")
  ) {
    fail(
      `extendedHours is only for simple limit day orders, got ${cls} ${request.type} ` +
        request.tif,
    );
  }
}

/**
 * The POST /v2/orders body of `request`, field for field as Alpaca names them; prices (legs
 * included) are decimal strings at the instrument's precision. Throws a RangeError for a symbol
 * not in `instruments` and for a request the JSON cannot express (see assertExpressible).
 * @example
 * ```ts
 * import { InstrumentTable } from "../../domain/instrument.ts";
 * import { newOrderJson } from "./order_json.ts";
 * const body = newOrderJson({
 *   clientOrderId: "b1", symbol: "SPY", side: "buy", type: "market", tif: "gtc", qty: 100,
 *   limitPrice: 0, stopPrice: 0, source: "manual", createdAt: 0, orderClass: "bracket",
 *   takeProfit: { limitPrice: 3_010_000 }, stopLoss: { stopPrice: 2_990_000 },
 * }, new InstrumentTable(["SPY"], "ALPACA"));
 * body.take_profit; // { limit_price: "301.00" }
 * ```
 */
export function newOrderJson(request: OrderRequest, instruments: InstrumentTable): Json {
  const inst = instruments.get(request.symbol);
  if (inst === undefined) {
    throw new RangeError(`Cannot submit order: unknown symbol ${request.symbol}`);
  }
  assertExpressible(request);
  const cls = request.orderClass ?? "simple";
  const price = (ticks: number) => formatPrice(inst, ticks);
  const body: Json = {
    symbol: request.symbol,
    qty: formatQty(inst, request.qty),
    side: request.side,
    type: request.type,
    time_in_force: request.tif,
    client_order_id: request.clientOrderId,
  };
  // An oco order's limit is its take-profit's: Alpaca's example and the official JS SDK
  // (alpaca-trade-api-js src/orders.ts buildOcoOrder) send it only in take_profit.
  if (request.limitPrice > 0 && cls !== "oco") body.limit_price = price(request.limitPrice);
  if (request.stopPrice > 0) body.stop_price = price(request.stopPrice);
  if (request.trailPrice !== undefined) body.trail_price = price(request.trailPrice);
  if (request.trailPercent !== undefined) {
    body.trail_percent = percentText(request, request.trailPercent);
  }
  if (request.extendedHours === true) body.extended_hours = true;
  if (cls !== "simple") {
    body.order_class = cls;
    const tp = request.takeProfit, sl = request.stopLoss;
    if (tp !== undefined) body.take_profit = { limit_price: price(tp.limitPrice) };
    if (sl !== undefined) {
      body.stop_loss = sl.limitPrice === undefined
        ? { stop_price: price(sl.stopPrice) }
        : { stop_price: price(sl.stopPrice), limit_price: price(sl.limitPrice) };
    }
  }
  return body;
}

/**
 * The PATCH /v2/orders/{id} body that turns an order into `next`; a trailing stop's new trail
 * goes in Alpaca's `trail` field (its price or percent, whichever the order trails by).
 */
export function replaceJson(next: OrderRequest, instruments: InstrumentTable): Json {
  const full = newOrderJson(next, instruments);
  const body: Json = {
    qty: full.qty,
    time_in_force: full.time_in_force,
    client_order_id: full.client_order_id,
  };
  if (full.limit_price !== undefined) body.limit_price = full.limit_price;
  if (full.stop_price !== undefined) body.stop_price = full.stop_price;
  const trail = full.trail_price ?? full.trail_percent;
  if (trail !== undefined) body.trail = trail;
  return body;
}

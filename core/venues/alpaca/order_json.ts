/**
 * Alpaca order JSON ↔ deno_rt orders in exact units. Alpaca sends every number as a decimal
 * string; they are parsed with the instrument's precision, never through a float. A malformed
 * order is corrupt venue data and throws AlpacaJsonError naming the field.
 */
import { formatPrice, formatQty, type InstrumentTable } from "../../domain/instrument.ts";
import type { OrderRequest, OrderStatus, OrderType, TimeInForce } from "../../domain/order.ts";
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

const TYPES = new Set<string>(["market", "limit", "stop", "stop_limit"]);
const TIFS = new Set<string>(["day", "gtc", "ioc", "fok"]);

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

/** Reads an Alpaca order object into a VenueOrder of an instrument in `instruments`. */
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
  const request: OrderRequest = {
    clientOrderId: stringField(o, "client_order_id"),
    symbol,
    side,
    type: type as OrderType,
    tif: tif as TimeInForce,
    qty,
    limitPrice: unitsField(o, "limit_price", inst.priceDecimals),
    stopPrice: unitsField(o, "stop_price", inst.priceDecimals),
    // Alpaca does not know which strategy asked; the engine keeps that on its own record.
    source: "alpaca",
    createdAt,
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

/** The POST /v2/orders body of `request`; throws for a symbol not in `instruments`. */
export function newOrderJson(request: OrderRequest, instruments: InstrumentTable): Json {
  const inst = instruments.get(request.symbol);
  if (inst === undefined) {
    throw new RangeError(`Cannot submit order: unknown symbol ${request.symbol}`);
  }
  const body: Json = {
    symbol: request.symbol,
    qty: formatQty(inst, request.qty),
    side: request.side,
    type: request.type,
    time_in_force: request.tif,
    client_order_id: request.clientOrderId,
  };
  if (request.limitPrice > 0) body.limit_price = formatPrice(inst, request.limitPrice);
  if (request.stopPrice > 0) body.stop_price = formatPrice(inst, request.stopPrice);
  return body;
}

/** The PATCH /v2/orders/{id} body that turns an order into `next`. */
export function replaceJson(next: OrderRequest, instruments: InstrumentTable): Json {
  const full = newOrderJson(next, instruments);
  const body: Json = {
    qty: full.qty,
    time_in_force: full.time_in_force,
    client_order_id: full.client_order_id,
  };
  if (full.limit_price !== undefined) body.limit_price = full.limit_price;
  if (full.stop_price !== undefined) body.stop_price = full.stop_price;
  return body;
}

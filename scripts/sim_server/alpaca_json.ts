/**
 * Alpaca Trading API JSON shapes built from the sim server's records: order, position, account,
 * asset, clock and error bodies. Numbers go out as decimal strings, as Alpaca sends them, and
 * every amount is formatted from exact integer units or Cash, never from a float.
 */
import {
  formatPrice,
  formatQty,
  type Instrument,
  type InstrumentTable,
} from "../../core/domain/instrument.ts";
import { type Cash, cashPerLotToTicks, formatCash } from "../../core/domain/money.ts";
import { formatRfc3339Micros } from "../../core/domain/timestamp.ts";
import type { PositionSnapshot } from "../../core/portfolio/position.ts";
import type { OrderLedger, OrderRecord } from "./order_ledger.ts";

/** Alpaca's error body `{"code": ..., "message": ...}` with `status`. */
export function alpacaError(
  status: number,
  code: number,
  message: string,
  headers?: HeadersInit,
): Response {
  return Response.json({ code, message }, { status, headers });
}

/** The error bodies the server sends, as Alpaca words them. */
export const ERRORS = {
  unauthorized: () => alpacaError(401, 40110000, "request is not authorized"),
  invalid: (message: string) => alpacaError(422, 40010001, message),
  malformed: () => alpacaError(400, 40010000, "request body format is invalid"),
  buyingPower: () => alpacaError(403, 40310000, "insufficient buying power"),
  orderNotFound: () => alpacaError(404, 40410000, "order not found"),
  positionNotFound: () => alpacaError(404, 40410000, "position does not exist"),
  assetNotFound: (symbol: string) => alpacaError(404, 40410000, `asset not found for ${symbol}`),
  notCancelable: (status: string) =>
    alpacaError(422, 42210000, `order is already in "${status}" state`),
  rateLimited: () => alpacaError(429, 42910000, "rate limit exceeded", { "Retry-After": "1" }),
  internal: () => alpacaError(500, 50010000, "internal server error occurred"),
};

const time = (us: number | undefined): string | null =>
  us === undefined ? null : formatRfc3339Micros(us);

/** A stable UUID per instrument index, for `asset_id`. */
export function assetUuid(inst: Instrument): string {
  return `00000000-0000-4000-a000-${inst.index.toString(16).padStart(12, "0")}`;
}

/**
 * The Alpaca order object of `rec`; `ledger` resolves replace links to order ids and an order's
 * legs to their own order objects (Alpaca nests them under `legs`; a leg's own `legs` is null).
 */
export function orderJson(
  inst: Instrument,
  rec: OrderRecord,
  ledger: OrderLedger,
): Record<string, unknown> {
  const o = rec.order, q = o.request, links = rec.links;
  const link = (cid: string | undefined) =>
    cid === undefined ? null : ledger.byClientId(cid)?.id ?? null;
  const price = (ticks: number | undefined) =>
    ticks !== undefined && ticks > 0 ? formatPrice(inst, ticks) : null;
  const trailing = q.type === "trailing_stop";
  const legs = (links?.legs ?? []).flatMap((cid) => {
    const leg = ledger.byClientId(cid);
    return leg === undefined ? [] : [orderJson(inst, leg, ledger)];
  });
  return {
    id: rec.id,
    client_order_id: o.clientOrderId,
    created_at: formatRfc3339Micros(rec.createdAt),
    updated_at: formatRfc3339Micros(rec.updatedAt),
    submitted_at: formatRfc3339Micros(rec.createdAt),
    filled_at: time(rec.filledAt),
    expired_at: time(rec.expiredAt),
    canceled_at: time(rec.canceledAt),
    failed_at: null,
    replaced_at: time(rec.replacedAt),
    replaced_by: link(rec.replacedBy),
    replaces: link(rec.replaces),
    asset_id: assetUuid(inst),
    symbol: q.symbol,
    asset_class: inst.assetClass,
    notional: rec.notional ?? null,
    qty: formatQty(inst, q.qty),
    filled_qty: formatQty(inst, o.filledQty),
    // Rounded to the instrument's tick: an exact average may not terminate in decimal.
    filled_avg_price: o.filledQty === 0
      ? null
      : formatPrice(inst, cashPerLotToTicks(inst, rec.filledNotional, o.filledQty)),
    // "" for a simple order, as the documented order entity shows it.
    order_class: q.orderClass === undefined || q.orderClass === "simple" ? "" : q.orderClass,
    order_type: q.type,
    type: q.type,
    side: q.side,
    position_intent: null,
    time_in_force: q.tif,
    limit_price: price(q.limitPrice),
    // A trailing stop's stop price moves with its water mark.
    stop_price: trailing ? price(links?.stop) : price(q.stopPrice),
    status: links?.held === true ? "held" : o.status,
    extended_hours: rec.extendedHours,
    legs: legs.length > 0 ? legs : null,
    trail_percent: q.trailPercent === undefined ? null : String(q.trailPercent),
    trail_price: price(q.trailPrice),
    hwm: trailing ? price(links?.hwm) : null,
  };
}

/** The Alpaca position object of a non-flat position. */
export function positionJson(inst: Instrument, p: PositionSnapshot): Record<string, unknown> {
  const abs = (c: Cash) => (c < 0n ? -c : c);
  const price = (ticks: number) => (ticks > 0 ? formatPrice(inst, ticks) : "0");
  // unrealized_plpc is a ratio, not money: a float string is what Alpaca sends too.
  const plpc = p.costBasis === 0n ? 0 : Number(p.unrealized) / Number(abs(p.costBasis));
  return {
    asset_id: assetUuid(inst),
    symbol: p.symbol,
    exchange: inst.assetClass === "crypto" ? "CRYPTO" : "SIM",
    asset_class: inst.assetClass,
    asset_marginable: false,
    avg_entry_price: price(p.avgPrice),
    qty: formatQty(inst, p.qty),
    qty_available: formatQty(inst, p.qty),
    side: p.qty > 0 ? "long" : "short",
    market_value: formatCash(p.marketValue),
    cost_basis: formatCash(p.costBasis),
    unrealized_pl: formatCash(p.unrealized),
    unrealized_plpc: String(plpc),
    unrealized_intraday_pl: formatCash(p.unrealized),
    unrealized_intraday_plpc: String(plpc),
    current_price: price(p.markPrice),
    lastday_price: price(p.markPrice),
    change_today: "0",
  };
}

/** The Alpaca account object of the sim account (a cash account: buying power = free cash). */
export function accountJson(ledger: OrderLedger, createdAt: number): Record<string, unknown> {
  const pf = ledger.portfolio, t = pf.totals();
  let long = 0n, short = 0n;
  for (const p of pf.positions()) {
    if (p.marketValue >= 0n) long += p.marketValue;
    else short += p.marketValue;
  }
  const free = t.cash - ledger.heldForBuys();
  const buyingPower = formatCash(free > 0n ? free : 0n);
  return {
    id: "00000000-0000-4000-9000-000000000001",
    account_number: "SIM000001",
    status: "ACTIVE",
    crypto_status: "ACTIVE",
    currency: "USD",
    cash: formatCash(t.cash),
    buying_power: buyingPower,
    regt_buying_power: buyingPower,
    daytrading_buying_power: "0",
    non_marginable_buying_power: buyingPower,
    portfolio_value: formatCash(t.equity),
    equity: formatCash(t.equity),
    last_equity: formatCash(pf.sessionStartEquity),
    long_market_value: formatCash(long),
    short_market_value: formatCash(short),
    initial_margin: "0",
    maintenance_margin: "0",
    last_maintenance_margin: "0",
    multiplier: "1",
    daytrade_count: 0,
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    trade_suspended_by_user: false,
    shorting_enabled: true,
    created_at: formatRfc3339Micros(createdAt),
  };
}

/** The Alpaca asset object of `inst`. */
export function assetJson(inst: Instrument): Record<string, unknown> {
  const crypto = inst.assetClass === "crypto";
  return {
    id: assetUuid(inst),
    class: inst.assetClass,
    exchange: crypto ? "CRYPTO" : "SIM",
    symbol: inst.symbol,
    name: `${inst.symbol} (simulated)`,
    status: "active",
    tradable: true,
    marginable: false,
    shortable: !crypto,
    easy_to_borrow: !crypto,
    fractionable: inst.qtyDecimals > 0,
    min_order_size: formatQty(inst, 1),
    min_trade_increment: formatQty(inst, 1),
    price_increment: formatPrice(inst, 1),
    attributes: [],
  };
}

/** Every asset of `instruments`, in table order. */
export function assetsJson(instruments: InstrumentTable): Record<string, unknown>[] {
  return instruments.list().map(assetJson);
}

/** The Alpaca clock: the sim trades around the clock, so the market is always open. */
export function clockJson(nowMicros: number): Record<string, unknown> {
  const day = 86_400_000_000;
  return {
    timestamp: formatRfc3339Micros(nowMicros),
    is_open: true,
    // Always open: the next session boundaries are a day away, so clients never wait for one.
    next_open: formatRfc3339Micros(nowMicros + day),
    next_close: formatRfc3339Micros(nowMicros + day),
  };
}

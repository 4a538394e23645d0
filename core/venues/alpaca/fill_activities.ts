/**
 * Fills from Alpaca's account activities (GET /v2/account/activities/FILL): how executions that
 * happened while trade_updates was down are recovered. Each activity carries the order's Alpaca
 * id and its cumulative filled quantity, so the recovered Fill gets the same id (alpacaFillId) as
 * the stream would have given it, and the kernel applies it once whichever source came first.
 */
import type { InstrumentTable } from "../../domain/instrument.ts";
import { decimalToUnits } from "../../domain/decimal_units.ts";
import { parseScaled } from "../../domain/fixed_point.ts";
import type { Fill } from "../../domain/order.ts";
import { formatRfc3339Micros, parseTimestampMicros } from "../../domain/timestamp.ts";
import { AlpacaJsonError, pairSymbol, stringField } from "./order_json.ts";
import { alpacaFillId } from "./trade_updates.ts";

/** One FILL activity in exact units; `clientOrderId` is resolved by the caller. */
export interface FillActivity {
  /** Alpaca's activity id: the page token of the next page. */
  readonly id: string;
  readonly venueOrderId: string;
  readonly fill: Omit<Fill, "clientOrderId">;
}

// Alpaca's largest page of activities.
const PAGE_SIZE = 100;

/** The request path of the page of FILL activities after `afterMicros`, oldest first. */
export function fillActivitiesPath(afterMicros: number, pageToken?: string): string {
  const q = new URLSearchParams({
    after: formatRfc3339Micros(afterMicros),
    direction: "asc",
    page_size: String(PAGE_SIZE),
  });
  if (pageToken !== undefined) q.set("page_token", pageToken);
  return `/v2/account/activities/FILL?${q}`;
}

/** Whether a page this long may have a successor. */
export function isFullPage(length: number): boolean {
  return length >= PAGE_SIZE;
}

/** Reads one FILL activity; undefined for instruments outside the table. Throws AlpacaJsonError when malformed. */
export function fillActivityFromJson(
  json: unknown,
  instruments: InstrumentTable,
  recvMicros: number,
): FillActivity | undefined {
  if (typeof json !== "object" || json === null) {
    throw new AlpacaJsonError(`activity must be an object, got ${JSON.stringify(json)}`);
  }
  const a = json as Record<string, unknown>;
  const inst = instruments.get(pairSymbol(stringField(a, "symbol")));
  if (inst === undefined) return undefined;
  const side = stringField(a, "side");
  if (side !== "buy" && side !== "sell") {
    // Alpaca reports short sales as "sell_short"; for the position they are sells.
    if (side !== "sell_short") throw new AlpacaJsonError(`activity side ${side} unknown`);
  }
  const venueOrderId = stringField(a, "order_id");
  const cumQty = parseScaled(stringField(a, "cum_qty"), inst.qtyDecimals, "cum_qty");
  const price = decimalToUnits(stringField(a, "price"), inst.priceDecimals);
  if (!Number.isSafeInteger(price) || price <= 0) {
    throw new AlpacaJsonError(`activity price ${JSON.stringify(a.price)} is not a price`);
  }
  const venueTime = parseTimestampMicros(stringField(a, "transaction_time"));
  if (Number.isNaN(venueTime)) {
    throw new AlpacaJsonError(`activity time ${JSON.stringify(a.transaction_time)} unreadable`);
  }
  return {
    id: stringField(a, "id"),
    venueOrderId,
    fill: {
      fillId: alpacaFillId(venueOrderId, cumQty),
      venueOrderId,
      symbol: inst.symbol,
      side: side === "buy" ? "buy" : "sell",
      qty: parseScaled(stringField(a, "qty"), inst.qtyDecimals, "qty"),
      price,
      fee: 0n,
      liquidity: "taker",
      venueTime,
      recvTime: recvMicros,
    },
  };
}

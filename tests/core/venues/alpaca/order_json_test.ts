// Golden tests of Alpaca order JSON for trailing stops, opg / cls, extended hours and the bracket /
// oco / oto order classes, from Alpaca's documented requests and order entity. Sources:
// - ORDERS_GUIDE: https://docs.alpaca.markets/docs/orders-at-alpaca (source
//   github.com/alpacahq/alpaca-docs content/trading/orders.md; formerly
//   alpaca.markets/docs/trading/orders/)
// - ORDER_ENTITY: https://alpaca.markets/docs/api-references/trading-api/orders/ § Order Entity
//   (source github.com/alpacahq/alpaca-docs data/webapi/entities/order-v2.yaml)
// - JS_SDK: github.com/alpacahq/alpaca-trade-api-js src/orders.ts (npm @alpacahq/alpaca-trade-api
//   4.0.2, also under tests/fixtures/alpaca_sdk/node_modules)
import assert from "node:assert/strict";
import { InstrumentTable } from "../../../../core/domain/instrument.ts";
import type { OrderRequest } from "../../../../core/domain/order.ts";
import {
  AlpacaJsonError,
  newOrderJson,
  orderFromJson,
  replaceJson,
} from "../../../../core/venues/alpaca/order_json.ts";
import { DOCUMENTED_ORDER } from "../_alpaca_documented_order.ts";

const TABLE = new InstrumentTable(["SPY", "AAPL"], "ALPACA");
type Json = Record<string, unknown>;

/** SPY in ticks (4 decimals). */
const px = (dollars: number) => Math.round(dollars * 10_000);

const request = (extra: Partial<OrderRequest>): OrderRequest => ({
  clientOrderId: "cid-1",
  symbol: "SPY",
  side: "buy",
  type: "market",
  tif: "gtc",
  qty: 100,
  limitPrice: 0,
  stopPrice: 0,
  source: "test",
  createdAt: 0,
  ...extra,
});

/**
 * The documented bodies write prices as "301" and "298.5"; deno_rt sends the instrument's
 * precision ("301.00", "298.50"). Equal decimals compare equal after this.
 */
function canonical(v: unknown): unknown {
  if (typeof v === "string" && /^\d+\.\d+$/.test(v)) return v.replace(/\.?0+$/, "");
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
  }
  return v;
}

/** Asserts `body` is the documented JSON (plus our client_order_id), field for field. */
function assertDocumented(body: Json, documented: string): void {
  assert.deepEqual(
    canonical(body),
    canonical({ ...JSON.parse(documented), client_order_id: "cid-1" }),
  );
}

Deno.test("golden: bracket request (ORDERS_GUIDE § Bracket Orders example) ← newOrderJson", () => {
  const body = newOrderJson(
    request({
      orderClass: "bracket",
      takeProfit: { limitPrice: px(301) },
      stopLoss: { stopPrice: px(299), limitPrice: px(298.5) },
    }),
    TABLE,
  );
  assertDocumented(
    body,
    `{
  "side": "buy",
  "symbol": "SPY",
  "type": "market",
  "qty": "100",
  "time_in_force": "gtc",
  "order_class": "bracket",
  "take_profit": {
    "limit_price": "301"
  },
  "stop_loss": {
    "stop_price": "299",
    "limit_price": "298.5"
  }
}`,
  );
  // Decimal strings at the instrument's precision.
  assert.deepEqual(body.stop_loss, { stop_price: "299.00", limit_price: "298.50" });
});

Deno.test("golden: oco request (ORDERS_GUIDE § OCO Orders example) ← newOrderJson, limit only in take_profit", () => {
  const body = newOrderJson(
    request({
      side: "sell",
      type: "limit",
      // The take-profit's limit; the documented body (and JS_SDK buildOcoOrder) sends no
      // top-level limit_price for an oco order.
      limitPrice: px(301),
      orderClass: "oco",
      takeProfit: { limitPrice: px(301) },
      stopLoss: { stopPrice: px(299), limitPrice: px(298.5) },
    }),
    TABLE,
  );
  assertDocumented(
    body,
    `{
  "side": "sell",
  "symbol": "SPY",
  "type": "limit",
  "qty": "100",
  "time_in_force": "gtc",
  "order_class": "oco",
  "take_profit": {
    "limit_price": "301"
  },
  "stop_loss": {
    "stop_price": "299",
    "limit_price": "298.5"
  }
}`,
  );
});

Deno.test("golden: oto request (ORDERS_GUIDE § OTO Orders example) ← newOrderJson", () => {
  const body = newOrderJson(
    request({ orderClass: "oto", stopLoss: { stopPrice: px(299), limitPrice: px(298.5) } }),
    TABLE,
  );
  assertDocumented(
    body,
    `{
  "side": "buy",
  "symbol": "SPY",
  "type": "market",
  "qty": "100",
  "time_in_force": "gtc",
  "order_class": "oto",
  "stop_loss": {
    "stop_price": "299",
    "limit_price": "298.5"
  }
}`,
  );
});

Deno.test("golden: trailing stop request (ORDERS_GUIDE § Trailing Stop Orders example) ← newOrderJson", () => {
  const body = newOrderJson(
    request({ side: "sell", type: "trailing_stop", tif: "day", trailPrice: px(6.15) }),
    TABLE,
  );
  assertDocumented(
    body,
    `{
  "side": "sell",
  "symbol": "SPY",
  "type": "trailing_stop",
  "qty": "100",
  "time_in_force": "day",
  "trail_price": "6.15"
}`,
  );
});

Deno.test("trail_percent goes out as its decimal string (JS_SDK buildTrailingStopOrder: trailPercent → trail_percent)", () => {
  const body = newOrderJson(
    request({ side: "sell", type: "trailing_stop", tif: "day", trailPercent: 1.5 }),
    TABLE,
  );
  assert.equal(body.trail_percent, "1.5");
  assert.equal(body.trail_price, undefined);
  assert.equal(body.stop_price, undefined);
  for (const bad of [0, -1, Number.NaN, 1e-7]) {
    assert.throws(
      () => newOrderJson(request({ type: "trailing_stop", trailPercent: bad }), TABLE),
      /'trailPercent' must be a positive decimal number/,
    );
  }
});

Deno.test("extended_hours and opg / cls go out under Alpaca's names (ORDERS_GUIDE § Extended Hours Trading, § Time in Force)", () => {
  const ext = newOrderJson(
    request({ type: "limit", tif: "day", limitPrice: px(300), extendedHours: true }),
    TABLE,
  );
  assert.deepEqual([ext.extended_hours, ext.type, ext.time_in_force], [true, "limit", "day"]);
  // false is Alpaca's default: left out, so plain bodies stay as they were.
  assert.equal("extended_hours" in newOrderJson(request({ extendedHours: false }), TABLE), false);
  assert.equal(newOrderJson(request({ tif: "opg" }), TABLE).time_in_force, "opg");
  const loc = newOrderJson(request({ type: "limit", tif: "cls", limitPrice: px(300) }), TABLE);
  assert.deepEqual([loc.time_in_force, loc.limit_price], ["cls", "300.00"]);
});

Deno.test("newOrderJson throws for extended hours outside simple limit day orders ('Only limit day orders will be accepted as extended hours eligible')", () => {
  for (
    const bad of [
      request({ tif: "day", extendedHours: true }),
      request({ type: "limit", limitPrice: px(300), tif: "gtc", extendedHours: true }),
      request({
        type: "limit",
        limitPrice: px(300),
        tif: "day",
        extendedHours: true,
        orderClass: "bracket",
        takeProfit: { limitPrice: px(310) },
        stopLoss: { stopPrice: px(290) },
      }),
    ]
  ) {
    assert.throws(
      () => newOrderJson(bad, TABLE),
      (e: Error) =>
        e instanceof RangeError &&
        /^Cannot submit order cid-1: extendedHours is only for simple limit day orders/.test(
          e.message,
        ),
    );
  }
});

Deno.test("newOrderJson throws rather than drop a trail or legs the order type cannot carry", () => {
  assert.throws(
    () => newOrderJson(request({ type: "limit", limitPrice: px(300), trailPrice: 100 }), TABLE),
    /a trail is only for trailing_stop orders, not limit/,
  );
  assert.throws(
    () => newOrderJson(request({ takeProfit: { limitPrice: px(310) } }), TABLE),
    /takeProfit and stopLoss need orderClass bracket, oco or oto/,
  );
});

Deno.test("replaceJson of a trailing stop sends the new trail as `trail` (ORDERS_GUIDE § Trailing Stop Orders, PATCH)", () => {
  const body = replaceJson(
    request({ clientOrderId: "r2", type: "trailing_stop", tif: "day", trailPercent: 2 }),
    TABLE,
  );
  assert.deepEqual(body, { qty: "100", time_in_force: "day", client_order_id: "r2", trail: "2" });
});

const CREATED = Date.UTC(2021, 2, 16, 18, 38, 1, 942) * 1000 + 282;

/** The documented entity with `fields` changed (the changes name the documented fields used). */
const entity = (fields: Json): Json => ({ ...JSON.parse(DOCUMENTED_ORDER), ...fields });

Deno.test("golden: a trailing stop order (ORDER_ENTITY with the documented trail_price / hwm / stop_price fields) reads back", () => {
  // ORDERS_GUIDE § Trailing Stop Orders: trail_price as submitted, hwm the water mark, stop_price
  // "derived from hwm and trail parameter"; the request example's sell SPY 100 trail 6.15.
  const order = orderFromJson(
    entity({
      symbol: "SPY",
      notional: null,
      qty: "100",
      side: "sell",
      order_type: "trailing_stop",
      type: "trailing_stop",
      status: "new",
      trail_price: "6.15",
      hwm: "250.00",
      stop_price: "243.85",
    }),
    TABLE,
  );
  assert.deepEqual(order.request, {
    clientOrderId: "eb9e2aaa-f71a-4f51-b5b4-52a6c565dad4",
    symbol: "SPY",
    side: "sell",
    type: "trailing_stop",
    tif: "day",
    qty: 100,
    limitPrice: 0,
    // The moving stop is the venue's live state, not what was asked.
    stopPrice: 0,
    source: "alpaca",
    createdAt: CREATED,
    trailPrice: px(6.15),
  });
  assert.equal(order.status, "new");
  const pct = orderFromJson(
    entity({ notional: null, qty: "1", type: "trailing_stop", trail_percent: "1.0" }),
    TABLE,
  );
  assert.equal(pct.request.trailPercent, 1);
});

Deno.test("golden: a bracket parent with its legs (ORDER_ENTITY, order_class and nested `legs`) reads its take-profit and stop-loss", () => {
  // ORDER_ENTITY: order_class `bracket`; `legs` "an array of Order entities"; each leg here is the
  // documented entity as the ORDERS_GUIDE bracket example's sell limit 301 and sell stop-limit
  // 299 / 298.5, status "held" (the SDK's OrderStatus enum, trading/models/OrderStatus.ts).
  const leg = (fields: Json) =>
    entity({ notional: null, qty: "100", side: "sell", order_class: "bracket", ...fields });
  const order = orderFromJson(
    entity({
      symbol: "SPY",
      notional: null,
      qty: "100",
      time_in_force: "gtc",
      order_class: "bracket",
      status: "filled",
      filled_qty: "100",
      legs: [
        leg({
          symbol: "SPY",
          type: "limit",
          order_type: "limit",
          limit_price: "301",
          status: "new",
        }),
        leg({
          symbol: "SPY",
          type: "stop_limit",
          order_type: "stop_limit",
          stop_price: "299",
          limit_price: "298.5",
          status: "held",
        }),
      ],
    }),
    TABLE,
  );
  assert.deepEqual(
    [order.request.orderClass, order.request.takeProfit, order.request.stopLoss, order.status],
    ["bracket", { limitPrice: px(301) }, { stopPrice: px(299), limitPrice: px(298.5) }, "filled"],
  );
});

Deno.test("an oco parent is its own take-profit; a leg read alone (legs null) reads as its class's plain order", () => {
  const oco = orderFromJson(
    entity({
      notional: null,
      qty: "10",
      side: "sell",
      type: "limit",
      order_type: "limit",
      limit_price: "301",
      order_class: "oco",
      status: "new",
      legs: [
        entity({
          notional: null,
          qty: "10",
          type: "stop",
          order_type: "stop",
          stop_price: "299",
          status: "new",
        }),
      ],
    }),
    TABLE,
  );
  assert.deepEqual(
    [oco.request.takeProfit, oco.request.stopLoss],
    [{ limitPrice: px(301) }, { stopPrice: px(299) }],
  );
  const held = orderFromJson(
    entity({
      notional: null,
      qty: "10",
      order_class: "bracket",
      type: "stop",
      order_type: "stop",
      stop_price: "299",
      status: "held",
    }),
    TABLE,
  );
  // Alpaca's "held" (waiting for the entry) is not at the venue yet: pending_new.
  assert.deepEqual(
    [held.request.orderClass, held.request.stopPrice, held.request.takeProfit, held.status],
    ["bracket", px(299), undefined, "pending_new"],
  );
});

Deno.test("opg / cls and extended_hours read back; an unknown order_class is corrupt data", () => {
  const opg = orderFromJson(entity({ time_in_force: "opg", extended_hours: true }), TABLE);
  assert.deepEqual([opg.request.tif, opg.request.extendedHours], ["opg", true]);
  assert.equal(orderFromJson(entity({ time_in_force: "cls" }), TABLE).request.tif, "cls");
  assert.equal("extendedHours" in orderFromJson(entity({}), TABLE).request, false);
  assert.throws(
    () => orderFromJson(entity({ order_class: "mleg" }), TABLE),
    (e: Error) => e instanceof AlpacaJsonError && /order_class mleg/.test(e.message),
  );
});

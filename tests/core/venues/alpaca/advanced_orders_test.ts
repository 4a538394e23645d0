// AlpacaTrading end to end over loopback against sim-server for Alpaca's trailing stops, bracket /
// oco orders, opg / cls, extended hours and the 422s of invalid combinations: what the adapter
// sends (order_json.ts) is what sim-server parses, runs and reports back on trade_updates.
import assert from "node:assert/strict";
import { type AlpacaCtx, order, withAlpacaTrading } from "../_alpaca_trading_harness.ts";
import type { TradeUpdate } from "../../../../core/execution/trading_client.ts";
import { VenueError } from "../../../../core/execution/venue_error.ts";
import {} from "../../../../scripts/sim_server/trading_rest.ts";

/** AAPL in ticks (4 decimals): 100.00 = 1_000_000. */
const px = (dollars: number) => Math.round(dollars * 10_000);

interface Ctx extends Omit<AlpacaCtx, "update"> {
  /** Resolves with the first update (seen or coming) that `pred` accepts. */
  update(pred: (u: TradeUpdate) => boolean): Promise<TradeUpdate>;
  /** The raw Alpaca order JSON of `clientOrderId`, as GET returns it. */
  raw(clientOrderId: string): Promise<Record<string, unknown>>;
  /** A print of AAPL at `dollars`. */
  print(dollars: number): void;
  /** Sets the AAPL book to one bid and one ask level of 100 lots. */
  quote(bid: number, ask: number): void;
}

/** The shared harness (AAPL bid 100.00 x 100 / ask 100.01 x 50), with prints, quotes and raw JSON. */
function withAlpaca(fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  return withAlpacaTrading((ctx) => {
    const books = ctx.server.broker.books;
    const raw = async (cid: string) => {
      const res = await fetch(
        `${ctx.baseUrl}/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(cid)}`,
        { headers: { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "s" } },
      );
      return await res.json() as Record<string, unknown>;
    };
    return fn({
      ...ctx,
      update: ctx.updateWhere,
      raw,
      print: (dollars) => books.trade("AAPL", px(dollars), 10),
      quote: (bid, ask) => books.setBook("AAPL", [[px(bid), 100]], [[px(ask), 100]]),
    });
  });
}

const is = (event: TradeUpdate["event"], cid: string) => (u: TradeUpdate) =>
  u.event === event && u.order.clientOrderId === cid;

/** Buys 10 AAPL at market and waits for the fill, so exits have a position to close. */
async function long10({ client, update }: Ctx): Promise<void> {
  await client.submitOrder(order("entry"));
  await update(is("fill", "entry"));
}

/** Runs `p`, expecting Alpaca's 422; returns the VenueError. */
async function rejected422(p: Promise<unknown>): Promise<VenueError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VenueError, String(e));
    assert.equal(e.options.status, 422);
    return e;
  }
  assert.fail("expected a 422");
}

Deno.test("AlpacaTrading: a trailing stop follows the prints up and triggers at its stop", async () => {
  await withAlpaca(async (ctx) => {
    const { client, update, raw, print, quote } = ctx;
    await long10(ctx);
    const ts = await client.submitOrder(
      order("ts", { side: "sell", type: "trailing_stop", trailPrice: px(0.5) }),
    );
    assert.deepEqual(
      [ts.status, ts.request.type, ts.request.trailPrice, ts.request.stopPrice],
      ["new", "trailing_stop", px(0.5), 0],
    );
    print(100.2);
    print(101);
    print(100.8);
    const live = await raw("ts");
    assert.deepEqual([live.hwm, live.stop_price, live.status], ["101.00", "100.50", "new"]);
    quote(100.45, 100.5);
    print(100.45);
    const fill = await update(is("fill", "ts"));
    assert.deepEqual([fill.fill?.price, fill.fill?.qty, fill.order.status], [
      px(100.45),
      10,
      "filled",
    ]);
    assert.equal(fill.order.request.type, "trailing_stop");
    assert.deepEqual(await client.positions(), []);
  });
});

Deno.test("AlpacaTrading: a bracket's take-profit fills and its stop-loss is canceled", async () => {
  await withAlpaca(async ({ client, update, quote }) => {
    const entry = await client.submitOrder(order("b1", {
      orderClass: "bracket",
      takeProfit: { limitPrice: px(101) },
      stopLoss: { stopPrice: px(99), limitPrice: px(98.5) },
    }));
    // The POST answer nests the legs; the adapter reads them back into the request.
    assert.deepEqual(
      [entry.request.orderClass, entry.request.takeProfit, entry.request.stopLoss],
      ["bracket", { limitPrice: px(101) }, { stopPrice: px(99), limitPrice: px(98.5) }],
    );
    await update(is("fill", "b1"));
    const leg = (type: string) => (u: TradeUpdate) =>
      u.order.request.orderClass === "bracket" && u.order.request.type === type;
    const tp = await update((u) => u.event === "accepted" && leg("limit")(u));
    const sl = await update((u) => u.event === "accepted" && leg("stop_limit")(u));
    assert.deepEqual(
      [tp.order.request.side, tp.order.request.limitPrice, sl.order.request.stopPrice],
      ["sell", px(101), px(99)],
    );
    quote(101.02, 101.05);
    const tpFill = await update(is("fill", tp.order.clientOrderId));
    assert.equal(tpFill.fill?.qty, 10);
    await update(is("canceled", sl.order.clientOrderId));
    assert.deepEqual(await client.positions(), []);
    assert.deepEqual(await client.openOrders(), []);
  });
});

Deno.test("AlpacaTrading: an oco's stop-loss fills and its take-profit is canceled", async () => {
  await withAlpaca(async (ctx) => {
    const { client, update, print, quote } = ctx;
    await long10(ctx);
    const oco = await client.submitOrder(order("oco", {
      side: "sell",
      type: "limit",
      tif: "gtc",
      limitPrice: px(101),
      orderClass: "oco",
      takeProfit: { limitPrice: px(101) },
      stopLoss: { stopPrice: px(99) },
    }));
    assert.deepEqual(
      [oco.status, oco.request.limitPrice, oco.request.takeProfit, oco.request.stopLoss],
      ["new", px(101), { limitPrice: px(101) }, { stopPrice: px(99) }],
    );
    const sl = await update((u) => u.event === "accepted" && u.order.request.type === "stop");
    quote(98.9, 98.95);
    print(98.9);
    await update(is("fill", sl.order.clientOrderId));
    await update(is("canceled", "oco"));
    assert.deepEqual(await client.positions(), []);
  });
});

Deno.test("AlpacaTrading: extended_hours goes out on a limit day order and is refused client-side on others", async () => {
  await withAlpaca(async ({ client, raw }) => {
    const ok = await client.submitOrder(
      order("ext", { type: "limit", limitPrice: px(99), extendedHours: true }),
    );
    assert.deepEqual([ok.status, ok.request.extendedHours], ["new", true]);
    assert.equal((await raw("ext")).extended_hours, true);
    await assert.rejects(
      client.submitOrder(order("ext-mkt", { extendedHours: true })),
      RangeError,
      "extendedHours is only for simple limit day orders",
    );
    assert.equal((await raw("ext-mkt")).code, 40410000, "nothing was sent");
  });
});

Deno.test("AlpacaTrading: opg and cls orders are accepted (the sim's auction is at arrival)", async () => {
  await withAlpaca(async ({ client, update }) => {
    const moo = await client.submitOrder(order("moo", { tif: "opg" }));
    assert.deepEqual([moo.request.tif, moo.status, moo.filledQty], ["opg", "filled", 10]);
    const loc = await client.submitOrder(
      order("loc", { tif: "cls", type: "limit", limitPrice: px(99) }),
    );
    assert.deepEqual([loc.request.tif, loc.status], ["cls", "canceled"]);
    await update(is("canceled", "loc"));
  });
});

Deno.test("AlpacaTrading: invalid combinations come back as 422 VenueErrors with Alpaca's messages", async () => {
  await withAlpaca(async ({ client }) => {
    const bracket = { orderClass: "bracket", takeProfit: { limitPrice: px(101) } } as const;
    const noStop = await rejected422(client.submitOrder(order("b", bracket)));
    assert.match(
      noStop.message,
      /422 \(code 40010001\) bracket orders require stop_loss\.stop_price/,
    );
    assert.equal(noStop.retryable, false);
    const oco = await rejected422(client.submitOrder(order("o", {
      side: "sell",
      orderClass: "oco",
      takeProfit: { limitPrice: px(101) },
      stopLoss: { stopPrice: px(99) },
    })));
    assert.match(oco.message, /oco orders must be limit orders/);
    const trail = await rejected422(
      client.submitOrder(
        order("t", { type: "trailing_stop", trailPrice: px(1), trailPercent: 1 }),
      ),
    );
    assert.match(trail.message, /trail_price and trail_percent must not both be given/);
    const gtc = await rejected422(
      client.submitOrder(order("g", { type: "trailing_stop", tif: "ioc", trailPercent: 1 })),
    );
    assert.match(gtc.message, /trailing_stop orders must be day or gtc orders/);
    assert.deepEqual(await client.openOrders(), []);
  });
});

// sim-server's trailing stops, opg / cls and bracket / oco / oto orders over loopback HTTP and
// the trade_updates stream, in Alpaca's shapes (docs.alpaca.markets/docs/orders-at-alpaca).
import assert from "node:assert/strict";
import {
  body,
  eventOf,
  eventsOf,
  type Json,
  listenUpdates,
  withServer,
} from "./_trading_server.ts";

const legsOf = (o: Json) => o.legs as Json[];

Deno.test("a trailing stop's hwm and stop_price follow the prints up; a print at the stop sells at market", async () => {
  await withServer(async ({ json, print, quote, port }) => {
    const updates = await listenUpdates(port);
    await json("POST", "/v2/orders", body({ client_order_id: "long" }));
    const ts = await json(
      "POST",
      "/v2/orders",
      body({ side: "sell", type: "trailing_stop", trail_price: "1.00", client_order_id: "ts1" }),
    );
    // No print yet: the water mark starts at the bid a sell would hit.
    assert.deepEqual(
      [ts.type, ts.status, ts.trail_price, ts.trail_percent, ts.hwm, ts.stop_price, ts.limit_price],
      ["trailing_stop", "new", "1.00", null, "100.00", "99.00", null],
    );
    print(101.5);
    print(101.0); // below the mark: the mark and the stop stay
    const moved = await json("GET", `/v2/orders/${ts.id}`);
    assert.deepEqual([moved.hwm, moved.stop_price, moved.status], ["101.50", "100.50", "new"]);
    quote(100.4, 100.45);
    print(100.5); // at the stop: triggered, sold at market (the bid)
    const fill = await updates.next(eventOf("fill", "ts1"));
    assert.deepEqual([fill.price, fill.qty, fill.position_qty], ["100.40", "10", "0"]);
    const order = fill.order as Json;
    assert.deepEqual(
      [order.id, order.type, order.status, order.hwm, order.stop_price, order.filled_avg_price],
      [ts.id, "trailing_stop", "filled", "101.50", "100.50", "100.40"],
    );
    // Alpaca reports a trailing stop new once; its trigger is no news of its own.
    assert.deepEqual(eventsOf(updates, "ts1"), ["new", "fill"]);
    await updates.close();
  });
});

Deno.test("a buy trailing stop by percent trails the low water mark and cancels while parked", async () => {
  await withServer(async ({ json, call, print, port }) => {
    const updates = await listenUpdates(port);
    const ts = await json(
      "POST",
      "/v2/orders",
      body({ type: "trailing_stop", trail_percent: "1.5", time_in_force: "gtc" }),
    );
    // Ask 100.01 × 1.015 = 101.51015 → 101.51 at the nearest cent.
    assert.deepEqual([ts.trail_percent, ts.hwm, ts.stop_price], ["1.5", "100.01", "101.51"]);
    print(98); // 98 × 1.015 = 99.47
    print(99); // up from the low: no change
    const moved = await json("GET", `/v2/orders/${ts.id}`);
    assert.deepEqual([moved.hwm, moved.stop_price], ["98.00", "99.47"]);
    const del = await call("DELETE", `/v2/orders/${ts.id}`);
    assert.equal(del.status, 204);
    await del.body?.cancel();
    const canceled = await updates.next(eventOf("canceled", ts.client_order_id as string));
    assert.equal((canceled.order as Json).status, "canceled");
    print(100); // through the old stop: nothing happens any more
    assert.equal((await json("GET", `/v2/orders/${ts.id}`)).filled_qty, "0");
    await updates.close();
  });
});

Deno.test("a bracket's legs are held until the entry fills, then the take-profit fills and the stop-loss is canceled", async () => {
  await withServer(async ({ json, quote, port }) => {
    const updates = await listenUpdates(port);
    const parent = await json(
      "POST",
      "/v2/orders",
      body({
        client_order_id: "b1",
        time_in_force: "gtc",
        order_class: "bracket",
        take_profit: { limit_price: "101" },
        stop_loss: { stop_price: "99" },
      }),
    );
    assert.deepEqual([parent.order_class, parent.type, parent.status], [
      "bracket",
      "market",
      "filled",
    ]);
    const [tp, sl] = legsOf(parent);
    assert.deepEqual(
      [tp!.order_class, tp!.side, tp!.type, tp!.qty, tp!.limit_price, tp!.legs],
      ["bracket", "sell", "limit", "10", "101.00", null],
    );
    assert.deepEqual([sl!.type, sl!.stop_price, sl!.limit_price], ["stop", "99.00", null]);
    const tpId = tp!.client_order_id as string, slId = sl!.client_order_id as string;
    await updates.next(eventOf("new", tpId));
    await updates.next(eventOf("new", slId));
    const working = await json("GET", `/v2/orders/${parent.id}`);
    assert.deepEqual(legsOf(working).map((l) => l.status), ["new", "new"]);
    // Legs are orders of their own too.
    assert.equal((await json("GET", `/v2/orders/${tp!.id}`)).client_order_id, tpId);
    quote(101.05, 101.1); // the bid crosses the take-profit
    const fill = await updates.next(eventOf("fill", tpId));
    assert.equal(fill.position_qty, "0");
    const canceled = await updates.next(eventOf("canceled", slId));
    assert.equal((canceled.order as Json).status, "canceled");
    assert.deepEqual(eventsOf(updates, "b1"), ["new", "fill"]);
    assert.deepEqual(eventsOf(updates, slId), ["new", "canceled"]);
    const done = await json("GET", `/v2/orders/${parent.id}`);
    assert.deepEqual(legsOf(done).map((l) => l.status), ["filled", "canceled"]);
    assert.deepEqual(await json("GET", "/v2/positions") as unknown, []);
    await updates.close();
  });
});

Deno.test("canceling a bracket's unfilled entry cancels its held legs", async () => {
  await withServer(async ({ json, call, port }) => {
    const updates = await listenUpdates(port);
    const parent = await json(
      "POST",
      "/v2/orders",
      body({
        type: "limit",
        limit_price: "99.50",
        order_class: "oto",
        stop_loss: { stop_price: "98", limit_price: "97.50" },
      }),
    );
    const [sl] = legsOf(parent);
    assert.deepEqual(
      [parent.status, sl!.status, sl!.type, sl!.stop_price, sl!.limit_price],
      ["new", "held", "stop_limit", "98.00", "97.50"],
    );
    const open = await json("GET", "/v2/orders?status=open") as unknown as Json[];
    assert.deepEqual(open.map((o) => o.status).sort(), ["held", "new"]);
    const del = await call("DELETE", `/v2/orders/${parent.id}`);
    assert.equal(del.status, 204);
    await del.body?.cancel();
    await updates.next(eventOf("canceled", sl!.client_order_id as string));
    const after = await json("GET", `/v2/orders/${parent.id}`);
    assert.deepEqual([after.status, legsOf(after)[0]!.status], ["canceled", "canceled"]);
    await updates.close();
  });
});

Deno.test("an oco's stop-loss fills on a print through its stop and the take-profit parent is canceled", async () => {
  await withServer(async ({ json, print, quote, port }) => {
    const updates = await listenUpdates(port);
    await json("POST", "/v2/orders", body({}));
    const parent = await json(
      "POST",
      "/v2/orders",
      body({
        client_order_id: "o1",
        side: "sell",
        type: "limit",
        time_in_force: "gtc",
        order_class: "oco",
        take_profit: { limit_price: "101" },
        stop_loss: { stop_price: "99" },
      }),
    );
    // The take-profit is the parent; the stop-loss its one leg.
    assert.deepEqual(
      [parent.order_class, parent.type, parent.limit_price, parent.status],
      ["oco", "limit", "101.00", "new"],
    );
    const slId = legsOf(parent)[0]!.client_order_id as string;
    await updates.next(eventOf("new", slId));
    quote(98.9, 98.95);
    print(98.9);
    const fill = await updates.next(eventOf("fill", slId));
    assert.deepEqual([fill.price, fill.position_qty], ["98.90", "0"]);
    await updates.next(eventOf("canceled", "o1"));
    assert.deepEqual(eventsOf(updates, "o1"), ["new", "canceled"]);
    await updates.close();
  });
});

Deno.test("a partial take-profit fill cuts the working stop-loss to what is left", async () => {
  await withServer(async ({ json, trading, print, quote, port }) => {
    const updates = await listenUpdates(port);
    await json("POST", "/v2/orders", body({}));
    const parent = await json(
      "POST",
      "/v2/orders",
      body({
        side: "sell",
        type: "limit",
        order_class: "oco",
        take_profit: { limit_price: "101" },
        stop_loss: { stop_price: "99" },
      }),
    );
    const cid = parent.client_order_id as string;
    const slId = legsOf(parent)[0]!.client_order_id as string;
    await updates.next(eventOf("new", slId));
    // Only 4 lots bid through the take-profit.
    trading.broker.books.setBook("AAPL", [[1_010_500, 4]], [[1_011_000, 100]]);
    await updates.next(eventOf("partial_fill", cid));
    for (let i = 0; i < 50; i++) {
      if ((await json("GET", `/v2/orders/${legsOf(parent)[0]!.id}`)).qty === "6") break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const sl = await json("GET", `/v2/orders/${legsOf(parent)[0]!.id}`);
    assert.deepEqual([sl.qty, sl.status], ["6", "new"]);
    // The cut is silent: the stop-loss was reported new once, never canceled.
    assert.deepEqual(eventsOf(updates, slId), ["new"]);
    // The stop-loss now closes the other 6 lots; the take-profit's rest is canceled.
    quote(98.9, 98.95);
    print(98.9);
    const fill = await updates.next(eventOf("fill", slId));
    assert.deepEqual([fill.qty, fill.position_qty, (fill.order as Json).status], [
      "6",
      "0",
      "filled",
    ]);
    const rest = await updates.next(eventOf("canceled", cid));
    assert.deepEqual([(rest.order as Json).filled_qty, (rest.order as Json).qty], ["4", "10"]);
    await updates.close();
  });
});

Deno.test("opg and cls orders execute at once as the sim's auction: filled, or canceled unfilled", async () => {
  await withServer(async ({ json, port }) => {
    const updates = await listenUpdates(port);
    const moo = await json("POST", "/v2/orders", body({ time_in_force: "opg", qty: "5" }));
    assert.deepEqual(
      [moo.time_in_force, moo.status, moo.filled_avg_price],
      ["opg", "filled", "100.01"],
    );
    const loc = await json(
      "POST",
      "/v2/orders",
      body({ time_in_force: "cls", type: "limit", limit_price: "99.00", client_order_id: "loc" }),
    );
    assert.deepEqual([loc.time_in_force, loc.status, loc.filled_qty], ["cls", "canceled", "0"]);
    await updates.next(eventOf("canceled", "loc"));
    assert.deepEqual(eventsOf(updates, "loc"), ["new", "canceled"]);
    await updates.close();
  });
});

Deno.test("extended_hours is accepted on limit day orders only", async () => {
  await withServer(async ({ json }) => {
    const ok = await json(
      "POST",
      "/v2/orders",
      body({ type: "limit", limit_price: "99", extended_hours: true }),
    );
    assert.deepEqual([ok.extended_hours, ok.status], [true, "new"]);
    for (
      const bad of [
        body({ extended_hours: true }),
        body({ type: "limit", limit_price: "99", time_in_force: "gtc", extended_hours: true }),
      ]
    ) {
      assert.deepEqual(await json("POST", "/v2/orders", bad, 422), {
        code: 40010001,
        message: "extended hours order must be DAY limit orders",
      });
    }
  });
});

Deno.test("invalid trailing / auction / order-class combinations get 422 with Alpaca's error body", async () => {
  await withServer(async ({ json }) => {
    const bracket = (extra: Json) =>
      body({
        order_class: "bracket",
        take_profit: { limit_price: "101" },
        stop_loss: { stop_price: "99" },
        ...extra,
      });
    const cases: Array<[Json, string]> = [
      [bracket({ stop_loss: undefined }), "bracket orders require stop_loss.stop_price"],
      [bracket({ take_profit: undefined }), "bracket orders require take_profit.limit_price"],
      [
        bracket({ type: "stop", stop_price: "100.5" }),
        "bracket orders must be market or limit orders",
      ],
      [bracket({ time_in_force: "ioc" }), "bracket orders must be day or gtc orders"],
      [
        bracket({ type: "limit", limit_price: "100", extended_hours: true }),
        "extended hours are not supported for bracket orders",
      ],
      [
        bracket({ take_profit: { limit_price: "98" } }),
        "take_profit.limit_price must be higher than stop_loss.stop_price for a buy bracket order",
      ],
      [
        bracket({ stop_loss: { stop_price: "100" } }),
        "stop price must be less than base_price - 0.01",
      ],
      [bracket({ order_class: "oco", side: "sell" }), "oco orders must be limit orders"],
      [
        bracket({ order_class: "oto", take_profit: undefined, stop_loss: undefined }),
        "oto orders require either take_profit or stop_loss",
      ],
      [bracket({ order_class: "mleg" }), "invalid order_class: mleg"],
      [
        body({ take_profit: { limit_price: "101" } }),
        "take_profit and stop_loss are only for bracket, oco and oto orders",
      ],
      [
        body({ type: "trailing_stop", trail_price: "1", trail_percent: "1" }),
        "trail_price and trail_percent must not both be given",
      ],
      [
        body({ type: "trailing_stop" }),
        "trail_price or trail_percent is required for trailing_stop orders",
      ],
      [
        body({ type: "trailing_stop", trail_percent: "1", time_in_force: "ioc" }),
        "trailing_stop orders must be day or gtc orders",
      ],
      [
        body({ type: "limit", limit_price: "99", trail_price: "1" }),
        "trail_price must not be given for a limit order",
      ],
      [
        body({ type: "trailing_stop", trail_percent: "100" }),
        "trail_percent must be > 0 and < 100",
      ],
      [
        body({ type: "stop", stop_price: "101", time_in_force: "opg" }),
        "opg orders must be market or limit orders",
      ],
      [
        body({ symbol: "BTC/USD", qty: "0.01", time_in_force: "cls" }),
        "invalid crypto time_in_force: cls",
      ],
    ];
    for (const [bad, message] of cases) {
      assert.deepEqual(
        await json("POST", "/v2/orders", bad, 422),
        { code: 40010001, message },
        JSON.stringify(bad),
      );
    }
    assert.deepEqual(await json("GET", "/v2/orders?status=all") as unknown, []);
  });
});

Deno.test("PATCH of a trailing stop or an order-class member gets 422 (the sim does not replace them)", async () => {
  await withServer(async ({ json }) => {
    const ts = await json(
      "POST",
      "/v2/orders",
      body({ side: "sell", type: "trailing_stop", trail_price: "1" }),
    );
    assert.deepEqual(await json("PATCH", `/v2/orders/${ts.id}`, { trail: "2" }, 422), {
      code: 40010001,
      message: "the sim server cannot replace trailing_stop orders",
    });
  });
});

// AlpacaTrading end to end over loopback against the sim server's Alpaca-compatible trading API.
import assert from "node:assert/strict";
import { type AlpacaCtx, order, withAlpacaTrading } from "./_alpaca_trading_harness.ts";
import { parseCash } from "../../../core/domain/money.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { OrderRouter } from "../../../core/execution/order_router.ts";
import { RateLimiter } from "../../../core/execution/rate_limiter.ts";
import { VenueError } from "../../../core/execution/venue_error.ts";
import { statusFromAlpaca } from "../../../core/venues/alpaca/order_json.ts";

const SECRET = "top-secret-value";

/** The shared harness, with a secret the tests look for in errors. */
const withAlpaca = (fn: (ctx: AlpacaCtx) => Promise<void>, timeoutMs = 2000) =>
  withAlpacaTrading(fn, { secret: SECRET, timeoutMs });

const limit = (cid: string, qty: number, price: number) =>
  order(cid, { type: "limit", qty, limitPrice: price });

/** Runs `p`, expecting a VenueError; returns it. */
async function venueError(p: Promise<unknown>): Promise<VenueError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VenueError, String(e));
    assert.ok(!e.message.includes(SECRET), "the secret never appears in an error");
    return e;
  }
  assert.fail("expected a VenueError");
}

Deno.test("submitOrder fills a market order and trade_updates reports accepted then an exact fill", async () => {
  await withAlpaca(async ({ client, update }) => {
    assert.equal(client.ready, true);
    const o = await client.submitOrder(order("m1"));
    assert.deepEqual([o.clientOrderId, o.status, o.filledQty, o.request.qty], [
      "m1",
      "filled",
      10,
      10,
    ]);
    assert.equal((await update("accepted", "m1")).order.venueOrderId, o.venueOrderId);
    const fill = (await update("fill", "m1")).fill!;
    assert.deepEqual(
      { ...fill, fillId: "", venueTime: 0, recvTime: 0 },
      {
        fillId: "",
        clientOrderId: "m1",
        venueOrderId: o.venueOrderId,
        symbol: "AAPL",
        side: "buy",
        qty: 10,
        price: 1_000_100,
        fee: 0n,
        liquidity: "taker",
        venueTime: 0,
        recvTime: 0,
      },
    );
    assert.ok(fill.fillId.length > 0 && fill.venueTime > 0 && fill.recvTime >= fill.venueTime);
    assert.deepEqual(
      (await client.fillsSince(undefined, fill.venueTime)).map((f) => f.fillId),
      [fill.fillId],
    );
    assert.deepEqual(await client.fillsSince(fill.fillId), []);
  });
});

Deno.test("a resting limit is listed open, then cancelOrder ends it with a canceled update", async () => {
  await withAlpaca(async ({ client, update }) => {
    const o = await client.submitOrder(limit("l1", 5, 990_000));
    assert.deepEqual([o.status, o.request.limitPrice, o.filledQty], ["new", 990_000, 0]);
    assert.deepEqual((await client.openOrders()).map((x) => x.clientOrderId), ["l1"]);
    await client.cancelOrder("l1");
    assert.equal((await update("canceled", "l1")).order.status, "canceled");
    assert.deepEqual(await client.openOrders(), []);
  });
});

Deno.test("replaceOrder reports replaced and a new order; lookups by client id find both, unknown is undefined", async () => {
  await withAlpaca(async ({ client, update }) => {
    await client.submitOrder(limit("r1", 5, 990_000));
    const next = await client.replaceOrder("r1", limit("r2", 7, 995_000));
    assert.deepEqual(
      [next.clientOrderId, next.request.qty, next.request.limitPrice, next.status],
      ["r2", 7, 995_000, "new"],
    );
    assert.equal((await update("replaced", "r1")).order.status, "replaced");
    await update("accepted", "r2");
    assert.equal((await client.getOrderByClientId("r1"))?.status, "replaced");
    assert.equal((await client.getOrderByClientId("r2"))?.venueOrderId, next.venueOrderId);
    assert.equal(await client.getOrderByClientId("never-sent"), undefined);
  });
});

Deno.test("positions and account are exact after a fill", async () => {
  await withAlpaca(async ({ client }) => {
    await client.submitOrder(order("p1"));
    assert.deepEqual(await client.positions(), [{ symbol: "AAPL", qty: 10 }]);
    assert.deepEqual(await client.account(), {
      cash: parseCash("98999.90"),
      buyingPower: parseCash("98999.90"),
      equity: parseCash("100000.00"),
    });
  });
});

Deno.test("a reused client order id is duplicate_client_order_id; a buy beyond cash is insufficient_buying_power", async () => {
  await withAlpaca(async ({ client }) => {
    await client.submitOrder(limit("d1", 1, 900_000));
    const dup = await venueError(client.submitOrder(limit("d1", 1, 900_000)));
    assert.deepEqual([dup.kind, dup.options.status, dup.retryable], [
      "duplicate_client_order_id",
      422,
      false,
    ]);
    const big = await venueError(client.submitOrder(order("big", { qty: 1000 })));
    assert.deepEqual([big.kind, big.options.status, big.maybeReceived], [
      "insufficient_buying_power",
      403,
      false,
    ]);
  });
});

Deno.test("the 429 fault is rate_limited with retryAfterMs and the 500 fault is a retryable server_error", async () => {
  await withAlpaca(async ({ client, server }) => {
    server.faults.set({ rest_status: 429 });
    const limited = await venueError(client.submitOrder(order("f1")));
    assert.deepEqual([limited.kind, limited.options.retryAfterMs, limited.retryable], [
      "rate_limited",
      1000,
      true,
    ]);
    assert.equal(limited.maybeReceived, false);
    server.faults.set({ rest_status: 500 });
    const broken = await venueError(client.account());
    assert.deepEqual([broken.kind, broken.options.status, broken.retryable], [
      "server_error",
      500,
      true,
    ]);
    server.faults.set({});
    assert.equal(await client.getOrderByClientId("f1"), undefined);
  });
});

Deno.test("timeout_after_accept times the request out as maybe-received, and the order is found by client id", async () => {
  await withAlpaca(async ({ client, server }) => {
    server.faults.set({ timeout_after_accept: true });
    const e = await venueError(client.submitOrder(order("t1", { qty: 2 })));
    assert.deepEqual([e.kind, e.maybeReceived, e.retryable], ["timeout", true, true]);
    const found = await client.getOrderByClientId("t1");
    assert.deepEqual([found?.status, found?.filledQty], ["filled", 2]);
  }, 300);
});

Deno.test("OrderRouter over AlpacaTrading recovers a timed-out submit by lookup and never sends a second order", async () => {
  await withAlpaca(async ({ client, server, clock }) => {
    server.faults.set({ timeout_after_accept: true });
    const router = new OrderRouter(
      client,
      new RateLimiter(clock, { perMinute: 200, burst: 10, maxQueue: 10 }),
      { clock, rng: new SeededRng(7), backoff: { maxRetries: 2, baseMs: 20, jitter: 0 } },
    );
    const o = await router.submit(order("once", { qty: 3 }));
    assert.deepEqual([o.clientOrderId, o.status, o.filledQty], ["once", "filled", 3]);
    assert.deepEqual(
      [router.stats.sent, router.stats.retries, router.stats.recoveredByLookup],
      [1, 1, 1],
    );
    assert.deepEqual(server.broker.ledger.all().map((r) => r.order.clientOrderId), ["once"]);
  }, 300);
});

Deno.test("trade_updates reconnects after the server drops it and is ready again", async () => {
  await withAlpaca(async ({ client, server, update }) => {
    server.faults.set({ drop_streams: true });
    while (client.ready) await new Promise((r) => setTimeout(r, 5));
    server.faults.set({});
    await client.stream.ready();
    assert.ok(client.stream.counters.reconnects >= 1);
    await client.submitOrder(limit("after", 1, 900_000));
    await update("accepted", "after");
  });
});

Deno.test("a fill missed while trade_updates is down is recovered from account activities under the stream's fill id", async () => {
  await withAlpaca(async ({ client, server, update, clock }) => {
    let gaps = 0;
    client.onGap = () => gaps++;
    // A fill seen on the stream: its id is what a recovered copy must carry.
    await client.submitOrder(order("seen", { qty: 5 }));
    const seen = (await update("fill", "seen")).fill!;
    const t0 = seen.venueTime;
    await client.submitOrder(limit("missed", 3, 999_000));
    await update("accepted", "missed");
    server.faults.set({ drop_streams: true });
    while (client.ready) await new Promise((r) => setTimeout(r, 5));
    // The ask drops through the resting buy while nobody listens.
    server.broker.books.setBook("AAPL", [[990_000, 100]], [[998_000, 50]]);
    while (server.broker.ledger.byClientId("missed")!.order.status !== "filled") {
      await new Promise((r) => setTimeout(r, 5));
    }
    server.faults.set({});
    await client.stream.ready();
    while (gaps === 0) await new Promise((r) => setTimeout(r, 5));
    const fills = await client.fillsSince(seen.fillId, t0);
    assert.deepEqual(fills.map((f) => f.clientOrderId), ["seen", "missed"]);
    assert.equal(fills[0]!.fillId, seen.fillId, "REST and stream name the same execution alike");
    const missed = fills[1]!;
    assert.equal(missed.qty, 3);
    assert.equal(missed.price, 999_000, "a resting limit fills at its limit");
    assert.equal(missed.side, "buy");
    assert.ok(missed.venueTime >= t0 && missed.venueTime <= clock.nowMicros());
    assert.deepEqual(
      await client.fillsSince(undefined, undefined),
      [],
      "nothing traded: nothing to recover",
    );
  });
});

Deno.test("account activities page through fills oldest first with page_token", async () => {
  await withAlpaca(async ({ client, server, update }) => {
    for (let i = 0; i < 3; i++) {
      await client.submitOrder(order(`p${i}`, { qty: 1 }));
      await update("fill", `p${i}`);
    }
    const get = async (q: string) =>
      await (await client.rest.request("GET", `/v2/account/activities/FILL?${q}`)) as Array<
        Record<string, string>
      >;
    const first = await get("direction=asc&page_size=2");
    assert.deepEqual(first.map((a) => a.activity_type), ["FILL", "FILL"]);
    const next = await get(`direction=asc&page_size=2&page_token=${first[1]!.id}`);
    assert.equal(next.length, 1);
    assert.equal(next[0]!.cum_qty, "1");
    assert.deepEqual((await get("")).map((a) => a.id), [next[0]!.id, first[1]!.id, first[0]!.id]);
    const bad = await venueError(
      client.rest.request("GET", "/v2/account/activities/FILL?after=yesterday"),
    );
    assert.equal(bad.kind, "invalid_request");
    void server;
  });
});

Deno.test("the account API lists and finds orders, cancels all, reads and closes positions, the clock and assets", async () => {
  await withAlpaca(async ({ client, update }) => {
    const api = client.api;
    await client.submitOrder(order("b1", { qty: 20 }));
    await update("fill", "b1");
    await client.submitOrder(limit("r1", 1, 900_000));
    await client.submitOrder(limit("r2", 2, 900_100));
    await update("accepted", "r2");
    const open = await api.listOrders({ status: "open", direction: "asc" });
    assert.deepEqual(open.map((o) => o.clientOrderId), ["r1", "r2"]);
    const all = await api.listOrders({ status: "all" });
    assert.deepEqual(all.map((o) => o.clientOrderId), ["r2", "r1", "b1"], "newest first");
    assert.equal((await api.getOrder(open[0]!.venueOrderId))?.clientOrderId, "r1");
    assert.equal(await api.getOrder("00000000-0000-4000-8000-00000000ffff"), undefined);
    const canceled = await api.cancelAllOrders();
    assert.equal(canceled.length, 2);
    assert.ok(canceled.every((c) => c.status === 200));
    await update("canceled", "r2");

    const pos = await api.position("AAPL");
    assert.equal(pos?.qty, 20);
    assert.equal(pos?.avgEntryPrice, 1_000_100, "bought at the ask, $100.01");
    assert.equal(await api.position("MSFT"), undefined, "flat: not found");
    const partial = await api.closePosition("AAPL", 5);
    assert.equal(partial.request.side, "sell");
    assert.equal(partial.request.qty, 5);
    await update("fill", partial.clientOrderId);
    assert.equal((await api.position("AAPL"))?.qty, 15);
    const rest = await api.closePosition("AAPL");
    await update("fill", rest.clientOrderId);
    assert.equal(await api.position("AAPL"), undefined);

    const clock = await api.clock();
    assert.equal(clock.isOpen, true);
    assert.ok(clock.nextClose > clock.timestamp);
    const crypto = await api.assets("crypto");
    assert.ok(crypto.length > 0 && crypto.every((a) => a.assetClass === "crypto"));
    assert.equal((await api.asset("AAPL"))?.tradable, true);
    assert.equal(await api.asset("NOPE"), undefined);
  });
});

Deno.test("statusFromAlpaca maps every Alpaca status, working ones by the filled quantity", () => {
  const map = (s: string, filled: number) => statusFromAlpaca(s, filled, 10);
  assert.deepEqual(
    ["pending_new", "accepted", "new", "partially_filled", "filled"].map((s) => map(s, 0)),
    ["pending_new", "pending_new", "new", "partially_filled", "filled"],
  );
  assert.deepEqual(
    ["canceled", "expired", "replaced", "rejected"].map((s) => map(s, 0)),
    ["canceled", "expired", "replaced", "rejected"],
  );
  for (const s of ["done_for_day", "pending_cancel", "pending_replace", "suspended"]) {
    assert.deepEqual([map(s, 0), map(s, 4)], ["new", "partially_filled"], s);
  }
  assert.deepEqual([map("calculated", 10), map("calculated", 4)], ["filled", "partially_filled"]);
  assert.throws(() => map("bogus", 0), /unknown Alpaca order status bogus/);
});

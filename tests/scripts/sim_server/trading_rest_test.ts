// The sim server's Alpaca trading API over real loopback HTTP, plus the trade_updates stream.
import assert from "node:assert/strict";
import { createRouter } from "../../../scripts/sim_server/router.ts";
import {
  createTradingRest,
  type TradingRest,
  type TradingRestOptions,
} from "../../../scripts/sim_server/trading_rest.ts";

const KEYS = { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "s" };
type Json = Record<string, unknown>;

interface Ctx {
  readonly trading: TradingRest;
  readonly port: number;
  call(method: string, path: string, body?: unknown, init?: RequestInit): Promise<Response>;
}

/** A server with a hand-set AAPL book (bid 100.00 x 100, ask 100.01 x 50) and no latency. */
async function withServer(
  fn: (ctx: Ctx) => Promise<void>,
  options: TradingRestOptions = {},
): Promise<void> {
  const trading = createTradingRest({ market: false, sim: { latency_ms: 0 }, ...options });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createRouter(trading.routes),
  );
  if (options.market !== true) {
    await trading.broker.venue();
    trading.broker.books.setBook("AAPL", [[1_000_000, 100]], [[1_000_100, 50]]);
  }
  const port = server.addr.port;
  const call = (method: string, path: string, body?: unknown, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { ...KEYS, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      ...init,
    });
  try {
    await fn({ trading, port, call });
  } finally {
    await trading.close();
    await server.shutdown();
  }
}

/** A bare WebSocket client that queues parsed messages. */
function streamClient(port: number) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/stream`);
  const msgs: Json[] = [];
  const waiters: Array<() => void> = [];
  ws.onmessage = (ev) => {
    msgs.push(JSON.parse(ev.data as string));
    waiters.shift()?.();
  };
  const opened = new Promise<void>((r) => ws.addEventListener("open", () => r()));
  const closed = new Promise<void>((r) => ws.addEventListener("close", () => r()));
  return {
    ws,
    opened,
    closed,
    send: (m: unknown) => ws.send(JSON.stringify(m)),
    async next(): Promise<Json> {
      if (msgs.length === 0) await new Promise<void>((r) => waiters.push(r));
      return msgs.shift()!;
    },
    async close() {
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      await closed;
    },
  };
}

/** Opens /stream, authenticates and listens to trade_updates. */
async function listening(port: number) {
  const c = streamClient(port);
  await c.opened;
  c.send({ action: "auth", key: "k", secret: "s" });
  assert.deepEqual(await c.next(), {
    stream: "authorization",
    data: { status: "authorized", action: "authenticate" },
  });
  c.send({ action: "listen", data: { streams: ["trade_updates", "nope"] } });
  assert.deepEqual(await c.next(), { stream: "listening", data: { streams: ["trade_updates"] } });
  return c;
}

const marketBuy = (qty: string, extra: Json = {}) => ({
  symbol: "AAPL",
  qty,
  side: "buy",
  type: "market",
  time_in_force: "day",
  ...extra,
});
const limitBuy = (qty: string, price: string, extra: Json = {}) =>
  marketBuy(qty, { type: "limit", limit_price: price, ...extra });

Deno.test("POST /v2/orders fills a market order and reports new then fill on trade_updates", async () => {
  await withServer(async ({ call, port }) => {
    const c = await listening(port);
    const res = await call("POST", "/v2/orders", marketBuy("10", { client_order_id: "m1" }));
    assert.equal(res.status, 200);
    const order = await res.json();
    assert.equal(order.client_order_id, "m1");
    assert.match(order.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(
      [order.status, order.qty, order.filled_qty, order.filled_avg_price, order.type],
      ["filled", "10", "10", "100.01", "market"],
    );
    assert.equal(order.asset_class, "us_equity");
    assert.equal(typeof order.filled_at, "string");
    const first = await c.next();
    assert.equal(first.stream, "trade_updates");
    assert.equal((first.data as Json).event, "new");
    const fill = (await c.next()).data as Json;
    assert.deepEqual(
      [fill.event, fill.price, fill.qty, fill.position_qty],
      ["fill", "100.01", "10", "10"],
    );
    assert.equal((fill.order as Json).status, "filled");
    assert.equal(typeof fill.execution_id, "string");
    await c.close();
  });
});

Deno.test("account and positions reflect fills in exact decimal strings; closing sells at the bid", async () => {
  await withServer(async ({ call }) => {
    await (await call("POST", "/v2/orders", marketBuy("10"))).body?.cancel();
    const account = await (await call("GET", "/v2/account")).json();
    assert.deepEqual(
      [account.status, account.currency, account.cash, account.buying_power, account.equity],
      ["ACTIVE", "USD", "98999.90", "98999.90", "100000.00"],
    );
    assert.equal(account.portfolio_value, "100000.00");
    const positions = await (await call("GET", "/v2/positions")).json();
    assert.equal(positions.length, 1);
    const p = await (await call("GET", "/v2/positions/AAPL")).json();
    assert.deepEqual(
      [p.symbol, p.qty, p.side, p.avg_entry_price, p.cost_basis, p.market_value, p.unrealized_pl],
      ["AAPL", "10", "long", "100.01", "1000.10", "1000.10", "0.00"],
    );
    const closed = await call("DELETE", "/v2/positions/AAPL");
    assert.equal(closed.status, 200);
    const order = await closed.json();
    assert.deepEqual([order.side, order.qty, order.filled_avg_price], ["sell", "10", "100.00"]);
    const after = await (await call("GET", "/v2/account")).json();
    assert.equal(after.cash, "99999.90");
    const gone = await call("GET", "/v2/positions/AAPL");
    assert.equal(gone.status, 404);
    assert.deepEqual(await gone.json(), { code: 40410000, message: "position does not exist" });
  });
});

Deno.test("a resting limit order is listed open, canceled with 204, reported canceled, then not cancelable", async () => {
  await withServer(async ({ call, port }) => {
    const c = await listening(port);
    const order = await (await call("POST", "/v2/orders", limitBuy("5", "99.00"))).json();
    assert.deepEqual([order.status, order.limit_price, order.filled_qty], ["new", "99.00", "0"]);
    assert.equal(((await c.next()).data as Json).event, "new");
    const open = await (await call("GET", "/v2/orders?status=open")).json();
    assert.deepEqual(open.map((o: Json) => o.id), [order.id]);
    // Buying power holds the open buy's notional: 5 x 99.00.
    assert.equal((await (await call("GET", "/v2/account")).json()).buying_power, "99505.00");
    const del = await call("DELETE", `/v2/orders/${order.id}`);
    assert.equal(del.status, 204);
    await del.body?.cancel();
    const canceled = (await c.next()).data as Json;
    assert.equal(canceled.event, "canceled");
    assert.equal((canceled.order as Json).status, "canceled");
    const again = await call("DELETE", `/v2/orders/${order.id}`);
    assert.equal(again.status, 422);
    assert.equal((await again.json()).code, 42210000);
    const closed = await (await call("GET", "/v2/orders?status=closed")).json();
    assert.equal(closed[0].status, "canceled");
    assert.equal(typeof closed[0].canceled_at, "string");
    const missing = await call("GET", "/v2/orders/00000000-0000-4000-8000-0000000000ff");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    await c.close();
  });
});

Deno.test("PATCH /v2/orders/{id} replaces an open order with a new one linked both ways", async () => {
  await withServer(async ({ call, port }) => {
    const c = await listening(port);
    const old = await (await call("POST", "/v2/orders", limitBuy("5", "99.00"))).json();
    const res = await call("PATCH", `/v2/orders/${old.id}`, {
      qty: "7",
      limit_price: "99.50",
      client_order_id: "r2",
    });
    assert.equal(res.status, 200);
    const next = await res.json();
    assert.deepEqual(
      [next.client_order_id, next.qty, next.limit_price, next.status, next.replaces],
      ["r2", "7", "99.50", "new", old.id],
    );
    const before = await (await call("GET", `/v2/orders/${old.id}`)).json();
    assert.deepEqual([before.status, before.replaced_by], ["replaced", next.id]);
    const events = [];
    for (let i = 0; i < 3; i++) events.push(((await c.next()).data as Json).event);
    assert.deepEqual(events, ["new", "replaced", "new"]);
    const stale = await call("PATCH", `/v2/orders/${old.id}`, { qty: "3" });
    assert.equal(stale.status, 422);
    await stale.body?.cancel();
    await c.close();
  });
});

Deno.test("orders are found by client order id; a reused one and bad input get 422", async () => {
  await withServer(async ({ call }) => {
    await (await call("POST", "/v2/orders", limitBuy("1", "90.00", { client_order_id: "c-1" })))
      .body?.cancel();
    const found = await call("GET", "/v2/orders:by_client_order_id?client_order_id=c-1");
    assert.equal(found.status, 200);
    assert.equal((await found.json()).client_order_id, "c-1");
    const dup = await call(
      "POST",
      "/v2/orders",
      limitBuy("1", "90.00", { client_order_id: "c-1" }),
    );
    assert.equal(dup.status, 422);
    assert.deepEqual(await dup.json(), {
      code: 40010001,
      message: "client_order_id must be unique",
    });
    for (
      const bad of [
        marketBuy("0"),
        marketBuy("1.5"),
        marketBuy("1", { type: "limit" }),
        limitBuy("1", "100.001"),
        marketBuy("1", { symbol: "NOPE" }),
        marketBuy("1", { time_in_force: "forever" }),
      ]
    ) {
      const res = await call("POST", "/v2/orders", bad);
      assert.equal(res.status, 422, JSON.stringify(bad));
      assert.equal((await res.json()).code, 40010001);
    }
    const unknown = await call("GET", "/v2/orders:by_client_order_id?client_order_id=nope");
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  });
});

Deno.test("a notional market order buys the whole lots it affords at the ask", async () => {
  await withServer(async ({ call }) => {
    const res = await call(
      "POST",
      "/v2/orders",
      marketBuy("1", { qty: undefined, notional: "500" }),
    );
    assert.equal(res.status, 200);
    const order = await res.json();
    // floor(500 / 100.01) = 4 shares.
    assert.deepEqual([order.notional, order.qty, order.status], ["500", "4", "filled"]);
  });
});

Deno.test("a buy beyond buying power gets 403 and places nothing", async () => {
  await withServer(async ({ call }) => {
    const res = await call("POST", "/v2/orders", marketBuy("1000", { client_order_id: "big" }));
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), { code: 40310000, message: "insufficient buying power" });
    const look = await call("GET", "/v2/orders:by_client_order_id?client_order_id=big");
    assert.equal(look.status, 404);
    await look.body?.cancel();
  });
});

Deno.test("DELETE /v2/orders cancels every open order with a 207 per-order result", async () => {
  await withServer(async ({ call }) => {
    for (const px of ["98.00", "97.00"]) {
      await (await call("POST", "/v2/orders", limitBuy("1", px))).body?.cancel();
    }
    const res = await call("DELETE", "/v2/orders");
    assert.equal(res.status, 207);
    const results = await res.json();
    assert.deepEqual(results.map((r: Json) => r.status), [200, 200]);
    assert.deepEqual(results.map((r: Json) => (r.body as Json).status), ["canceled", "canceled"]);
    assert.deepEqual(await (await call("GET", "/v2/orders")).json(), []);
  });
});

Deno.test("requests without valid keys get 401; the stream refuses them too", async () => {
  await withServer(async ({ call, port }) => {
    const none = await call("GET", "/v2/account", undefined, { headers: {} });
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { code: 40110000, message: "request is not authorized" });
    const wrong = await call("GET", "/v2/account", undefined, {
      headers: { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "bad" },
    });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const c = streamClient(port);
    await c.opened;
    c.send({ action: "listen", data: { streams: ["trade_updates"] } });
    assert.deepEqual(await c.next(), {
      stream: "authorization",
      data: { action: "listen", status: "unauthorized" },
    });
    c.send({ action: "auth", key: "k", secret: "bad" });
    assert.equal(((await c.next()).data as Json).status, "unauthorized");
    await c.closed;
  }, { credentials: { key: "k", secret: "s" } });
});

Deno.test("clock is always open and assets are listed and found by symbol", async () => {
  await withServer(async ({ call }) => {
    const clock = await (await call("GET", "/v2/clock")).json();
    assert.equal(clock.is_open, true);
    assert.ok(Date.parse(clock.next_close) > Date.parse(clock.timestamp));
    const assets = await (await call("GET", "/v2/assets")).json();
    assert.ok(assets.some((a: Json) => a.symbol === "AAPL" && a.tradable === true));
    const crypto = await (await call("GET", "/v2/assets?asset_class=crypto")).json();
    assert.deepEqual(crypto.map((a: Json) => a.symbol), ["BTC/USD", "ETH/USD"]);
    const btc = await (await call("GET", "/v2/assets/BTCUSD")).json();
    assert.deepEqual([btc.symbol, btc.class, btc.fractionable], ["BTC/USD", "crypto", true]);
    const missing = await call("GET", "/v2/assets/NOPE");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  });
});

Deno.test("fault switches answer 429 with Retry-After and 500 until switched off", async () => {
  await withServer(async ({ call }) => {
    await (await call("POST", "/admin/faults", { rest_status: 429 })).body?.cancel();
    const limited = await call("POST", "/v2/orders", marketBuy("1", { client_order_id: "f1" }));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "1");
    assert.equal((await limited.json()).code, 42910000);
    await (await call("POST", "/admin/faults", { rest_status: 500 })).body?.cancel();
    const broken = await call("GET", "/v2/account");
    assert.equal(broken.status, 500);
    await broken.body?.cancel();
    const bad = await call("POST", "/admin/faults", { rest_status: 418 });
    assert.equal(bad.status, 422);
    await bad.body?.cancel();
    await (await call("POST", "/admin/faults", {})).body?.cancel();
    const look = await call("GET", "/v2/orders:by_client_order_id?client_order_id=f1");
    assert.equal(look.status, 404, "a 429'd order never reached the venue");
    await look.body?.cancel();
  });
});

Deno.test("timeout_after_accept: the client times out, yet the venue holds the order", async () => {
  await withServer(async ({ call }) => {
    await (await call("POST", "/admin/faults", { timeout_after_accept: true })).body?.cancel();
    await assert.rejects(
      call("POST", "/v2/orders", marketBuy("2", { client_order_id: "t1" }), {
        signal: AbortSignal.timeout(300),
      }),
    );
    const look = await call("GET", "/v2/orders:by_client_order_id?client_order_id=t1");
    assert.equal(look.status, 200);
    assert.deepEqual(((await look.json()) as Json).status, "filled");
  });
});

Deno.test("drop_streams closes trade_updates sockets", async () => {
  await withServer(async ({ call, port, trading }) => {
    const c = await listening(port);
    assert.equal(trading.stream.listeners(), 1);
    await (await call("POST", "/admin/faults", { drop_streams: true })).body?.cancel();
    await c.closed;
    await (await call("POST", "/admin/faults", {})).body?.cancel();
  });
});

Deno.test("with the synthetic market running, a market order fills at the live book", async () => {
  await withServer(async ({ call, trading }) => {
    const book = trading.broker.books.book("AAPL");
    for (let i = 0; i < 100 && book.bestAsk() === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(book.bestAsk() > 0);
    const order = await (await call("POST", "/v2/orders", marketBuy("1"))).json();
    assert.equal(order.status, "filled");
  }, { market: true });
});

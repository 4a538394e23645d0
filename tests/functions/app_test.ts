// The HTTP layer over a small stub CoreView: routing, URL-encoded symbols, validation and the error convention.
import assert from "node:assert/strict";
import { createApp } from "../../functions/app.ts";
import type { BarsResult, CoreView, TradingView } from "../../functions/core_view.ts";
import type { BarJson, BookJson, HealthJson } from "../../schemas/http.ts";
import { errorBodySchema } from "../../schemas/http.ts";

function stubView(overrides: Partial<CoreView> = {}): CoreView & { calls: string[] } {
  const calls: string[] = [];
  const health: HealthJson = {
    status: "ok",
    venue: "sim",
    feed: "running",
    uptime_s: 1,
    stale_after_s: 5,
    symbols: [{ symbol: "BTC/USD", last_update_age_s: 0.1, stale: false }],
    ring: { capacity: 8, occupancy: 0, dropped: 0, conflated: 0 },
  };
  const book: BookJson = {
    symbol: "BTC/USD",
    bids: [{ price: "60000", size: "0.5" }],
    asks: [{ price: "60001", size: "1" }],
    best_bid: "60000",
    best_ask: "60001",
    spread: "1",
    mid: "60000.5",
    crossed: false,
    venue_time: 1,
    recv_time: 2,
  };
  const bar: BarJson = {
    symbol: "BTC/USD",
    timeframe: "1m",
    start: 0,
    end: 60_000_000,
    time: "1970-01-01T00:01:00.000000Z",
    open: "1",
    high: "2",
    low: "1",
    close: "2",
    volume: "3",
    vwap: 1.5,
    trade_count: 2,
    empty: false,
    source: "aggregated",
    partial: false,
  };
  return {
    calls,
    health: () => health,
    metrics: () => "deno_rt_up 1\n",
    instruments: () => [{
      symbol: "BTC/USD",
      id: "BTC/USD.SIM",
      asset_class: "crypto",
      price_decimals: 6,
      qty_decimals: 9,
    }],
    book: (symbol, depth) => {
      calls.push(`book ${symbol} ${depth}`);
      return symbol === "BTC/USD" ? book : undefined;
    },
    bars: (symbol, timeframe, limit, partial): BarsResult => {
      calls.push(`bars ${symbol} ${timeframe} ${limit} ${partial}`);
      if (symbol !== "BTC/USD") return { kind: "unknown_symbol" };
      if (timeframe !== "1m") return { kind: "unknown_timeframe", timeframes: ["1s", "1m", "5m"] };
      return { kind: "ok", bars: [bar] };
    },
    ...overrides,
  };
}

async function errorOf(res: Response) {
  return errorBodySchema.parse(await res.json()).error;
}

Deno.test("GET /api/books/:symbol decodes a URL-encoded slash and passes the depth", async () => {
  const view = stubView();
  const res = await createApp(view).request("/api/books/BTC%2FUSD?depth=3");
  assert.equal(res.status, 200);
  assert.equal((await res.json()).best_bid, "60000");
  assert.deepEqual(view.calls, ["book BTC/USD 3"]);
});

Deno.test("an unknown symbol is a 404 JSON error naming the symbol", async () => {
  const res = await createApp(stubView()).request("/api/books/ZZZ");
  assert.equal(res.status, 404);
  assert.deepEqual(await errorOf(res), {
    code: "unknown_symbol",
    message: "unknown symbol 'ZZZ' (slashes must be URL-encoded: BTC%2FUSD)",
    field: "symbol",
  });
  assert.equal((await createApp(stubView()).request("/api/bars/ZZZ")).status, 404);
});

Deno.test("a bad query parameter is a 400 naming the parameter and what it must be", async () => {
  const app = createApp(stubView());
  for (
    const [path, field, message] of [
      ["/api/books/BTC%2FUSD?depth=x", "depth", "must be a whole number"],
      ["/api/books/BTC%2FUSD?depth=1001", "depth", "must be <= 1000"],
      ["/api/bars/BTC%2FUSD?limit=0", "limit", "must be >= 1"],
      ["/api/bars/BTC%2FUSD?limit=1.5", "limit", "must be a whole number"],
      ["/api/bars/BTC%2FUSD?timeframe=2m", "timeframe", undefined],
      ["/api/bars/BTC%2FUSD?partial=yes", "partial", undefined],
      ["/api/bars/BTC%2FUSD?evil=%00", "evil", undefined],
    ] as const
  ) {
    const res = await app.request(path);
    assert.equal(res.status, 400, path);
    const e = await errorOf(res);
    assert.equal(e.code, "invalid_query", path);
    assert.equal(e.field, field, path);
    if (message !== undefined) assert.equal(e.message, `query parameter '${field}' ${message}`);
  }
});

Deno.test("GET /api/bars/:symbol defaults to 1m and 100 bars", async () => {
  const view = stubView();
  const res = await createApp(view).request("/api/bars/BTC%2FUSD");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.bars.length, 1);
  assert.deepEqual(view.calls, ["bars BTC/USD 1m 100 false"]);
});

Deno.test("GET /health answers 503 while the core is starting and 200 when ok or degraded", async () => {
  for (
    const [status, code] of [["ok", 200], ["degraded", 200], ["starting", 503], [
      "stopping",
      503,
    ]] as const
  ) {
    const base = stubView();
    const res = await createApp(stubView({ health: () => ({ ...base.health(), status }) })).request(
      "/health",
    );
    assert.equal(res.status, code, status);
  }
});

Deno.test("GET /metrics is Prometheus text; unknown routes and failing handlers answer JSON errors", async () => {
  const app = createApp(stubView({
    instruments: () => {
      throw new Error("secret internals");
    },
  }));
  const m = await app.request("/metrics");
  assert.match(m.headers.get("content-type")!, /^text\/plain; version=0.0.4/);
  const nf = await app.request("/api/nothing");
  assert.equal(nf.status, 404);
  assert.equal((await errorOf(nf)).code, "not_found");
  // The cause goes to the server's log, never into the answer.
  const logged: unknown[][] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  let boom: Response;
  try {
    boom = await app.request("/api/instruments");
  } finally {
    console.error = error;
  }
  assert.equal(boom.status, 500);
  assert.deepEqual(await errorOf(boom), { code: "internal_error", message: "internal error" });
  assert.match(String(logged[0]?.[1]), /secret internals/);
});

/** A TradingView stub recording what the routes ask of it. */
function tradingStub(): TradingView & { killed: string[] } {
  const killed: string[] = [];
  return {
    killed,
    knowsSymbol: (s) => s === "BTC/USD",
    positions: () => [],
    orders: () => [],
    fills: () => [],
    pnl: () => ({
      cash: "0",
      equity: "0",
      realized: "0",
      unrealized: "0",
      fees: "0",
      daily_pnl: "0",
      session_start: null,
      by_symbol: [],
    }),
    risk: () => ({}),
    setKillSwitch: (state) => {
      killed.push(state);
      return Promise.resolve({ state });
    },
    placeOrder: () =>
      Promise.resolve({ kind: "refused", status: 422, code: "max_quantity", message: "refused" }),
  };
}

const postJson = (body: unknown, auth?: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
  body: JSON.stringify(body),
});

Deno.test("the kill switch route needs the admin token (any case of 'Bearer') and names a bad field", async () => {
  const trading = tradingStub();
  const app = createApp(stubView(), { trading, adminToken: "s3cret" });
  assert.equal((await app.request("/api/kill-switch", postJson({ on: true }))).status, 401);
  assert.equal(
    (await app.request("/api/kill-switch", postJson({ on: true }, "Bearer nope"))).status,
    401,
  );
  assert.equal(
    (await app.request("/api/kill-switch", postJson({ on: true }, "bearer s3cret"))).status,
    200,
  );
  assert.deepEqual(trading.killed, ["halted"]);
  for (const body of [{}, { on: "yes" }, { state: "bogus" }, { on: true, state: "active" }]) {
    const res = await app.request("/api/kill-switch", postJson(body, "Bearer s3cret"));
    assert.equal(res.status, 400, JSON.stringify(body));
    const e = await errorOf(res);
    assert.ok(e.field === "on" || e.field === "state", JSON.stringify(e));
  }
  const noToken = createApp(stubView(), { trading });
  assert.equal(
    (await noToken.request("/api/kill-switch", postJson({ on: true }, "Bearer s3cret"))).status,
    403,
  );
});

Deno.test("order and fill queries for an unknown symbol are 404, like every other symbol route", async () => {
  const app = createApp(stubView(), { trading: tradingStub(), adminToken: "t" });
  assert.equal((await app.request("/api/orders?symbol=ZZZ")).status, 404);
  assert.equal((await app.request("/api/fills?symbol=ZZZ")).status, 404);
  assert.equal((await app.request("/api/orders?symbol=BTC%2FUSD")).status, 200);
  const refused = await app.request(
    "/api/orders",
    postJson({ symbol: "BTC/USD", side: "buy", qty: "1" }, "Bearer t"),
  );
  assert.equal(refused.status, 422);
  assert.equal((await errorOf(refused)).code, "max_quantity");
});

// `deno task live` trading on the sim venue as a process: the HTTP trading routes, and a SIGKILL
// while it trades followed by a restart on the same data dir that finds every fill and position.
import assert from "node:assert/strict";
import { join } from "node:path";
import { startLive } from "./_live_process.ts";

const TOKEN = "test-admin-token";

// deno-lint-ignore no-explicit-any -- response bodies are checked field by field below
type Json = any;

async function call(
  base: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Json }> {
  const r = await fetch(base + path, init);
  const text = await r.text();
  return { status: r.status, body: text === "" ? null : JSON.parse(text) };
}

const post = (body: unknown, token: string | null = TOKEN): RequestInit => ({
  method: "POST",
  headers: {
    "content-type": "application/json",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function configFile(dir: string, config: unknown): Promise<string> {
  const path = join(dir, "config.json");
  await Deno.writeTextFile(path, JSON.stringify(config));
  return path;
}

async function ready(base: string): Promise<void> {
  await until("trading ready with a market", async () => {
    const h = await call(base, "/health");
    const b = await call(base, "/api/books/AAPL?depth=1");
    return h.body.trading?.ready && b.body.best_ask !== null ? true : undefined;
  });
}

Deno.test("trading routes: bearer auth, body validation, a manual order filled into positions and P&L, the kill switch", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_trade_" });
  const config = await configFile(dir, { strategies: [] });
  const live = await startLive(["--config", config], { DENO_RT_ADMIN_TOKEN: TOKEN });
  try {
    await ready(live.base);
    assert.equal(
      (await call(
        live.base,
        "/api/orders",
        post({ symbol: "AAPL", side: "buy", qty: "1" }, null),
      )).status,
      401,
    );
    assert.equal(
      (await call(
        live.base,
        "/api/orders",
        post({ symbol: "AAPL", side: "buy", qty: "1" }, "wrong"),
      )).status,
      401,
    );
    // What the field must be, in the words the config and the backtest CLI use.
    for (
      const [body, message] of [
        [
          { symbol: "AAPL", side: "buy", qty: "abc" },
          `'qty' must be a decimal string such as "1.5"`,
        ],
        [{ symbol: "AAPL", side: "hold", qty: "1" }, "'side' must be one of buy, sell"],
      ] as const
    ) {
      const r = await call(live.base, "/api/orders", post(body));
      assert.equal(r.body.error.message, message, JSON.stringify(r.body));
    }
    for (
      const [body, field] of [
        [{ symbol: "AAPL", side: "buy", qty: "abc" }, "qty"],
        [{ symbol: "AAPL", side: "hold", qty: "1" }, "side"],
        [{ symbol: "AAPL", side: "buy", qty: "1", type: "limit" }, "limit_price"],
        [{ symbol: "AAPL", side: "buy", qty: "0.5" }, "qty"],
        [{ symbol: "AAPL", side: "buy", qty: "1", extra: 1 }, "extra"],
      ] as const
    ) {
      const r = await call(live.base, "/api/orders", post(body));
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    }
    // Zero and negative quantities are refused alike, naming the value.
    for (const qty of ["0", "-1"]) {
      const r = await call(live.base, "/api/orders", post({ symbol: "AAPL", side: "buy", qty }));
      assert.equal(r.status, 400);
      assert.deepEqual(r.body.error, {
        code: "invalid_body",
        message: `'qty' must be > 0, got ${qty}`,
        field: "qty",
      });
    }
    assert.equal(
      (await call(live.base, "/api/orders", post("{not json"))).body.error.code,
      "invalid_json",
    );
    assert.equal((await call(live.base, "/api/orders", post("x".repeat(100_000)))).status, 413);
    assert.equal(
      (await call(live.base, "/api/orders", post({ symbol: "NOPE", side: "buy", qty: "1" })))
        .status,
      404,
    );

    const placed = await call(
      live.base,
      "/api/orders",
      post({ symbol: "AAPL", side: "buy", qty: "10" }),
    );
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const id = placed.body.order.client_order_id;
    const fills = await until("the fill", async () => {
      const f = await call(live.base, "/api/fills");
      return f.body.fills.some((x: Json) => x.client_order_id === id) ? f : undefined;
    });
    assert.equal(fills.body.fills[0].symbol, "AAPL");
    const positions = await call(live.base, "/api/positions");
    assert.deepEqual(positions.body.positions.map((p: Json) => [p.symbol, p.qty]), [[
      "AAPL",
      "10",
    ]]);
    const orders = await call(live.base, "/api/orders?status=filled");
    assert.equal(orders.body.orders[0].client_order_id, id);
    const pnl = await call(live.base, "/api/pnl");
    assert.match(pnl.body.equity, /^\d+\.\d{2,}$/);
    const risk = await call(live.base, "/api/risk");
    assert.equal(risk.body.kill_switch.state, "active");
    assert.equal(risk.body.approvals, 1);

    const halted = await call(live.base, "/api/kill-switch", post({ on: true }));
    assert.equal(halted.body.state, "halted");
    const refused = await call(
      live.base,
      "/api/orders",
      post({ symbol: "AAPL", side: "buy", qty: "1" }),
    );
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, "kill_switch_halted");
    assert.equal((await call(live.base, "/api/kill-switch", post({ on: "yes" }))).status, 400);
    const metrics = await (await fetch(`${live.base}/metrics`)).text();
    assert.match(metrics, /deno_rt_kill_switch\{state="halted"\} 1/);
    assert.match(metrics, /deno_rt_risk_rejections_total\{reason="kill_switch_halted"\} 1/);
  } finally {
    const { code } = await live.stop("SIGTERM");
    assert.equal(code, 0, live.output());
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(live.dataDir, { recursive: true });
  }
});

Deno.test("mutating routes answer 403 when no admin token is configured", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_trade_" });
  const live = await startLive(["--config", await configFile(dir, { strategies: [] })], {
    DENO_RT_ADMIN_TOKEN: "",
  });
  try {
    const r = await call(live.base, "/api/kill-switch", post({ on: true }, "anything"));
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, "forbidden");
  } finally {
    await live.stop("SIGTERM");
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(live.dataDir, { recursive: true });
  }
});

Deno.test("SIGKILL while trading, then a restart on the same data dir: every fill and position is back and no order is duplicated", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_crash_" });
  const config = await configFile(dir, {
    sim: { rate_per_symbol: 200 },
    strategies: [
      {
        id: "fast_ma",
        kind: "ma_crossover",
        symbols: ["AAPL", "MSFT"],
        params: { timeframe: "1s", fast: 2, slow: 3, qty: "1" },
      },
    ],
  });
  const dataDir = join(dir, "data");
  const args = ["--config", config, "--data-dir", dataDir];
  const first = await startLive(args, { DENO_RT_ADMIN_TOKEN: TOKEN });
  let before: { fills: Json[]; positions: Json[] };
  try {
    await ready(first.base);
    for (let i = 0; i < 5; i++) {
      const r = await call(
        first.base,
        "/api/orders",
        post({ symbol: "AAPL", side: "buy", qty: "2" }),
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    await until("fills from manual orders and the strategy", async () => {
      const f = await call(first.base, "/api/fills?limit=10000");
      return f.body.fills.length >= 8 ? true : undefined;
    }, 30_000);
    before = {
      fills: (await call(first.base, "/api/fills?limit=10000")).body.fills,
      positions: (await call(first.base, "/api/positions")).body.positions,
    };
  } finally {
    await first.stop("SIGKILL");
  }

  const second = await startLive(args, { DENO_RT_ADMIN_TOKEN: TOKEN });
  try {
    const health = await until("reconciled after restart", async () => {
      const h = await call(second.base, "/health");
      return h.body.trading !== undefined ? h : undefined;
    });
    assert.equal(health.body.trading.reconcile, "ok", JSON.stringify(health.body.trading));
    assert.equal(health.body.trading.ready, true);
    const fills = (await call(second.base, "/api/fills?limit=10000")).body.fills as Json[];
    const afterIds = new Set(fills.map((f) => f.fill_id));
    for (const f of before.fills) {
      assert.ok(afterIds.has(f.fill_id), `fill ${f.fill_id} survived the crash`);
    }
    assert.equal(afterIds.size, fills.length, "no fill twice");
    // every position equals the sum of its fills, and fills seen before the crash are all there
    const net = new Map<string, number>();
    for (const f of fills) {
      net.set(f.symbol, (net.get(f.symbol) ?? 0) + (f.side === "buy" ? 1 : -1) * Number(f.qty));
    }
    const positions = (await call(second.base, "/api/positions")).body.positions as Json[];
    for (const p of positions) {
      assert.equal(Number(p.qty), net.get(p.symbol), `position ${p.symbol}`);
    }
    // Marks move with the market; what the fills determine must be identical.
    const booked = (ps: Json[]) =>
      ps.map((p) => [p.symbol, p.qty, p.avg_price, p.cost_basis, p.realized_pnl, p.fees].join(" "));
    if (fills.length === before.fills.length) {
      assert.deepEqual(booked(positions), booked(before.positions));
    }
    const orders = (await call(second.base, "/api/orders?limit=10000")).body.orders as Json[];
    const ids = orders.map((o) => o.client_order_id);
    assert.equal(new Set(ids).size, ids.length, "no client order id twice");
    for (const f of fills) {
      assert.ok(ids.includes(f.client_order_id), `order of fill ${f.fill_id} is known`);
    }

    // and the restarted process trades on: a new order fills (venue ids do not repeat the first run's)
    await ready(second.base); // a market order needs a book
    const placed = await call(
      second.base,
      "/api/orders",
      post({ symbol: "AAPL", side: "buy", qty: "1" }),
    );
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const id = placed.body.order.client_order_id;
    await until("the new order to fill", async () => {
      const o = await call(second.base, "/api/orders?status=filled&limit=10000");
      return o.body.orders.some((x: Json) => x.client_order_id === id) ? true : undefined;
    }, 10_000);
  } finally {
    const { code } = await second.stop("SIGTERM");
    assert.equal(code, 0, second.output());
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(second.dataDir, { recursive: true });
    await Deno.remove(first.dataDir, { recursive: true });
  }
});

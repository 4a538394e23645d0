// `deno task live --venue alpaca-paper` streaming market data from sim-server's Alpaca-compatible
// streams through the feed worker and ring into books and bars; and the safety rails on start-up.
import assert from "node:assert/strict";
import { createMarketDataRest } from "../../scripts/sim_server/market_data_rest.ts";
import { createMarketDataStream } from "../../scripts/sim_server/market_data_stream.ts";
import { createRouter } from "../../scripts/sim_server/router.ts";
import { createTradingRest } from "../../scripts/sim_server/trading_rest.ts";
import { startLive } from "./_live_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * sim-server's Alpaca streams and trading API on one loopback port, and `deno task live` on
 * alpaca-paper against them; `close()` stops all and asserts the core exited cleanly.
 */
async function coreOnSimServer(
  symbols: string,
  env: Record<string, string> = {},
  strategies: unknown[] = [],
) {
  const credentials = { key: "paper-key", secret: "paper-secret" };
  const stream = createMarketDataStream({ credentials });
  const broker = createTradingRest({ credentials });
  const bars = createMarketDataRest({ credentials });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createRouter([stream.route, ...broker.routes, ...bars.routes]),
  );
  const brokerUrl = `http://127.0.0.1:${server.addr.port}`;
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_alpaca_" });
  const config = `${dir}/config.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({ strategies, alpaca: { trading_url: brokerUrl, data_url: brokerUrl } }),
  );
  const live = await startLive(
    ["--venue", "alpaca-paper", "--symbols", symbols, "--config", config],
    {
      APCA_API_KEY_ID: "paper-key",
      APCA_API_SECRET_KEY: "paper-secret",
      DENO_RT_ALPACA_DATA_STREAM_URL: `ws://127.0.0.1:${server.addr.port}`,
      ...env,
    },
  );
  const close = async () => {
    const { code } = await live.stop("SIGTERM");
    await stream.close();
    await broker.close();
    await server.shutdown();
    assert.equal(code, 0, live.output());
    await Deno.remove(live.dataDir, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  };
  return { live, stream, broker, brokerUrl, close };
}

Deno.test("deno task live --venue alpaca-paper streams market data and trades through an Alpaca-compatible server", async () => {
  const { live, stream, close } = await coreOnSimServer("AAPL,BTC/USD", {
    DENO_RT_ADMIN_TOKEN: "t",
  });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const metrics = await (await fetch(`${live.base}/metrics`)).text();
      const book = await (await fetch(`${live.base}/api/books/BTC%2FUSD?depth=2`)).json();
      const trades = Number(
        /^deno_rt_messages_by_kind_total\{kind="trade"\} (\d+)$/m.exec(metrics)?.[1],
      );
      const quotes = Number(
        /^deno_rt_messages_by_kind_total\{kind="quote"\} (\d+)$/m.exec(metrics)?.[1],
      );
      if (book.bids?.length === 2 && trades > 10 && quotes > 10) break;
      if (Date.now() > deadline) {
        throw new Error(`no Alpaca data arrived:\n${metrics}\n${live.output()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const health = await (await fetch(`${live.base}/health`)).json();
    assert.equal(health.venue, "alpaca-paper");
    assert.equal(health.feed, "running");
    assert.deepEqual(health.symbols.map((s: { stale: boolean }) => s.stale), [false, false]);
    assert.equal(
      stream.connections(),
      2,
      "one connection per feed (stocks, crypto), shared by all symbols",
    );
    assert.equal(health.trading.ready, true, JSON.stringify(health.trading));

    // an order through the Alpaca adapter: REST to place it, trade_updates to learn of the fill
    const placed = await fetch(`${live.base}/api/orders`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ symbol: "BTC/USD", side: "buy", qty: "0.01" }),
    });
    const body = await placed.json();
    assert.equal(placed.status, 201, JSON.stringify(body));
    const id = body.order.client_order_id;
    const deadline2 = Date.now() + 10_000;
    for (;;) {
      const fills = await (await fetch(`${live.base}/api/fills`)).json();
      if (fills.fills.some((f: { client_order_id: string }) => f.client_order_id === id)) break;
      if (Date.now() > deadline2) throw new Error(`no fill for ${id}:\n${live.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const positions = await (await fetch(`${live.base}/api/positions`)).json();
    assert.deepEqual(
      positions.positions.map((p: { symbol: string; qty: string }) => [p.symbol, p.qty]),
      [[
        "BTC/USD",
        "0.01",
      ]],
    );
    assert.doesNotMatch(live.output(), /paper-secret/, "the secret never reaches the log");
  } finally {
    await close();
  }
});

Deno.test("alpaca venues refuse to start without keys, and alpaca-live only with --confirm-live", async () => {
  const run = async (args: string[], env: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "live", ...args],
      cwd: ROOT,
      env: { APCA_API_KEY_ID: "", APCA_API_SECRET_KEY: "", ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  const noKeys = await run(["--venue", "alpaca-paper"], {});
  assert.equal(noKeys.code, 2);
  assert.match(noKeys.stderr, /needs APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
  const live = await run(["--venue", "alpaca-live"], {
    APCA_API_KEY_ID: "k",
    APCA_API_SECRET_KEY: "s",
  });
  assert.equal(live.code, 2);
  assert.match(live.stderr, /trades real money: add --confirm-live/);
  assert.doesNotMatch(live.stderr, /\bs\b.*secret/);
});

Deno.test("with Alpaca's trading API unreachable the core still starts, streams nothing it cannot, and sends no order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_alpaca_down_" });
  const config = `${dir}/config.json`;
  // port 9 on loopback: nothing listens there, so every connection is refused at once
  await Deno.writeTextFile(
    config,
    JSON.stringify({ strategies: [], alpaca: { trading_url: "http://127.0.0.1:9" } }),
  );
  const live = await startLive(
    ["--venue", "alpaca-paper", "--symbols", "AAPL", "--config", config],
    {
      APCA_API_KEY_ID: "k",
      APCA_API_SECRET_KEY: "s",
      DENO_RT_ALPACA_DATA_STREAM_URL: "ws://127.0.0.1:9",
    },
  );
  try {
    const health = await (await fetch(`${live.base}/health`)).json();
    assert.equal(health.venue, "alpaca-paper");
    assert.equal(health.trading, undefined, "no trading loop without the trading API");
    assert.match(live.output(), /trading disabled: Alpaca trading API unreachable/);
    assert.equal((await fetch(`${live.base}/api/orders`)).status, 404);
  } finally {
    const { code } = await live.stop("SIGTERM");
    assert.equal(code, 0, live.output());
    await Deno.remove(live.dataDir, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bracket order placed at the broker behind the core's back is adopted from its reports: the entry's and the exit leg's fills reach positions without a restart", async () => {
  const { live, broker, brokerUrl, close } = await coreOnSimServer("AAPL");
  const poll = async <T>(what: string, read: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const v = await read();
      if (v !== undefined) return v;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}:\n${live.output()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await poll("a ready trading loop", async () => {
      const health = await (await fetch(`${live.base}/health`)).json();
      return health.trading?.ready === true ? true : undefined;
    });
    // The broker's own bid, in dollars.
    const aapl = broker.broker.instruments.get("AAPL")!;
    const bid = broker.broker.books.book("AAPL").bestBid() / 10 ** aapl.priceDecimals;
    assert.ok(bid > 0, "the sim market quotes AAPL");
    // As a trader would from the broker's own dashboard: the core neither sent nor knows it. The
    // take-profit is below the bid, so the exit leg fills as soon as the entry has.
    const placed = await fetch(`${brokerUrl}/v2/orders`, {
      method: "POST",
      headers: {
        "APCA-API-KEY-ID": "paper-key",
        "APCA-API-SECRET-KEY": "paper-secret",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        symbol: "AAPL",
        qty: "5",
        side: "buy",
        type: "market",
        time_in_force: "gtc",
        order_class: "bracket",
        take_profit: { limit_price: (bid - 1).toFixed(2) },
        stop_loss: { stop_price: (bid - 5).toFixed(2) },
      }),
    });
    const entry = await placed.json();
    assert.equal(placed.status, 200, JSON.stringify(entry));

    type FillRow = { client_order_id: string; side: string; qty: string };
    const fills = await poll("the entry's and the take-profit's fills in the core", async () => {
      const { fills } = await (await fetch(`${live.base}/api/fills?symbol=AAPL`)).json();
      return fills.length >= 2 ? fills as FillRow[] : undefined;
    });
    assert.deepEqual(
      fills.map((f) => [f.side, f.qty]).sort(),
      [["buy", "5"], ["sell", "5"]],
    );
    assert.ok(fills.some((f) => f.client_order_id === entry.client_order_id));
    const leg = fills.find((f) => f.side === "sell")!.client_order_id;
    assert.notEqual(leg, entry.client_order_id, "the leg has an id of its own");
    const { orders } = await (await fetch(`${live.base}/api/orders?symbol=AAPL`)).json();
    const status = new Map(
      orders.map((o: { client_order_id: string; status: string }) => [o.client_order_id, o.status]),
    );
    assert.equal(status.get(entry.client_order_id), "filled");
    assert.equal(status.get(leg), "filled");
    const positions = await (await fetch(`${live.base}/api/positions`)).json();
    assert.deepEqual(positions.positions, [], "bought 5 and sold 5: flat, as at the broker");
    const metrics = await (await fetch(`${live.base}/metrics`)).text();
    const unknown = Number(
      /^deno_rt_venue_reports_unknown_order_total (\d+)$/m.exec(metrics)?.[1],
    );
    assert.ok(unknown >= 2, `unknown-order reports counted: ${unknown}`);
    assert.match(live.output(), /first seen in a venue report \(\w+\); adopted/);
    const health = await (await fetch(`${live.base}/health`)).json();
    assert.equal(health.trading.ready, true, "positions agree: trading stays on");
  } finally {
    await close();
  }
});

Deno.test("on Alpaca, strategies warm up on the broker's recent bars before they trade", async () => {
  const { live, close } = await coreOnSimServer("AAPL,BTC/USD", {}, [{
    id: "ma_btc",
    kind: "ma_crossover",
    symbols: ["BTC/USD"],
    params: { timeframe: "1m", fast: 5, slow: 20, qty: "0.01" },
  }, {
    id: "ma_fast",
    kind: "ma_crossover",
    symbols: ["AAPL"],
    params: { timeframe: "1s", fast: 2, slow: 5, qty: "1" },
  }]);
  try {
    const out = live.output();
    // BTC/USD trades around the clock, so its 20 minute bars are there; Alpaca has no 1s bars, so
    // that strategy warms up on live bars, and the log says why.
    assert.match(out, /warm-up bars not loaded \(Alpaca has no 1s bars[^)]*\)/);
    assert.match(
      out,
      /warm-up: 20 bars loaded from the venue; 1 of 2 strategy symbols ready; ma_fast AAPL has 0 of 5 1s\n/,
    );
    const bars = await (await fetch(`${live.base}/api/bars/BTC%2FUSD?timeframe=1m&limit=100`))
      .json();
    assert.ok(bars.bars.length >= 20, "the warm-up bars are the symbol's bar history");
  } finally {
    await close();
  }
});

// `deno task live` as a subprocess: every endpoint answers, errors are JSON, and signals stop it cleanly.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startLive } from "./_live_process.ts";

// deno-lint-ignore no-explicit-any -- response bodies are checked field by field below
async function json(url: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url);
  return { status: r.status, body: await r.json() };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test("deno task live serves health, metrics, instruments, books and bars from the sim venue, then stops on SIGTERM within 2 s", async () => {
  const live = await startLive();
  try {
    const health = await until("health ok", async () => {
      const h = await json(`${live.base}/health`);
      return h.body.status === "ok" ? h : undefined;
    });
    assert.equal(health.status, 200);
    assert.equal(health.body.venue, "sim");
    assert.equal(health.body.feed, "running");
    // The default strategies (20-bar averages, RSI/Bollinger) warm up on the sim's past first.
    assert.match(
      live.output(),
      /warm-up: 60 bars loaded from the venue; 3 of 3 strategy symbols ready\n/,
    );
    assert.deepEqual(health.body.symbols.map((s: { symbol: string }) => s.symbol), [
      "AAPL",
      "MSFT",
      "BTC/USD",
    ]);
    for (const s of health.body.symbols) {
      assert.equal(s.stale, false);
      assert.ok(s.last_update_age_s >= 0 && s.last_update_age_s < 5);
    }

    const instruments = await json(`${live.base}/api/instruments`);
    assert.deepEqual(instruments.body.instruments[2], {
      symbol: "BTC/USD",
      id: "BTC/USD.SIM",
      asset_class: "crypto",
      price_decimals: 6,
      qty_decimals: 9,
    });

    // /health is ok during the stale grace period even before the first message: wait for depth
    const book = await until("AAPL depth", async () => {
      const b = await json(`${live.base}/api/books/AAPL?depth=3`);
      return b.body.bids?.length === 3 && b.body.asks?.length === 3 ? b : undefined;
    });
    assert.equal(book.status, 200);
    assert.equal(book.body.bids.length, 3);
    assert.ok(Number(book.body.bids[0].price) > Number(book.body.bids[1].price), "bids best first");
    assert.ok(Number(book.body.asks[0].price) < Number(book.body.asks[1].price), "asks best first");
    assert.ok(Number(book.body.best_bid) < Number(book.body.best_ask));
    assert.equal(book.body.crossed, false);
    assert.match(book.body.best_bid, /^\d+\.\d{2,4}$/);
    const btc = await json(`${live.base}/api/books/BTC%2FUSD?depth=2`);
    assert.equal(btc.status, 200);
    assert.equal(btc.body.symbol, "BTC/USD");

    const bars = await until("three closed 1s bars", async () => {
      const b = await json(`${live.base}/api/bars/MSFT?timeframe=1s&limit=3`);
      return b.body.bars?.length === 3 ? b : undefined;
    });
    const [b0, b1] = bars.body.bars;
    assert.equal(b1.start, b0.end, "consecutive 1s bars");
    assert.equal(b0.end - b0.start, 1_000_000);
    assert.ok(Number(b0.low) <= Number(b0.open) && Number(b0.open) <= Number(b0.high));

    const metrics = await fetch(`${live.base}/metrics`);
    assert.match(metrics.headers.get("content-type") ?? "", /text\/plain; version=0.0.4/);
    const text = await metrics.text();
    for (
      const name of [
        "deno_rt_messages_in_total",
        'deno_rt_bus_published_total{topic="market.trade"}',
        "deno_rt_ring_occupancy",
        'deno_rt_ring_dropped_total{kind="trade"}',
        'deno_rt_decode_errors_total{reason="malformed_json"}',
        "deno_rt_journal_last_seq",
        "deno_rt_journal_checkpoint_seq 0",
      ]
    ) assert.ok(text.includes(name), name);
    const messagesIn = Number(/^deno_rt_messages_in_total (\d+)$/m.exec(text)?.[1]);
    assert.ok(messagesIn > 100, `messages in: ${messagesIn}`);

    const unknown = await json(`${live.base}/api/books/NOPE`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "unknown_symbol");
    const unencoded = await json(`${live.base}/api/books/BTC/USD`);
    assert.equal(unencoded.status, 404);
    for (
      const [path, field] of [
        ["/api/books/AAPL?depth=abc", "depth"],
        ["/api/books/AAPL?depth=0", "depth"],
        ["/api/bars/AAPL?timeframe=7x", "timeframe"],
        ["/api/bars/AAPL?limit=-1", "limit"],
        ["/api/bars/AAPL?colour=red", "colour"],
      ]
    ) {
      const r = await json(`${live.base}${path}`);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.error.code, "invalid_query", path);
      assert.equal(r.body.error.field, field, path);
    }
    const nf = await json(`${live.base}/nope`);
    assert.equal(nf.status, 404);
    assert.equal(nf.body.error.code, "not_found");
  } finally {
    const { code, ms } = await live.stop("SIGTERM");
    assert.equal(code, 0, live.output());
    assert.ok(ms < 2000, `stopped in ${ms} ms`);
    assert.match(live.output(), /SIGTERM received/);
    assert.match(live.output(), /final: /);
    assert.ok(
      existsSync(join(live.dataDir, "data", "deno_rt.kv")),
      "state is kept in the data dir",
    );
    await Deno.remove(live.dataDir, { recursive: true });
  }
});

Deno.test("deno task live logs one summary line per second, not a line per message, and stops on SIGINT", async () => {
  const live = await startLive(["--symbols", "AAPL", "--rate", "500"]);
  await new Promise((r) => setTimeout(r, 2600));
  const { code, ms } = await live.stop("SIGINT");
  const lines = live.output().split("\n").filter((l) =>
    l.includes(" in=") && !l.includes("final:")
  );
  assert.ok(
    lines.length >= 1 && lines.length <= 4,
    `summary lines: ${lines.length}\n${live.output()}`,
  );
  assert.ok(live.output().split("\n").length < 20, "no per-message logging");
  assert.equal(code, 0);
  assert.ok(ms < 2000, `stopped in ${ms} ms`);
  await Deno.remove(live.dataDir, { recursive: true });
});

Deno.test("deno task live refuses an invalid config value, naming the field, and exits non-zero", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "live", "--venue", "nyse"],
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(
    new TextDecoder().decode(out.stderr),
    /'venue' must be one of "sim", "replay", "alpaca-paper", "alpaca-live", got "nyse"/,
  );
});

Deno.test("deno task live replays a CSV with broken rows: bad rows are counted on /metrics, good rows reach bars, the process keeps serving", async () => {
  const file = new URL("../fixtures/replay/bad_rows.csv", import.meta.url).pathname;
  const live = await startLive(["--replay", file, "--symbols", "AAPL", "--speed", "0"]);
  try {
    // the replay is over when the feed reports "ended"; only then are all counters final
    await until(
      "the replay to end",
      async () => (await json(`${live.base}/health`)).body.feed === "ended" ? true : undefined,
    );
    const metrics = await until("all three good trades applied", async () => {
      const text = await (await fetch(`${live.base}/metrics`)).text();
      return /deno_rt_messages_by_kind_total\{kind="trade"\} 3$/m.test(text) ? text : undefined;
    });
    assert.match(metrics, /deno_rt_decode_errors_total\{reason="bad_field"\} [1-9]/);
    assert.match(metrics, /deno_rt_decode_errors_total\{reason="bad_timestamp"\} [1-9]/);
    assert.match(metrics, /deno_rt_decode_errors_total\{reason="unknown_symbol"\} 1/);
    assert.match(
      metrics,
      /deno_rt_messages_by_kind_total\{kind="trade"\} 3/,
      "the three good trades arrived",
    );
    const bars = await until("the 1s bars of the good trades", async () => {
      const b = await json(`${live.base}/api/bars/AAPL?timeframe=1s&limit=100&partial=true`);
      return b.body.bars?.some((x: { close: string }) => x.close === "187.08") ? b : undefined;
    });
    assert.equal(bars.body.bars[0].close, "187.00");
    const health = await json(`${live.base}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.body.feed, "ended");
  } finally {
    const { code } = await live.stop("SIGTERM");
    assert.equal(code, 0, live.output());
    await Deno.remove(live.dataDir, { recursive: true });
  }
});

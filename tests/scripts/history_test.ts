/**
 * The history CLI against the sim server's synthetic bars endpoints, served in-process on port 0:
 * paging, stitching, replay of the CSV, resume, argument errors and auth.
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { SimClock } from "../../core/clock/sim_clock.ts";
import type { RecordSink } from "../../core/data/record_sink.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { VenueError } from "../../core/execution/venue_error.ts";
import { fetchBars } from "../../core/venues/alpaca/market_data_rest.ts";
import { ReplayFeed } from "../../core/venues/replay/replay_feed.ts";
import { HEADER, main } from "../../scripts/history.ts";
import { createMarketDataRest } from "../../scripts/sim_server/market_data_rest.ts";
import { createRouter } from "../../scripts/sim_server/router.ts";

const KEYS: Record<string, string> = { APCA_API_KEY_ID: "k", APCA_API_SECRET_KEY: "s" };

/** Serves the bars routes on a free port; counts requests. */
function serve() {
  const rest = createMarketDataRest({ now: () => Date.UTC(2024, 0, 10) * 1000 });
  const seen: URL[] = [];
  const router = createRouter(rest.routes);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    seen.push(new URL(req.url));
    return router(req);
  });
  return { server, seen, baseUrl: `http://127.0.0.1:${server.addr.port}` };
}

/** Runs the CLI, capturing its output. */
async function run(args: string[], env: Record<string, string> = KEYS) {
  const out: string[] = [], err: string[] = [];
  const code = await main(args, {
    env: (n) => env[n],
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const rows = async (path: string) => (await Deno.readTextFile(path)).trimEnd().split("\n").slice(1);
const times = (lines: string[]) => lines.map((l) => Date.parse(l.split(",")[0]!));

Deno.test("history fetches several pages per symbol and stitches them without gaps or duplicates", async () => {
  const { server, seen, baseUrl } = serve();
  const dir = await Deno.makeTempDir();
  try {
    const args = ["--symbols", "AAPL,BTC/USD", "--timeframe", "5m", "--from", "2024-01-02"];
    const r = await run([
      ...args,
      "--to",
      "2024-01-03",
      "--out",
      dir,
      "--base-url",
      baseUrl,
      "--limit",
      "50",
    ]);
    strictEqual(r.code, 0, r.err);
    ok(seen.filter((u) => u.searchParams.has("page_token")).length >= 4);
    // A single unpaged request is the reference the stitched file must equal.
    const whole = join(dir, "whole");
    const r2 = await run([...args, "--to", "2024-01-03", "--out", whole, "--base-url", baseUrl]);
    strictEqual(r2.code, 0, r2.err);
    for (const f of ["AAPL.csv", "BTC-USD.csv"]) {
      const paged = await Deno.readTextFile(join(dir, f));
      ok(paged.startsWith(HEADER + "\n"));
      strictEqual(paged, await Deno.readTextFile(join(whole, f)));
      const t = times(await rows(join(dir, f)));
      ok(t.every((x, i) => i === 0 || x > t[i - 1]!), `${f} is strictly increasing`);
    }
    // Crypto trades around the clock: 2 days of 5m buckets, all but a few have trades.
    ok((await rows(join(dir, "BTC-USD.csv"))).length > 500);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history CSVs replay through ReplayFeed with no rejected rows", async () => {
  const { server, baseUrl } = serve();
  const dir = await Deno.makeTempDir();
  try {
    const r = await run([
      "--symbols=AAPL,BTC/USD",
      "--timeframe=1h",
      "--from=2024-01-02",
      "--to=2024-01-04",
      `--out=${dir}`,
      `--base-url=${baseUrl}`,
      "--limit=7",
    ]);
    strictEqual(r.code, 0, r.err);
    let bars = 0, errors = 0;
    const sink: RecordSink = {
      trade: () => {},
      quote: () => {},
      bookLevel: () => {},
      flush: () => {},
      bar: () => void bars++,
      decodeError: () => void errors++,
    };
    const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "REPLAY");
    const feed = new ReplayFeed(
      { instruments, clock: new SimClock(0), sink, maxFrameBytes: 4096, log: () => {} },
      { files: ["AAPL.csv", "BTC-USD.csv"].map((f) => ({ path: join(dir, f) })), speed: 0 },
    );
    feed.subscribe(["AAPL", "BTC/USD"]);
    await feed.start();
    await feed.settled();
    await feed.stop();
    strictEqual(errors, 0);
    const expected = (await rows(join(dir, "AAPL.csv"))).length +
      (await rows(join(dir, "BTC-USD.csv"))).length;
    strictEqual(bars, expected);
    ok(bars > 72);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history resumes after a partial file, appending only the missing bars", async () => {
  const { server, seen, baseUrl } = serve();
  const dir = await Deno.makeTempDir();
  try {
    const args = [
      "--symbols",
      "AAPL",
      "--timeframe",
      "1m",
      "--from",
      "2024-01-02",
      "--to",
      "2024-01-02",
    ];
    const common = [...args, "--base-url", baseUrl, "--limit", "100"];
    strictEqual((await run([...common, "--out", join(dir, "full")])).code, 0);
    const full = await Deno.readTextFile(join(dir, "full", "AAPL.csv"));
    const lines = full.split("\n");
    // Interrupted: 120 complete rows and half of the next one.
    const partial = lines.slice(0, 121).join("\n") + "\n" + lines[121]!.slice(0, 10);
    await Deno.mkdir(join(dir, "part"));
    await Deno.writeTextFile(join(dir, "part", "AAPL.csv"), partial);
    seen.length = 0;
    strictEqual((await run([...common, "--out", join(dir, "part")])).code, 0);
    strictEqual(await Deno.readTextFile(join(dir, "part", "AAPL.csv")), full);
    const lastKept = lines[120]!.split(",")[0]!;
    ok(
      Date.parse(seen[0]!.searchParams.get("start")!) > Date.parse(lastKept),
      "starts after the last row",
    );
    // A complete file is left alone and asks for nothing.
    seen.length = 0;
    const again = await run([...common, "--out", join(dir, "part")]);
    strictEqual(again.code, 0);
    strictEqual(await Deno.readTextFile(join(dir, "part", "AAPL.csv")), full);
    ok(seen.length <= 1);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history exits 2 naming the bad argument", async () => {
  const ok3 = [
    "--symbols",
    "AAPL",
    "--timeframe",
    "1m",
    "--from",
    "2024-01-02",
    "--to",
    "2024-01-03",
    "--out",
    "x",
  ];
  const cases: Array<[string[], string]> = [
    [ok3.map((a) => a === "1m" ? "7x" : a), "--timeframe"],
    [ok3.map((a) => a === "2024-01-02" ? "Jan 2" : a), "--from"],
    [ok3.map((a) => a === "2024-01-03" ? "2023-12-31" : a), "--to"],
    [ok3.map((a) => a === "AAPL" ? "aapl!" : a), "--symbols"],
    [[...ok3, "--feed", "nasdaq"], "--feed"],
    [[...ok3, "--adjustment", "none"], "--adjustment"],
    [[...ok3, "--limit", "0"], "--limit"],
    [ok3.slice(0, -2), "--out"],
    [[...ok3, "--bogus"], "--bogus"],
  ];
  for (const [args, name] of cases) {
    const r = await run(args);
    strictEqual(r.code, 2, `${name}: ${r.err}`);
    ok(r.err.includes(name), `${name} named in: ${r.err}`);
  }
  const noKeys = await run(ok3, {});
  strictEqual(noKeys.code, 2);
  ok(noKeys.err.includes("APCA_API_KEY_ID"));
  strictEqual((await run(["--help"])).code, 0);
});

Deno.test("bars endpoints answer 401 without keys and 400 for a bad timeframe; fetchBars throws a VenueError", async () => {
  const { server, baseUrl } = serve();
  try {
    const res = await fetch(`${baseUrl}/v2/stocks/bars?symbols=AAPL&timeframe=1Min`);
    strictEqual(res.status, 401);
    deepStrictEqual(Object.keys(await res.json()).sort(), ["code", "message"]);
    const headers = { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "s" };
    const bad = await fetch(`${baseUrl}/v2/stocks/bars?symbols=AAPL&timeframe=7Min`, { headers });
    strictEqual(bad.status, 400);
    ok(String((await bad.json()).message).includes("timeframe"));
    const base = {
      baseUrl,
      secret: "s",
      assetClass: "us_equity" as const,
      symbols: ["AAPL"],
      timeframe: "1Min",
      start: "2024-01-02",
      end: "2024-01-03",
      instruments: new InstrumentTable(["AAPL"], "ALPACA"),
      clock: new SimClock(0),
    };
    await rejects(
      fetchBars({ ...base, key: "" }, () => {}),
      (e) => e instanceof VenueError && e.options.status === 401 && !e.retryable,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("sim-server keeps New York time: daily stock bars stamped at its midnight, minute bars within its 09:30–16:00 session, daylight saving included", async () => {
  const rest = createMarketDataRest({ now: () => Date.UTC(2024, 6, 10) * 1000 });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createRouter(rest.routes),
  );
  try {
    const headers = { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "s" };
    const get = async (q: string) =>
      (await (await fetch(`http://127.0.0.1:${server.addr.port}${q}`, { headers })).json()).bars;
    const winter = await get(
      "/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=2024-01-02&end=2024-01-03",
    );
    deepStrictEqual(winter.AAPL.map((b: { t: string }) => b.t), [
      "2024-01-02T05:00:00Z",
      "2024-01-03T05:00:00Z",
    ]);
    const summer = await get(
      "/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=2024-07-01&end=2024-07-01",
    );
    deepStrictEqual(summer.AAPL.map((b: { t: string }) => b.t), ["2024-07-01T04:00:00Z"]);
    const crypto = await get(
      "/v1beta3/crypto/us/bars?symbols=BTC/USD&timeframe=1Day&start=2024-01-02&end=2024-01-02",
    );
    deepStrictEqual(crypto["BTC/USD"].map((b: { t: string }) => b.t), ["2024-01-02T00:00:00Z"]);
    // minute bars within 09:30–16:00 New York: 14:30–21:00 UTC in winter, 13:30–20:00 in summer
    const sessions = [
      ["2024-01-09", "14:30", "14:35", "20:55", "21:00"],
      ["2024-07-09", "13:30", "13:35", "19:55", "20:00"],
    ];
    for (const [day, open, soon, late, close] of sessions) {
      const q = `symbols=AAPL&timeframe=1Min&start=${day}T00:00:00Z&end=${day}T23:59:00Z`;
      const bars: Array<{ t: string }> = (await get(`/v2/stocks/bars?${q}&limit=10000`)).AAPL;
      const first = bars[0]!.t, last = bars.at(-1)!.t;
      ok(first >= `${day}T${open}:00Z` && first < `${day}T${soon}:00Z`, first);
      ok(last >= `${day}T${late}:00Z` && last < `${day}T${close}:00Z`, last);
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("fetchBars waits out a 429's Retry-After on the clock and retries the same page", async () => {
  let calls = 0;
  const tokens: Array<string | null> = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    calls++;
    tokens.push(new URL(req.url).searchParams.get("page_token"));
    if (calls === 2) {
      return Response.json({ message: "slow down" }, {
        status: 429,
        headers: { "Retry-After": "2" },
      });
    }
    const bar = {
      t: "2024-01-02T14:30:00Z",
      o: 187.15,
      h: 187.5,
      l: 186.9,
      c: 187.25,
      v: 100,
      n: 3,
      vw: 187.123456,
    };
    return Response.json({ bars: { AAPL: [bar] }, next_page_token: calls < 3 ? "p2" : null });
  });
  const clock = new SimClock(0);
  try {
    const pages: number[][] = [];
    const done = fetchBars({
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
      key: "k",
      secret: "s",
      assetClass: "us_equity",
      symbols: ["AAPL"],
      timeframe: "1Min",
      start: "2024-01-02",
      end: "2024-01-03",
      instruments: new InstrumentTable(["AAPL"], "ALPACA"),
      clock,
    }, (bars) => void pages.push(bars.map((b) => b.vwap)));
    // Let the 429 arrive, then move the sim clock past Retry-After.
    while (calls < 2) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    strictEqual(calls, 2, "no retry before Retry-After has passed");
    clock.advanceTo(2_000_000);
    const result = await done;
    deepStrictEqual(result, { pages: 2, bars: 2 });
    deepStrictEqual(tokens, [null, "p2", "p2"]);
    deepStrictEqual(pages, [[1871235], [1871235]]); // vw rounded half away from zero to 4 decimals
  } finally {
    await server.shutdown();
  }
});

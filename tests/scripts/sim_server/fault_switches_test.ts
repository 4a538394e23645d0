// POST /admin/faults reaches every part of the sim server: REST, the trade_updates stream and the
// market-data streams (as main.ts wires them: one FaultSwitches shared by all).
import assert from "node:assert/strict";
import { WallClock } from "../../../core/clock/wall_clock.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { AlpacaStreamFeed } from "../../../core/venues/alpaca/stream.ts";
import { FaultSwitches } from "../../../scripts/sim_server/fault_switches.ts";
import { createMarketDataRest } from "../../../scripts/sim_server/market_data_rest.ts";
import { createMarketDataStream } from "../../../scripts/sim_server/market_data_stream.ts";
import { createRouter } from "../../../scripts/sim_server/router.ts";
import { createTradingRest } from "../../../scripts/sim_server/trading_rest.ts";
import { CollectingSink } from "../../core/venues/_collecting_sink.ts";

const KEYS = { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "s" };

async function withServer(fn: (base: string, ws: string) => Promise<void>): Promise<void> {
  const faults = new FaultSwitches();
  const stream = createMarketDataStream({ faults, sim: { rate_per_symbol: 200 } });
  const trading = createTradingRest({ faults, market: false });
  const bars = createMarketDataRest({ failAuth: () => faults.current.fail_auth });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createRouter([stream.route, ...bars.routes, ...trading.routes]),
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`, `ws://127.0.0.1:${server.addr.port}`);
  } finally {
    await stream.close();
    await trading.close();
    await server.shutdown();
  }
}

const setFaults = async (base: string, faults: Record<string, unknown>) => {
  const res = await fetch(`${base}/admin/faults`, { method: "POST", body: JSON.stringify(faults) });
  const text = await res.text();
  assert.equal(res.status, 200, text);
};

/** Opens a WebSocket, sends `auth`, resolves with the first message that is not "connected". */
function authReply(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ action: "auth", key: "k", secret: "s" }));
    ws.onmessage = (e) => {
      const text = typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data);
      if (text.includes('"connected"')) return;
      ws.close();
      resolve(text);
    };
    ws.onerror = () => reject(new Error(`socket ${url} failed`));
  });
}

const trades = (sink: CollectingSink) => sink.records.filter((r) => r[0] === "trade").length;

const waitFor = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `timed out waiting for ${what}`);
};

Deno.test("POST /admin/faults answers 400 for a body that is not JSON and 422 naming an unknown switch", async () => {
  await withServer(async (base) => {
    const post = (body: string) => fetch(`${base}/admin/faults`, { method: "POST", body });
    const bad = await post("nope");
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).code, 40010000);
    const unknown = await post(JSON.stringify({ drop_everything: true }));
    assert.equal(unknown.status, 422);
    assert.match((await unknown.json()).message, /unknown switch drop_everything/);
  });
});

Deno.test("fail_auth refuses every key on REST, bars, trade_updates and the market-data streams", async () => {
  await withServer(async (base, ws) => {
    await setFaults(base, { fail_auth: true });
    for (const path of ["/v2/account", "/v2/stocks/bars?symbols=AAPL&timeframe=1Min"]) {
      const res = await fetch(`${base}${path}`, { headers: KEYS });
      assert.equal(res.status, 401, path);
      await res.body?.cancel();
    }
    assert.match(await authReply(`${ws}/v1beta3/crypto/us`), /"code":402/);
    assert.match(await authReply(`${ws}/stream`), /unauthorized/);
    await setFaults(base, {});
    const ok = await fetch(`${base}/v2/account`, { headers: KEYS });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.match(await authReply(`${ws}/v1beta3/crypto/us`), /authenticated/);
  });
});

Deno.test("malformed_frames and drop_streams reach the market-data streams; the adapter counts, reconnects and carries on", async () => {
  await withServer(async (base, ws) => {
    const sink = new CollectingSink();
    const feed = new AlpacaStreamFeed({
      instruments: new InstrumentTable(["BTC/USD"], "ALPACA"),
      clock: new WallClock(),
      sink,
      maxFrameBytes: 1 << 20,
      log: () => {},
    }, {
      url: `${ws}/v1beta3/crypto/us`,
      key: "k",
      secret: "s",
      encoding: "json",
      reconnect: { baseMs: 20, maxMs: 50 },
    });
    try {
      feed.subscribe(["BTC/USD"]);
      await feed.start();
      await waitFor(() => trades(sink) > 0, "trades");
      await setFaults(base, { malformed_frames: true });
      await waitFor(
        () => (sink.errors.get("malformed_json") ?? 0) >= 3,
        "malformed frames counted",
      );
      const before = trades(sink);
      await waitFor(() => trades(sink) > before, "trades after malformed frames");
      await setFaults(base, { drop_streams: true });
      await waitFor(() => feed.state !== "ready", "the drop");
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(feed.counters.authentications, 1, "no session while streams are dropped");
      await setFaults(base, {});
      await waitFor(() => feed.counters.authentications === 2, "re-authentication");
    } finally {
      await feed.stop();
    }
  });
});

// The sim server's Alpaca market-data protocol, checked with a bare WebSocket client.
import assert from "node:assert/strict";
import { decodeMsgpackFrame } from "../../../core/venues/alpaca/msgpack_frames.ts";
import {
  createMarketDataStream,
  type MarketDataStreamOptions,
} from "../../../scripts/sim_server/market_data_stream.ts";
import { createRouter } from "../../../scripts/sim_server/router.ts";

async function withServer(
  options: MarketDataStreamOptions,
  fn: (url: (path: string) => string) => Promise<void>,
): Promise<void> {
  const stream = createMarketDataStream(options);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createRouter([stream.route]),
  );
  try {
    await fn((path) => `ws://127.0.0.1:${server.addr.port}${path}`);
  } finally {
    await stream.close();
    await server.shutdown();
  }
}

/** A bare client that queues decoded frames. */
function rawClient(url: string, init?: { headers: Record<string, string> }) {
  const ws = init === undefined ? new WebSocket(url) : new WebSocket(url, init);
  ws.binaryType = "arraybuffer";
  const frames: unknown[] = [];
  const waiters: Array<() => void> = [];
  ws.onmessage = (ev) => {
    frames.push(
      typeof ev.data === "string"
        ? JSON.parse(ev.data)
        : decodeMsgpackFrame(new Uint8Array(ev.data)),
    );
    waiters.shift()?.();
  };
  const closed = new Promise<void>((r) => ws.addEventListener("close", () => r()));
  return {
    ws,
    closed,
    async next(): Promise<unknown> {
      if (frames.length === 0) await new Promise<void>((r) => waiters.push(r));
      return frames.shift();
    },
    async close() {
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      await closed;
    },
  };
}

const err = (code: number, msg: string) => [{ T: "error", code, msg }];

Deno.test("market-data stream answers Alpaca's documented errors 401, 400, 403 and 410", async () => {
  await withServer({}, async (url) => {
    const c = rawClient(url("/v2/iex"));
    assert.deepEqual(await c.next(), [{ T: "success", msg: "connected" }]);
    c.ws.send(JSON.stringify({ action: "subscribe", trades: ["AAPL"] }));
    assert.deepEqual(await c.next(), err(401, "not authenticated"));
    c.ws.send("{oops");
    assert.deepEqual(await c.next(), err(400, "invalid syntax"));
    c.ws.send(JSON.stringify({ action: "auth", key: "k", secret: "s" }));
    assert.deepEqual(await c.next(), [{ T: "success", msg: "authenticated" }]);
    c.ws.send(JSON.stringify({ action: "auth", key: "k", secret: "s" }));
    assert.deepEqual(await c.next(), err(403, "already authenticated"));
    c.ws.send(JSON.stringify({ action: "subscribe", orderbooks: ["AAPL"] }));
    assert.deepEqual(await c.next(), err(410, "invalid subscribe action for this feed"));
    c.ws.send(JSON.stringify({ action: "subscribe", trades: ["AAPL"], quotes: ["MSFT"] }));
    const sub = (await c.next()) as Array<Record<string, unknown>>;
    assert.equal(sub[0]?.T, "subscription");
    assert.deepEqual([sub[0]?.trades, sub[0]?.quotes, sub[0]?.bars], [["AAPL"], ["MSFT"], []]);
    await c.close();
  });
});

Deno.test("market-data stream sends 404 auth timeout and closes", async () => {
  await withServer({ authTimeoutSeconds: 0.05 }, async (url) => {
    const c = rawClient(url("/v2/iex"));
    await c.next();
    assert.deepEqual(await c.next(), err(404, "auth timeout"));
    await c.closed;
  });
});

Deno.test("market-data stream rejects a wrong configured key with 402", async () => {
  await withServer({ credentials: { key: "k", secret: "s" } }, async (url) => {
    const c = rawClient(url("/v2/iex"));
    await c.next();
    c.ws.send(JSON.stringify({ action: "auth", key: "k", secret: "nope" }));
    assert.deepEqual(await c.next(), err(402, "auth failed"));
    await c.closed;
  });
});

Deno.test("market-data stream speaks MessagePack via the Content-Type header or ?encoding=msgpack", async () => {
  await withServer({}, async (url) => {
    const byHeader = rawClient(url("/v2/test"), {
      headers: { "Content-Type": "application/msgpack" },
    });
    const byQuery = rawClient(url("/v2/test?encoding=msgpack"));
    for (const [c, key] of [[byHeader, "a"], [byQuery, "b"]] as const) {
      assert.deepEqual(await c.next(), [{ T: "success", msg: "connected" }]);
      c.ws.send(JSON.stringify({ action: "auth", key, secret: "s" }));
      assert.deepEqual(await c.next(), [{ T: "success", msg: "authenticated" }]);
      // FAKEPACA is the test stream's symbol.
      c.ws.send(
        JSON.stringify({ action: "subscribe", trades: ["FAKEPACA"], quotes: ["FAKEPACA"] }),
      );
      const sub = (await c.next()) as Array<Record<string, unknown>>;
      assert.deepEqual(sub[0]?.trades, ["FAKEPACA"]);
      const data = (await c.next()) as Array<Record<string, unknown>>;
      assert.equal(data[0]?.S, "FAKEPACA");
      // The timestamp arrived as a msgpack timestamp and was decoded to RFC 3339.
      assert.match(String(data[0]?.t), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    }
    await byHeader.close();
    await byQuery.close();
  });
});

Deno.test("market-data stream drops FAKEPACA outside the test stream", async () => {
  await withServer({}, async (url) => {
    const c = rawClient(url("/v2/iex"));
    await c.next();
    c.ws.send(JSON.stringify({ action: "auth", key: "k", secret: "s" }));
    await c.next();
    c.ws.send(JSON.stringify({ action: "subscribe", trades: ["FAKEPACA", "AAPL"] }));
    const sub = (await c.next()) as Array<Record<string, unknown>>;
    assert.deepEqual(sub[0]?.trades, ["AAPL"]);
    await c.close();
  });
});

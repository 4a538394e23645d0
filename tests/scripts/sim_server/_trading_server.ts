// A sim-server trading API over loopback for tests, and a trade_updates client that can wait for
// a matching message. Same setup as trading_rest_test.ts: hand-set AAPL book, no latency.
import assert from "node:assert/strict";
import { createRouter } from "../../../scripts/sim_server/router.ts";
import {
  createTradingRest,
  type TradingRest,
  type TradingRestOptions,
} from "../../../scripts/sim_server/trading_rest.ts";

/** A JSON object. */
export type Json = Record<string, unknown>;

/** AAPL in ticks (4 decimals): 100.00 = 1_000_000. */
export const px = (dollars: number): number => Math.round(dollars * 10_000);

/** The running server. */
export interface ServerCtx {
  readonly trading: TradingRest;
  readonly port: number;
  call(method: string, path: string, body?: unknown): Promise<Response>;
  /** Calls and parses the JSON answer, asserting its status. */
  json(method: string, path: string, body?: unknown, status?: number): Promise<Json>;
  /** A print of AAPL at `dollars`. */
  print(dollars: number, size?: number): void;
  /** Sets the AAPL book to one bid and one ask level of 100 lots. */
  quote(bid: number, ask: number): void;
}

/** A server with AAPL bid 100.00 x 100 / ask 100.01 x 50, no market generator, no latency. */
export async function withServer(
  fn: (ctx: ServerCtx) => Promise<void>,
  options: TradingRestOptions = {},
): Promise<void> {
  const trading = createTradingRest({ market: false, sim: { latency_ms: 0 }, ...options });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createRouter(trading.routes),
  );
  await trading.broker.venue();
  const books = trading.broker.books;
  books.setBook("AAPL", [[1_000_000, 100]], [[1_000_100, 50]]);
  const port = server.addr.port;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: {
        "APCA-API-KEY-ID": "k",
        "APCA-API-SECRET-KEY": "s",
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await call(method, path, body);
    const parsed = await res.json();
    assert.equal(res.status, status, JSON.stringify(parsed));
    return parsed as Json;
  };
  try {
    await fn({
      trading,
      port,
      call,
      json,
      print: (dollars, size = 10) => books.trade("AAPL", px(dollars), size),
      quote: (bid, ask) => books.setBook("AAPL", [[px(bid), 100]], [[px(ask), 100]]),
    });
  } finally {
    await trading.close();
    await server.shutdown();
  }
}

/** A trade_updates listener that keeps every message. */
export interface UpdatesClient {
  /** Resolves with the data of the first message (seen or coming) `pred` accepts. */
  next(pred: (data: Json) => boolean): Promise<Json>;
  /** Every data received so far. */
  readonly seen: readonly Json[];
  close(): Promise<void>;
}

/** Opens /stream, authenticates and listens to trade_updates. */
export async function listenUpdates(port: number): Promise<UpdatesClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/stream`);
  const seen: Json[] = [];
  let waiters: Array<() => void> = [];
  let listening!: () => void;
  const ready = new Promise<void>((r) => listening = r);
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data as string) as Json;
    if (msg.stream === "listening") listening();
    if (msg.stream === "trade_updates") seen.push(msg.data as Json);
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const closed = new Promise<void>((r) => ws.addEventListener("close", () => r()));
  await new Promise<void>((r) => ws.addEventListener("open", () => r()));
  ws.send(JSON.stringify({ action: "auth", key: "k", secret: "s" }));
  ws.send(JSON.stringify({ action: "listen", data: { streams: ["trade_updates"] } }));
  await ready;
  return {
    seen,
    async next(pred) {
      for (;;) {
        const hit = seen.find(pred);
        if (hit !== undefined) return hit;
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    async close() {
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      await closed;
    },
  };
}

/** Matches the update `event` of the order with client order id `cid`. */
export const eventOf = (event: string, cid: string): (d: Json) => boolean => (d) =>
  d.event === event && (d.order as Json).client_order_id === cid;

/** The events, in order, that the stream reported for client order id `cid`. */
export const eventsOf = (updates: UpdatesClient, cid: string): string[] =>
  updates.seen.filter((d) => (d.order as Json).client_order_id === cid).map((d) =>
    d.event as string
  );

/** A POST /v2/orders body for AAPL. */
export const body = (extra: Json): Json => ({
  symbol: "AAPL",
  qty: "10",
  side: "buy",
  type: "market",
  time_in_force: "day",
  ...extra,
});

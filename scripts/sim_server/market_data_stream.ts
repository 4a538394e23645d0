/**
 * An Alpaca-compatible market-data WebSocket server in front of the simulator, for /v2/iex,
 * /v2/sip, /v2/test and /v1beta3/crypto/us. It speaks Alpaca's documented protocol (welcome, auth,
 * subscribe/unsubscribe, error codes 400–410) and streams SimMarket frames for the subscribed
 * symbols, as JSON or, when asked, MessagePack. A script, not core: real timers are fine here.
 */
import { WallClock } from "../../core/clock/wall_clock.ts";
import { InstrumentTable, makeInstrument } from "../../core/domain/instrument.ts";
import { SimMarket } from "../../core/venues/sim/sim_market.ts";
import { encodeMsgpackFrame } from "../../core/venues/alpaca/msgpack_frames.ts";
import { decodeMsgpackFrame } from "../../core/venues/alpaca/msgpack_frames.ts";
import { MSGPACK_CONTENT_TYPE, STREAM_ERRORS } from "../../core/venues/alpaca/stream_protocol.ts";
import { type SimConfig, simConfigSchema } from "../../schemas/config.ts";
import type { FaultSwitches } from "./fault_switches.ts";
import type { Route } from "./router.ts";

/** Paths served, and whether each is a crypto feed (which adds order books). */
const FEEDS: Readonly<Record<string, { crypto: boolean; test: boolean }>> = {
  "/v2/iex": { crypto: false, test: false },
  "/v2/sip": { crypto: false, test: false },
  "/v2/test": { crypto: false, test: true },
  "/v1beta3/crypto/us": { crypto: true, test: false },
};
// The sim's message types and the channel that carries each.
const TYPE_CHANNELS: Readonly<Record<string, string>> = {
  t: "trades",
  q: "quotes",
  o: "orderbooks",
};
const CHANNELS = ["trades", "quotes", "bars", "updatedBars", "dailyBars", "statuses", "lulds"];
const FAKE_SYMBOL = "FAKEPACA"; // the test stream's always-on symbol

/** Server options. */
export interface MarketDataStreamOptions {
  /** Only this pair authenticates; without it any non-empty key and secret do. */
  readonly credentials?: { readonly key: string; readonly secret: string };
  /** Seconds a client may take to authenticate before 404 (default 10). */
  readonly authTimeoutSeconds?: number;
  /** Most symbols one connection may subscribe before 405 (default 1000). */
  readonly maxSymbols?: number;
  /** Sim settings for the generated market; defaults from the config schema. */
  readonly sim?: Partial<SimConfig>;
  /** Fixed start of every connection's market, epoch µs; default: when it subscribes. */
  readonly startMicros?: number;
  /** Fault switches (fail_auth, malformed_frames, drop_streams) shared with the rest of the server. */
  readonly faults?: FaultSwitches;
}

// What the malformed_frames fault sends: a frame cut off mid-message.
const MALFORMED_FRAME = '[{"T":"t","S":"AAPL","p":18';

interface Conn {
  readonly ws: WebSocket;
  readonly msgpack: boolean;
  readonly crypto: boolean;
  readonly test: boolean;
  /** The endpoint path: Alpaca's connection limit is per endpoint and key. */
  readonly endpoint: string;
  key: string | undefined;
  readonly subs: Map<string, Set<string>>;
  market: SimMarket | undefined;
  authTimer: ReturnType<typeof setTimeout> | undefined;
}

/** The running stream server: its route plus hooks for tests and the CLI. */
export interface MarketDataStream {
  /** The route to add to the router. */
  readonly route: Route;
  /** Authenticated connections now open. */
  connections(): number;
  /** Sends `messages` to every authenticated connection in its own framing (tests, scripted events). */
  broadcast(messages: readonly unknown[]): void;
  /** Sends raw bytes or text as one frame to every authenticated connection (tests: malformed frames). */
  sendRaw(frame: string | Uint8Array): void;
  /** Closes every connection, as a network drop would (clients should reconnect). */
  dropAll(): void;
  /** Closes everything and stops the frame timer. */
  close(): Promise<void>;
}

/** Creates the market-data stream server. */
export function createMarketDataStream(options: MarketDataStreamOptions = {}): MarketDataStream {
  const clock = new WallClock();
  const sim = simConfigSchema.parse(options.sim ?? {});
  const conns = new Set<Conn>();
  const byKey = new Map<string, Conn>();
  const authTimeoutMs = (options.authTimeoutSeconds ?? 10) * 1000;
  const maxSymbols = options.maxSymbols ?? 1000;

  const send = (c: Conn, messages: readonly unknown[]) => {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    c.ws.send(c.msgpack ? encodeMsgpackFrame(messages) : JSON.stringify(messages));
  };
  const error = (c: Conn, code: number) =>
    send(c, [{ T: "error", code, msg: STREAM_ERRORS[code]?.msg ?? "internal error" }]);
  const subscription = (c: Conn) => {
    const msg: Record<string, unknown> = { T: "subscription" };
    for (const ch of [...CHANNELS, ...(c.crypto ? ["orderbooks"] : [])]) {
      msg[ch] = [...(c.subs.get(ch) ?? [])];
    }
    send(c, [msg]);
  };

  const authenticate = (c: Conn, key: unknown, secret: unknown) => {
    if (c.key !== undefined) return error(c, 403);
    const ok = options.faults?.current.fail_auth !== true &&
      typeof key === "string" && typeof secret === "string" && key !== "" &&
      secret !== "" &&
      (options.credentials === undefined ||
        (key === options.credentials.key && secret === options.credentials.secret));
    if (!ok) {
      error(c, 402);
      return c.ws.close();
    }
    // One connection per endpoint and key (stocks and crypto streams each allow their own).
    if (byKey.has(`${c.endpoint} ${key}`)) {
      error(c, 406);
      return c.ws.close();
    }
    clearTimeout(c.authTimer);
    c.key = key;
    byKey.set(`${c.endpoint} ${key}`, c);
    send(c, [{ T: "success", msg: "authenticated" }]);
  };

  const changeSubscription = (c: Conn, action: string, msg: Record<string, unknown>) => {
    if (c.key === undefined) return error(c, 401);
    if (!c.crypto && msg.orderbooks !== undefined) return error(c, 410);
    const next = new Map([...c.subs].map(([k, v]) => [k, new Set(v)]));
    for (const ch of [...CHANNELS, "orderbooks"]) {
      const list = msg[ch];
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) return error(c, 400);
      const set = next.get(ch) ?? new Set<string>();
      for (const s of list as string[]) {
        if (action === "subscribe") {
          if (validSymbol(s, c.test)) set.add(s);
        } else set.delete(s);
      }
      next.set(ch, set);
    }
    const symbols = dataSymbols(next);
    if (symbols.length > maxSymbols) return error(c, 405);
    c.subs.clear();
    for (const [k, v] of next) c.subs.set(k, v);
    // The sim's instrument set is fixed at construction, so a changed set means a new market.
    c.market = symbols.length === 0 ? undefined : new SimMarket(
      new InstrumentTable(symbols, "ALPACA"),
      sim,
      options.startMicros ?? clock.nowMicros(),
    );
    subscription(c);
  };

  const onMessage = (c: Conn, data: unknown) => {
    let msg: unknown;
    try {
      msg = typeof data === "string"
        ? JSON.parse(data)
        : decodeMsgpackFrame(new Uint8Array(data as ArrayBuffer));
    } catch {
      return error(c, 400);
    }
    if (typeof msg !== "object" || msg === null || Array.isArray(msg)) return error(c, 400);
    const m = msg as Record<string, unknown>;
    if (m.action === "auth") authenticate(c, m.key, m.secret);
    else if (m.action === "subscribe" || m.action === "unsubscribe") {
      changeSubscription(c, m.action, m);
    } else error(c, 400);
  };

  const pump = () => {
    const now = clock.nowMicros();
    if (options.faults?.current.malformed_frames === true) {
      for (const c of conns) {
        if (c.key !== undefined && c.ws.readyState === WebSocket.OPEN) c.ws.send(MALFORMED_FRAME);
      }
    }
    for (const c of conns) {
      if (c.market === undefined) continue;
      for (;;) {
        const frame = c.market.frameUntil(now, 200);
        if (frame === "") break;
        const out = (JSON.parse(frame) as Array<{ T: string; S: string }>).filter((m) =>
          c.subs.get(TYPE_CHANNELS[m.T] ?? "")?.has(m.S) === true
        );
        if (out.length > 0) send(c, out);
      }
    }
  };
  const timer = setInterval(pump, sim.frame_interval_ms);

  const route: Route = (req, url) => {
    const feed = FEEDS[url.pathname];
    if (feed === undefined) return undefined;
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    // Alpaca's switch is the Content-Type header; `?encoding=msgpack` is our alternative for
    // clients that cannot set handshake headers (browsers).
    const msgpack = req.headers.get("content-type")?.startsWith(MSGPACK_CONTENT_TYPE) === true ||
      url.searchParams.get("encoding") === "msgpack";
    // Headers are read now: the request is gone once the socket opens.
    const headerKey = req.headers.get("apca-api-key-id");
    const headerSecret = req.headers.get("apca-api-secret-key");
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.binaryType = "arraybuffer";
    const c: Conn = {
      ws: socket,
      msgpack,
      crypto: feed.crypto,
      test: feed.test,
      endpoint: url.pathname,
      key: undefined,
      subs: new Map(),
      market: undefined,
      authTimer: undefined,
    };
    conns.add(c);
    socket.onopen = () => {
      if (options.faults?.current.drop_streams === true) return socket.close();
      send(c, [{ T: "success", msg: "connected" }]);
      // Alpaca also accepts the REST API's key headers on the handshake.
      if (headerKey !== null) authenticate(c, headerKey, headerSecret);
      else {
        c.authTimer = setTimeout(() => {
          if (c.key === undefined) {
            error(c, 404);
            socket.close();
          }
        }, authTimeoutMs);
      }
    };
    socket.onmessage = (ev) => onMessage(c, ev.data);
    socket.onclose = () => {
      clearTimeout(c.authTimer);
      conns.delete(c);
      const slot = `${c.endpoint} ${c.key}`;
      if (c.key !== undefined && byKey.get(slot) === c) byKey.delete(slot);
    };
    return response;
  };

  const closeAll = () => {
    for (const c of conns) if (c.ws.readyState <= WebSocket.OPEN) c.ws.close();
  };
  options.faults?.onChange((f) => {
    if (f.drop_streams) closeAll();
  });
  return {
    route,
    connections: () => byKey.size,
    broadcast: (messages) => {
      for (const c of conns) if (c.key !== undefined) send(c, messages);
    },
    sendRaw: (frame) => {
      for (const c of conns) if (c.key !== undefined && c.ws.readyState === 1) c.ws.send(frame);
    },
    dropAll: closeAll,
    close: async () => {
      clearInterval(timer);
      const pending = [...conns].map((c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          c.ws.addEventListener("close", () => resolve());
        })
      );
      closeAll();
      await Promise.all(pending);
    },
  };
}

/** Whether `s` is a symbol the sim can make; FAKEPACA only on the test stream. */
function validSymbol(s: string, test: boolean): boolean {
  if (s === FAKE_SYMBOL) return test;
  try {
    makeInstrument(s, 0, { venue: "ALPACA" });
    return true;
  } catch {
    return false;
  }
}

/** Symbols any data channel the sim can fill is subscribed to, in a stable order. */
function dataSymbols(subs: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const out = new Set<string>();
  for (const ch of Object.values(TYPE_CHANNELS)) for (const s of subs.get(ch) ?? []) out.add(s);
  return [...out].sort();
}

/**
 * Alpaca's trading WebSocket at /stream: `auth` with key and secret, `listen` to trade_updates,
 * then one `{"stream":"trade_updates","data":{...}}` message per order report of the sim venue.
 * Frames are JSON text (Alpaca's paper endpoint sends the same JSON in binary frames; clients
 * decode either).
 */
import type { Route } from "./router.ts";

/** Stream options. */
export interface TradeUpdatesStreamOptions {
  /** Only this pair authenticates; without it any non-empty key and secret do. */
  readonly credentials?: { readonly key: string; readonly secret: string };
  /** While true every key is refused (the fail_auth fault). */
  readonly failAuth?: () => boolean;
}

/** The data of one trade_updates message (event, order, timestamp, and on fills price/qty/...). */
export type TradeUpdateData = Record<string, unknown>;

interface Conn {
  readonly ws: WebSocket;
  authorized: boolean;
  listening: boolean;
}

/** The running /stream endpoint. */
export interface TradeUpdatesStream {
  /** The route to add to the router. */
  readonly route: Route;
  /** Sends one trade update to every listening connection. */
  publish(data: TradeUpdateData): void;
  /** While true, open connections are closed and new ones are closed once open (a fault switch). */
  setDropping(drop: boolean): void;
  /** Connections listening to trade_updates now. */
  listeners(): number;
  /** Closes every connection and waits for them to finish closing. */
  close(): Promise<void>;
}

const AUTH_FAILED = {
  stream: "authorization",
  data: {
    action: "authenticate",
    message: "access key verification failed",
    status: "unauthorized",
  },
};

/** Creates the trade_updates stream endpoint. */
export function createTradeUpdatesStream(
  options: TradeUpdatesStreamOptions = {},
): TradeUpdatesStream {
  const conns = new Set<Conn>();
  let dropping = false;

  const send = (c: Conn, msg: unknown) => {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify(msg));
  };
  const validKeys = (key: unknown, secret: unknown) =>
    options.failAuth?.() !== true && typeof key === "string" && typeof secret === "string" &&
    key !== "" && secret !== "" &&
    (options.credentials === undefined ||
      (key === options.credentials.key && secret === options.credentials.secret));

  const onMessage = (c: Conn, raw: unknown) => {
    let msg: Record<string, unknown>;
    try {
      const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw as ArrayBuffer);
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw 0;
      msg = parsed as Record<string, unknown>;
    } catch {
      // Not documented by Alpaca; answer in the listening stream so a client can see why.
      return send(c, { stream: "listening", data: { error: "invalid syntax" } });
    }
    const data = (msg.data ?? {}) as Record<string, unknown>;
    if (msg.action === "auth" || msg.action === "authenticate") {
      // Current form {"action":"auth","key","secret"}; the older one nests key_id/secret_key in data.
      const key = msg.key ?? data.key_id, secret = msg.secret ?? data.secret_key;
      if (!validKeys(key, secret)) {
        send(c, AUTH_FAILED);
        return c.ws.close();
      }
      c.authorized = true;
      return send(c, {
        stream: "authorization",
        data: { status: "authorized", action: "authenticate" },
      });
    }
    if (msg.action === "listen") {
      if (!c.authorized) {
        return send(c, {
          stream: "authorization",
          data: { action: "listen", status: "unauthorized" },
        });
      }
      const asked = Array.isArray(data.streams) ? data.streams : [];
      // Streams not available are left out of the acknowledgement; an empty list stops listening.
      const streams = asked.filter((s) => s === "trade_updates");
      c.listening = streams.length > 0;
      return send(c, { stream: "listening", data: { streams } });
    }
    send(c, { stream: "listening", data: { error: "invalid action" } });
  };

  const route: Route = (req, url) => {
    if (url.pathname !== "/stream") return undefined;
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.binaryType = "arraybuffer";
    const c: Conn = { ws: socket, authorized: false, listening: false };
    conns.add(c);
    socket.onopen = () => {
      if (dropping) socket.close();
    };
    socket.onmessage = (ev) => onMessage(c, ev.data);
    socket.onclose = () => conns.delete(c);
    return response;
  };

  const closeAll = () => {
    for (const c of conns) if (c.ws.readyState <= WebSocket.OPEN) c.ws.close();
  };
  return {
    route,
    publish: (data) => {
      for (const c of conns) if (c.listening) send(c, { stream: "trade_updates", data });
    },
    setDropping: (drop) => {
      dropping = drop;
      if (drop) closeAll();
    },
    listeners: () => [...conns].filter((c) => c.listening).length,
    close: async () => {
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

/**
 * Alpaca's market-data stream protocol as data: the documented error codes and what a client does
 * about each, the client messages, and feed URL facts. Shared by the client (AlpacaStreamFeed) and
 * the simulator's server (scripts/sim_server), so both read the protocol from one place.
 */

/** What a client does after an error message: the sorting into retryable and not (STYLE §14). */
export type StreamErrorPolicy =
  /** The session is over and retrying cannot help (bad credentials, feed not in the plan). */
  | "fatal"
  /** Drop this connection and open a new one after a backoff. */
  | "reconnect"
  /** Log it; the connection stays usable (a rejected request, a partial subscription). */
  | "continue"
  /** Harmless: nothing to do. */
  | "ignore";

/** A documented stream error: code, Alpaca's message text and the client's policy. */
export interface StreamErrorInfo {
  readonly code: number;
  readonly msg: string;
  readonly policy: StreamErrorPolicy;
}

/** The documented error codes, keyed by code. */
export const STREAM_ERRORS: Readonly<Record<number, StreamErrorInfo>> = {
  400: { code: 400, msg: "invalid syntax", policy: "continue" },
  // We subscribed before authenticating: our sequencing broke, a fresh session re-authenticates.
  401: { code: 401, msg: "not authenticated", policy: "reconnect" },
  402: { code: 402, msg: "auth failed", policy: "fatal" },
  403: { code: 403, msg: "already authenticated", policy: "ignore" },
  // The server closes; the auth was only late (a slow network), so try again.
  404: { code: 404, msg: "auth timeout", policy: "reconnect" },
  // The server keeps the connection; symbols past the limit are simply not subscribed.
  405: { code: 405, msg: "symbol limit exceeded", policy: "continue" },
  // A previous unclean session may still be counted by the server until it times out: back off.
  406: { code: 406, msg: "connection limit exceeded", policy: "reconnect" },
  // We fell behind and the server drops us; a new session starts from fresh data.
  407: { code: 407, msg: "slow client", policy: "reconnect" },
  409: { code: 409, msg: "insufficient subscription", policy: "fatal" },
  410: { code: 410, msg: "invalid subscribe action for this feed", policy: "fatal" },
  // Transient on Alpaca's side; if the server also closes, the close triggers the reconnect.
  500: { code: 500, msg: "internal error", policy: "continue" },
};

/** The policy for `code`; unknown codes are treated like 500. */
export function streamErrorPolicy(code: number): StreamErrorPolicy {
  return STREAM_ERRORS[code]?.policy ?? "continue";
}

/** The channels deno_rt subscribes per symbol; crypto feeds add `orderbooks`. */
export type StreamChannel = "trades" | "quotes" | "bars" | "orderbooks";

/** Every channel name a subscribe action may carry on some feed. */
export const ALL_CHANNELS = [
  "trades",
  "quotes",
  "bars",
  "updatedBars",
  "dailyBars",
  "statuses",
  "lulds",
  "orderbooks",
] as const;

/** Whether a stream URL is a crypto feed (`/v1beta3/crypto/us`), which also has order books. */
export function isCryptoFeedUrl(url: string): boolean {
  return /\/crypto\//.test(new URL(url).pathname);
}

/** The channels deno_rt subscribes on the feed at `url`. */
export function channelsFor(url: string): readonly StreamChannel[] {
  return isCryptoFeedUrl(url)
    ? ["trades", "quotes", "bars", "orderbooks"]
    : ["trades", "quotes", "bars"];
}

/** The JSON of an `auth` action. Never log its result: it holds the secret. */
export function authMessage(key: string, secret: string): string {
  return JSON.stringify({ action: "auth", key, secret });
}

/** The JSON of a `subscribe` or `unsubscribe` action for `symbols` on `channels`. */
export function subscriptionMessage(
  action: "subscribe" | "unsubscribe",
  symbols: readonly string[],
  channels: readonly StreamChannel[],
): string {
  const msg: Record<string, unknown> = { action };
  for (const c of channels) msg[c] = symbols;
  return JSON.stringify(msg);
}

/** Media type that asks for MessagePack frames on the WebSocket handshake (Alpaca's header). */
export const MSGPACK_CONTENT_TYPE = "application/msgpack";

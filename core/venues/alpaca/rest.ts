/**
 * A small fetch-based client of Alpaca's Trading REST API: base URL, key headers, one timeout per
 * request on the injected Clock, and every failure turned into a VenueError. It never retries:
 * the OrderRouter owns retries, and a hidden retry here could send an order twice. The key and
 * secret go only into the two request headers, never into an error message or a log line.
 */
import type { Clock } from "../../clock/clock.ts";
import { kindForStatus, VenueError } from "../../execution/venue_error.ts";

/** Where and as whom to call the API. */
export interface AlpacaRestSettings {
  /** e.g. `https://paper-api.alpaca.markets` (no trailing slash needed). */
  readonly baseUrl: string;
  readonly key: string;
  readonly secret: string;
  /** Longest a request may take, body included, in ms of clock time. */
  readonly timeoutMs: number;
}

/** HTTP methods the adapter uses. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

// Alpaca answers a reused client_order_id with 422 and this message; the router needs it as its
// own kind so it looks the order up instead of reporting a rejection.
const DUPLICATE_ID_RE = /client_order_id must be unique/i;

/**
 * Calls Alpaca's REST API and classifies failures.
 * @example
 * ```ts
 * import { WallClock } from "../../clock/wall_clock.ts";
 * import { AlpacaRest } from "./rest.ts";
 * const rest = new AlpacaRest(new WallClock(), {
 *   baseUrl: "https://paper-api.alpaca.markets",
 *   key: "KEY",
 *   secret: "SECRET",
 *   timeoutMs: 5000,
 * });
 * void rest;
 * ```
 */
export class AlpacaRest {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  /** Binds the clock that times requests out and the settings. */
  constructor(readonly clock: Clock, readonly settings: AlpacaRestSettings) {
    if (!(settings.timeoutMs > 0)) {
      throw new RangeError(`Alpaca REST 'timeoutMs' must be > 0, got ${settings.timeoutMs}`);
    }
    this.#base = settings.baseUrl.replace(/\/+$/, "");
    this.#headers = {
      "APCA-API-KEY-ID": settings.key,
      "APCA-API-SECRET-KEY": settings.secret,
      "content-type": "application/json",
    };
  }

  /**
   * Sends one request; resolves with the parsed JSON body (undefined for an empty body such as a
   * 204), rejects with a VenueError.
   */
  async request(method: HttpMethod, path: string, body?: unknown): Promise<unknown> {
    const what = `Alpaca ${method} ${path}`;
    const abort = new AbortController();
    let timedOut = false;
    const timer = this.clock.setTimer(this.settings.timeoutMs, () => {
      timedOut = true;
      abort.abort();
    });
    try {
      const res = await fetch(this.#base + path, {
        method,
        headers: this.#headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: abort.signal,
      });
      const text = await res.text();
      if (res.ok) return text === "" ? undefined : JSON.parse(text);
      throw this.#errorFor(what, res.status, text, res.headers.get("retry-after"));
    } catch (e) {
      if (e instanceof VenueError) throw e;
      // Once fetch has been called the request may have reached Alpaca, so a mutating request that
      // timed out or lost its connection may have acted: the router must look it up first.
      const mutating = method !== "GET";
      if (timedOut) {
        throw new VenueError("timeout", `${what} timed out after ${this.settings.timeoutMs} ms`, {
          maybeReceived: true,
        });
      }
      if (e instanceof SyntaxError) {
        throw new VenueError("server_error", `${what}: response is not JSON`, {
          maybeReceived: mutating,
        });
      }
      throw new VenueError("network", `${what} failed: ${(e as Error).message}`, {
        maybeReceived: mutating,
      });
    } finally {
      this.clock.clearTimer(timer);
    }
  }

  /** Classifies an error response; the message carries Alpaca's text, never our credentials. */
  #errorFor(what: string, status: number, text: string, retryAfter: string | null): VenueError {
    let message = text.slice(0, 200);
    let code: unknown;
    try {
      const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
      if (typeof parsed.message === "string") message = parsed.message;
      code = parsed.code;
    } catch {
      // A proxy's HTML error page: keep its first characters as the message.
    }
    const kind = status === 422 && DUPLICATE_ID_RE.test(message)
      ? "duplicate_client_order_id"
      : kindForStatus(status);
    const codeText = code === undefined ? "" : ` (code ${String(code)})`;
    return new VenueError(kind, `${what}: ${status}${codeText} ${message}`, {
      status,
      retryAfterMs: status === 429 ? this.#retryAfterMs(retryAfter) : undefined,
      // A 429 or 4xx is answered before the order is placed; a 5xx may come after (default).
      maybeReceived: status >= 500 ? undefined : false,
    });
  }

  /** Retry-After as delay-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
  #retryAfterMs(header: string | null): number | undefined {
    if (header === null) return undefined;
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - Math.floor(this.clock.nowMicros() / 1000));
  }
}

/**
 * Alpaca's market-data WebSocket stream as a FeedSource: connect, authenticate, subscribe, decode
 * frames into the sink, and on close or error reconnect with exponential backoff and jitter,
 * re-authenticating and re-subscribing every remembered symbol. Error codes are handled as Alpaca
 * documents them (see stream_protocol.ts). The key and secret go only into the auth message.
 */
import type { TimerId } from "../../clock/clock.ts";
import { SeededRng } from "../../domain/seeded_rng.ts";
import { backoffDelayMs } from "../../execution/backoff.ts";
import type { FeedContext, FeedSource } from "../venue.ts";
import { type AlpacaControl, AlpacaFrameDecoder } from "./decode.ts";
import { decodeMsgpackFrame } from "./msgpack_frames.ts";
import { formatRfc3339Micros } from "../../domain/timestamp.ts";
import { fetchBars } from "./market_data_rest.ts";
import {
  authMessage,
  channelsFor,
  isCryptoFeedUrl,
  MSGPACK_CONTENT_TYPE,
  type StreamChannel,
  streamErrorPolicy,
  subscriptionMessage,
} from "./stream_protocol.ts";

/** Connection settings for an Alpaca market-data stream. */
export interface AlpacaStreamSettings {
  /** e.g. `wss://stream.data.alpaca.markets/v2/iex` or `/v1beta3/crypto/us`. */
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  readonly encoding: "json" | "msgpack";
  /** Reconnect delays: baseMs·2^attempt ±20% jitter, capped at maxMs. */
  readonly reconnect: { readonly baseMs: number; readonly maxMs: number };
  /** Seed of the jitter RNG (reproducible schedules in tests); default 1. */
  readonly seed?: number;
  /**
   * Market-data REST base (e.g. https://data.alpaca.markets): after a reconnect, the minute bars
   * that closed while the stream was down are fetched from it so bar series have no holes.
   * Without it there is no backfill.
   */
  readonly backfillUrl?: string;
}

/** Connection state; `failed` means a fatal venue error ended retrying. */
export type AlpacaStreamState =
  | "idle"
  | "connecting"
  | "authenticating"
  | "ready"
  | "waiting"
  | "failed"
  | "stopped";

/** Counters a health endpoint or test reads. */
export interface AlpacaStreamCounters {
  /** WebSocket connections opened, the first one included. */
  connects: number;
  /** Connections opened after a previous one ended. */
  reconnects: number;
  /** Successful authentications. */
  authentications: number;
  /** Error messages received, by code. */
  readonly errorsByCode: Map<number, number>;
  /** Gaps backfilled over REST, and the bars that brought. */
  backfills: number;
  backfilledBars: number;
}

const JITTER = 0.2;
const MINUTE_MICROS = 60_000_000;

/** FeedSource over Alpaca's market-data WebSocket (stocks v2 or crypto v1beta3). */
export class AlpacaStreamFeed implements FeedSource {
  /** Live counters; read-only for callers. */
  readonly counters: AlpacaStreamCounters = {
    connects: 0,
    reconnects: 0,
    authentications: 0,
    errorsByCode: new Map(),
    backfills: 0,
    backfilledBars: 0,
  };
  /** Receive time of the last frame: where a gap starts when the socket drops. */
  #lastFrame = 0;
  /** Start of a gap not yet backfilled (the stream was ready, then dropped). */
  #gapFrom: number | undefined;
  readonly #decoder: AlpacaFrameDecoder;
  readonly #channels: readonly StreamChannel[];
  readonly #rng: SeededRng;
  readonly #symbols = new Set<string>();
  #ws: WebSocket | undefined;
  #state: AlpacaStreamState = "idle";
  #attempt = 0;
  #timer: TimerId | undefined;

  /** Creates the feed; nothing connects until `start()`. */
  constructor(readonly ctx: FeedContext, readonly settings: AlpacaStreamSettings) {
    this.#decoder = new AlpacaFrameDecoder(
      ctx.instruments,
      ctx.sink,
      (m) => this.#onControl(m),
      ctx.maxFrameBytes,
    );
    this.#channels = channelsFor(settings.url);
    this.#rng = new SeededRng(settings.seed ?? 1);
  }

  /** Current connection state. */
  get state(): AlpacaStreamState {
    return this.#state;
  }

  /** The frame decoder (its counters: decoded, passThrough). */
  get decoder(): AlpacaFrameDecoder {
    return this.#decoder;
  }

  /** Opens the connection; resolves at once, progress is reported through `ctx.log`. */
  start(): Promise<void> {
    if (this.#state === "idle") this.#connect();
    return Promise.resolve();
  }

  /** Adds symbols known to the instrument table; sent now if authenticated, and on every reconnect. */
  subscribe(symbols: readonly string[]): void {
    const added: string[] = [];
    for (const s of symbols) {
      if (this.ctx.instruments.get(s) === undefined) {
        this.ctx.log({ type: "venue_error", message: `unknown symbol ${s}` });
      } else if (!this.#symbols.has(s)) {
        this.#symbols.add(s);
        added.push(s);
      }
    }
    if (added.length > 0) {
      this.#sendIfReady(subscriptionMessage("subscribe", added, this.#channels));
    }
  }

  /** Removes symbols; sent now if authenticated, and they are not re-subscribed on reconnect. */
  unsubscribe(symbols: readonly string[]): void {
    const removed = symbols.filter((s) => this.#symbols.delete(s));
    if (removed.length > 0) {
      this.#sendIfReady(subscriptionMessage("unsubscribe", removed, this.#channels));
    }
  }

  /** Symbols currently subscribed (remembered across reconnects). */
  subscribed(): readonly string[] {
    return [...this.#symbols];
  }

  /** Stops retrying and closes the socket; resolves once it is closed. */
  async stop(): Promise<void> {
    this.#state = "stopped";
    if (this.#timer !== undefined) this.ctx.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await this.#closeSocket();
  }

  #connect(): void {
    this.#state = "connecting";
    if (this.counters.connects > 0) this.counters.reconnects++;
    this.counters.connects++;
    // Alpaca selects MessagePack with this handshake header; Deno's WebSocket accepts headers
    // (a browser could not, which is why the sim server also takes `?encoding=msgpack`).
    const ws = this.settings.encoding === "msgpack"
      ? new WebSocket(this.settings.url, { headers: { "Content-Type": MSGPACK_CONTENT_TYPE } })
      : new WebSocket(this.settings.url);
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    ws.onmessage = (ev: MessageEvent) => {
      if (ws === this.#ws) this.#onFrame(ev.data);
    };
    // An error is always followed by a close event, where the reconnect is decided.
    ws.onerror = () => {};
    ws.onclose = () => {
      if (ws === this.#ws) this.#onClose();
    };
  }

  #onFrame(data: unknown): void {
    const recv = this.ctx.clock.nowMicros();
    this.#lastFrame = recv;
    if (typeof data === "string") {
      this.#decoder.decode(data, recv);
      return;
    }
    if (!(data instanceof ArrayBuffer)) return this.ctx.sink.decodeError("bad_shape");
    if (data.byteLength > this.ctx.maxFrameBytes) {
      return this.ctx.sink.decodeError("oversized_frame");
    }
    let parsed: unknown;
    try {
      parsed = decodeMsgpackFrame(new Uint8Array(data));
    } catch {
      // The ring has one "unparseable frame" reason for both framings.
      return this.ctx.sink.decodeError("malformed_json");
    }
    this.#decoder.decodeMessages(parsed, recv);
  }

  #onControl(msg: AlpacaControl): void {
    if (msg.T === "success" && msg.msg === "connected") {
      this.#state = "authenticating";
      this.#send(authMessage(this.settings.key, this.settings.secret));
    } else if (msg.T === "success" && msg.msg === "authenticated") {
      this.#state = "ready";
      this.#attempt = 0;
      this.counters.authentications++;
      this.ctx.log({ type: "connected", message: `authenticated to ${this.#safeUrl()}` });
      if (this.#symbols.size > 0) {
        this.#send(subscriptionMessage("subscribe", [...this.#symbols], this.#channels));
      }
      const from = this.#gapFrom;
      this.#gapFrom = undefined;
      if (from !== undefined && this.settings.backfillUrl !== undefined) {
        void this.#backfill(from, this.ctx.clock.nowMicros());
      }
    } else if (msg.T === "subscription") {
      const parts = this.#channels.map((c) => `${c}=${String(msg[c] ?? "")}`);
      this.ctx.log({ type: "subscribed", message: parts.join(" ") });
    } else if (msg.T === "error") {
      this.#onVenueError(msg);
    }
  }

  #onVenueError(msg: AlpacaControl): void {
    const code = typeof msg.code === "number" ? msg.code : 500;
    const errors = this.counters.errorsByCode;
    errors.set(code, (errors.get(code) ?? 0) + 1);
    const policy = streamErrorPolicy(code);
    if (policy === "ignore") return;
    const text = typeof msg.msg === "string" ? this.#redact(msg.msg) : "";
    this.ctx.log({ type: "venue_error", message: `alpaca ${code} ${text} (${policy})` });
    if (policy === "fatal") {
      this.#state = "failed";
      void this.#closeSocket();
    } else if (policy === "reconnect") {
      // Closing leads to #onClose, which schedules the next attempt.
      this.#ws?.close();
    }
  }

  #onClose(): void {
    this.#ws = undefined;
    if (this.#state === "stopped" || this.#state === "failed") return;
    // The earliest drop counts: several failed reconnects are one gap.
    if (this.#state === "ready" && this.#gapFrom === undefined) this.#gapFrom = this.#lastFrame;
    this.#state = "waiting";
    const delay = Math.min(
      this.settings.reconnect.maxMs,
      backoffDelayMs(this.#attempt, {
        baseMs: this.settings.reconnect.baseMs,
        jitter: JITTER,
        maxRetries: Infinity,
      }, this.#rng),
    );
    this.#attempt++;
    this.ctx.log({ type: "error", message: `disconnected; reconnecting in ${delay} ms` });
    this.#timer = this.ctx.clock.setTimer(delay, () => {
      this.#timer = undefined;
      if (this.#state === "waiting") this.#connect();
    });
  }

  /**
   * Fetches the minute bars of every subscribed symbol that closed between `from` (the last frame
   * before the drop) and `now`, into the sink as venue bars. The bar of the minute in progress is
   * left to the stream. Bars the stream delivered before the drop come again and replace
   * themselves (the engine keeps one bar per start).
   */
  async #backfill(from: number, now: number): Promise<void> {
    const startMinute = Math.floor(from / MINUTE_MICROS) * MINUTE_MICROS;
    const lastStart = Math.floor(now / MINUTE_MICROS) * MINUTE_MICROS - MINUTE_MICROS;
    const symbols = [...this.#symbols];
    if (lastStart < startMinute || symbols.length === 0) return;
    const crypto = isCryptoFeedUrl(this.settings.url);
    const feed = /\/v2\/(iex|sip)$/.exec(new URL(this.settings.url).pathname)?.[1];
    try {
      const result = await fetchBars({
        baseUrl: this.settings.backfillUrl!,
        key: this.settings.key,
        secret: this.settings.secret,
        assetClass: crypto ? "crypto" : "us_equity",
        symbols,
        timeframe: "1Min",
        start: formatRfc3339Micros(startMinute),
        end: formatRfc3339Micros(lastStart),
        feed,
        instruments: this.ctx.instruments,
        clock: this.ctx.clock,
      }, (bars) => {
        const recv = this.ctx.clock.nowMicros();
        for (const b of bars) {
          const inst = this.ctx.instruments.get(b.symbol)!.index;
          this.ctx.sink.bar(
            inst,
            MINUTE_MICROS,
            b.start,
            b.open,
            b.high,
            b.low,
            b.close,
            b.volume,
            b.vwap,
            b.tradeCount,
            recv,
          );
        }
        this.ctx.sink.flush();
      });
      this.counters.backfills++;
      this.counters.backfilledBars += result.bars;
      this.ctx.log({
        type: "subscribed",
        message: `backfilled ${result.bars} bars of ${symbols.length} symbols after a gap`,
      });
    } catch (e) {
      // The stream carries on; the hole stays and is logged (the REST error names the cause).
      this.ctx.log({
        type: "venue_error",
        message: `bar backfill failed: ${this.#redact(e instanceof Error ? e.message : String(e))}`,
      });
    }
  }

  #sendIfReady(text: string): void {
    if (this.#state === "ready") this.#send(text);
  }

  #send(text: string): void {
    const ws = this.#ws;
    if (ws !== undefined && ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  async #closeSocket(): Promise<void> {
    const ws = this.#ws;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
    ws.close();
    await closed;
  }

  /** The URL without any userinfo or query a caller might have put credentials into. */
  #safeUrl(): string {
    const u = new URL(this.settings.url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  }

  /** Server text echoed into logs must not carry our credentials, whatever the server sends. */
  #redact(text: string): string {
    let out = text;
    for (const s of [this.settings.secret, this.settings.key]) {
      if (s !== "") out = out.split(s).join("***");
    }
    return out;
  }
}

/**
 * Alpaca's trade_updates WebSocket: connect, `auth`, `listen` to trade_updates, then turn each
 * order report into a TradeUpdate (with an exact Fill on fill and partial_fill). A dropped
 * connection reconnects with exponential backoff and jitter on the injected clock; a refused key
 * stops retrying (it will not start working by itself). `isReady` is true only while the socket is
 * authorized and listening: reports sent while it is not are missed, so callers hold orders until
 * `ready()` resolves and recover gaps with fillsSince/openOrders.
 */
import type { Clock, TimerId } from "../../clock/clock.ts";
import type { InstrumentTable } from "../../domain/instrument.ts";
import { decimalToUnits } from "../../domain/decimal_units.ts";
import { parseScaled } from "../../domain/fixed_point.ts";
import type { Fill } from "../../domain/order.ts";
import { SeededRng } from "../../domain/seeded_rng.ts";
import { parseTimestampMicros } from "../../domain/timestamp.ts";
import { backoffDelayMs } from "../../execution/backoff.ts";
import type { TradeUpdate } from "../../execution/trading_client.ts";
import { AlpacaJsonError, orderFromJson, pairSymbol, stringField } from "./order_json.ts";

/** Connection settings. */
export interface TradeUpdatesSettings {
  /** e.g. `wss://paper-api.alpaca.markets/stream`. */
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  /** Reconnect delays: baseMs·2^attempt ±20% jitter, capped at maxMs. */
  readonly reconnect: { readonly baseMs: number; readonly maxMs: number };
  /** Seed of the jitter RNG; default 1. */
  readonly seed?: number;
}

/** Connection state; `failed` means the keys were refused and retrying stopped. */
export type TradeUpdatesState =
  | "idle"
  | "connecting"
  | "authenticating"
  | "listening"
  | "waiting"
  | "failed"
  | "stopped";

/** Counters a health endpoint or test reads. */
export interface TradeUpdatesCounters {
  connects: number;
  reconnects: number;
  /** Reports delivered to the handler. */
  updates: number;
  /** Reports of events deno_rt has no TradeUpdate for (pending_new, done_for_day, ...). */
  ignored: number;
  /** Frames or reports that could not be read. */
  malformed: number;
  /** Times reports may have been missed (a reconnect or an unreadable report). */
  gaps: number;
}

// Alpaca event → ours. Alpaca's "new" is the venue's acknowledgement, our "accepted"; its own
// "accepted" and "pending_*" are intermediate steps the order status already carries.
const EVENT: Record<string, TradeUpdate["event"] | undefined> = {
  new: "accepted",
  partial_fill: "partial_fill",
  fill: "fill",
  canceled: "canceled",
  rejected: "rejected",
  expired: "expired",
  replaced: "replaced",
};

/**
 * Reads one trade_updates `data` object; undefined for events without a TradeUpdate. Throws
 * AlpacaJsonError (or FixedPointError) for a malformed report.
 */
export function tradeUpdateFromJson(
  data: unknown,
  instruments: InstrumentTable,
  recvMicros: number,
): TradeUpdate | undefined {
  if (typeof data !== "object" || data === null) {
    throw new AlpacaJsonError(`trade update data must be an object, got ${JSON.stringify(data)}`);
  }
  const d = data as Record<string, unknown>;
  const event = EVENT[stringField(d, "event")];
  if (event === undefined) return undefined;
  // An order in a symbol this core does not trade (placed at the broker by hand, or by another
  // program on the account) is none of its business: ignored, not an unreadable report, which
  // would start a recovery every time.
  const symbol = (d.order as Record<string, unknown> | null | undefined)?.symbol;
  if (
    typeof symbol === "string" && instruments.get(symbol) === undefined &&
    instruments.get(pairSymbol(symbol)) === undefined
  ) {
    return undefined;
  }
  const order = orderFromJson(d.order, instruments);
  if (event !== "fill" && event !== "partial_fill") {
    const reason = event === "rejected" && typeof d.reason === "string" ? d.reason : undefined;
    return reason === undefined ? { event, order } : { event, order, reason };
  }
  const inst = instruments.get(order.request.symbol)!;
  const venueTime = parseTimestampMicros(stringField(d, "timestamp"));
  if (Number.isNaN(venueTime)) throw new AlpacaJsonError(`unreadable timestamp ${d.timestamp}`);
  const fill: Fill = {
    fillId: alpacaFillId(order.venueOrderId, order.filledQty),
    clientOrderId: order.clientOrderId,
    venueOrderId: order.venueOrderId,
    symbol: inst.symbol,
    side: order.request.side,
    qty: parseScaled(stringField(d, "qty"), inst.qtyDecimals, "qty"),
    // No tick check: an execution may print sub-penny (midpoint), only orders must be on tick.
    // Fill prices may carry more decimals than the instrument keeps (averaged or sub-penny
    // executions): round, as for any venue number, instead of refusing the report.
    price: venuePrice(stringField(d, "price"), inst.priceDecimals),
    // Alpaca is commission-free and reports regulatory fees only as account activities.
    fee: 0n,
    // Alpaca does not say whether a fill added or took liquidity; "taker" is the conservative
    // guess for fee and slippage models.
    liquidity: "taker",
    venueTime,
    recvTime: recvMicros,
  };
  return { event, order, fill };
}

/**
 * The id deno_rt gives an Alpaca execution: the order's id and its filled quantity (lots) after
 * the execution. Both the trade_updates report (order.id, order.filled_qty) and the REST account
 * activity (order_id, cum_qty) carry these, so a fill seen on the stream and the same fill
 * recovered over REST after a gap get one id and are applied once. Alpaca's own execution_id and
 * activity id are not documented to match each other.
 */
export function alpacaFillId(venueOrderId: string, cumQtyLots: number): string {
  return `${venueOrderId}:${cumQtyLots}`;
}

/** A trade_updates subscription that reconnects until stopped. */
export class AlpacaTradeUpdates {
  /** Live counters; read-only for callers. */
  readonly counters: TradeUpdatesCounters = {
    connects: 0,
    reconnects: 0,
    updates: 0,
    ignored: 0,
    malformed: 0,
    gaps: 0,
  };
  /** Called when reports may have been missed: after a reconnect is listening again, or after an unreadable report. */
  onGap: () => void = () => {};
  #everListened = false;
  readonly #rng: SeededRng;
  readonly #waiters: Array<() => void> = [];
  #ws: WebSocket | undefined;
  #state: TradeUpdatesState = "idle";
  #attempt = 0;
  #timer: TimerId | undefined;

  /** Binds clock, instruments, settings and the handler of every update; connects on start(). */
  constructor(
    readonly deps: { readonly clock: Clock; readonly instruments: InstrumentTable },
    readonly settings: TradeUpdatesSettings,
    readonly onUpdate: (update: TradeUpdate) => void,
  ) {
    this.#rng = new SeededRng(settings.seed ?? 1);
  }

  /** Current connection state. */
  get state(): TradeUpdatesState {
    return this.#state;
  }

  /** True while authorized and listening to trade_updates. */
  get isReady(): boolean {
    return this.#state === "listening";
  }

  /** Resolves when authorized and listening (at once if already). */
  ready(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Opens the connection if idle. */
  start(): void {
    if (this.#state === "idle") this.#connect();
  }

  /** Stops reconnecting and closes the socket; resolves once it is closed. */
  async stop(): Promise<void> {
    this.#state = "stopped";
    if (this.#timer !== undefined) this.deps.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((r) => ws.addEventListener("close", () => r()));
    ws.close();
    await closed;
  }

  #connect(): void {
    this.#state = "connecting";
    if (this.counters.connects > 0) this.counters.reconnects++;
    this.counters.connects++;
    const ws = new WebSocket(this.settings.url);
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    ws.onopen = () => {
      if (ws !== this.#ws) return;
      this.#state = "authenticating";
      // The only place the key and secret leave the process on this socket.
      ws.send(
        JSON.stringify({ action: "auth", key: this.settings.key, secret: this.settings.secret }),
      );
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (ws === this.#ws) this.#onFrame(ws, ev.data);
    };
    // An error is always followed by a close event, where the reconnect is decided.
    ws.onerror = () => {};
    ws.onclose = () => {
      if (ws === this.#ws) this.#onClose();
    };
  }

  #onFrame(ws: WebSocket, raw: unknown): void {
    const recv = this.deps.clock.nowMicros();
    let msg: { stream?: unknown; data?: Record<string, unknown> };
    try {
      // The paper endpoint sends JSON in binary frames, the sim server in text frames.
      const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw as ArrayBuffer);
      msg = JSON.parse(text);
    } catch {
      this.counters.malformed++;
      return;
    }
    const data = msg.data ?? {};
    if (msg.stream === "authorization") {
      if (data.status !== "authorized") {
        this.#state = "failed";
        ws.close();
        return;
      }
      ws.send(JSON.stringify({ action: "listen", data: { streams: ["trade_updates"] } }));
    } else if (msg.stream === "listening") {
      const streams = Array.isArray(data.streams) ? data.streams : [];
      if (!streams.includes("trade_updates")) return;
      this.#state = "listening";
      this.#attempt = 0;
      for (const w of this.#waiters.splice(0)) w();
      // Reports sent while the socket was down are lost; the owner recovers them over REST.
      if (this.#everListened) this.#gap();
      this.#everListened = true;
    } else if (msg.stream === "trade_updates") {
      let update: TradeUpdate | undefined;
      try {
        update = tradeUpdateFromJson(data, this.deps.instruments, recv);
      } catch {
        // One unreadable report must not end the stream; the owner recovers it over REST.
        this.counters.malformed++;
        this.#gap();
        return;
      }
      if (update === undefined) {
        this.counters.ignored++;
        return;
      }
      this.counters.updates++;
      this.onUpdate(update);
    }
  }

  #gap(): void {
    this.counters.gaps++;
    this.onGap();
  }

  #onClose(): void {
    this.#ws = undefined;
    if (this.#state === "stopped" || this.#state === "failed") return;
    this.#state = "waiting";
    const { baseMs, maxMs } = this.settings.reconnect;
    const delay = Math.min(
      maxMs,
      backoffDelayMs(this.#attempt++, { maxRetries: Infinity, baseMs, jitter: 0.2 }, this.#rng),
    );
    this.#timer = this.deps.clock.setTimer(delay, () => {
      this.#timer = undefined;
      if (this.#state === "waiting") this.#connect();
    });
  }
}

function venuePrice(text: string, decimals: number): number {
  const units = decimalToUnits(text, decimals);
  if (!Number.isSafeInteger(units) || units <= 0) {
    throw new AlpacaJsonError(`bad fill price ${JSON.stringify(text)}`);
  }
  return units;
}

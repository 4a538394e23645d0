/**
 * The simulator's synthetic market: per symbol, a mid price that follows geometric Brownian
 * motion, an L2 book of `depth_levels` per side around it, and trades that hit the book. Output is
 * Alpaca-format JSON frames, so the same decoder reads sim and Alpaca. Everything comes from a
 * seeded RNG and event times on a fixed grid (start + k·dt), so the same seed and start time give
 * the same stream byte for byte, however fast or slow frames are pulled.
 */
import { SeededRng } from "../../domain/seeded_rng.ts";
import { type InstrumentTable, tickSizeAt } from "../../domain/instrument.ts";
import { pow10 } from "../../domain/fixed_point.ts";
import { formatRfc3339Micros } from "../../domain/timestamp.ts";
import { type SimConfig, simConfigSchema } from "../../../schemas/config.ts";

/** Sim feed settings (snake_case: they come straight from config). */
export type SimFeedSettings = SimConfig;

/** Defaults for the sim feed, from the config schema. */
export const SIM_DEFAULTS: SimFeedSettings = simConfigSchema.parse({});

const YEAR_SECONDS = 365.25 * 86_400;

interface SymbolState {
  readonly symbol: string;
  readonly sym: string; // JSON-quoted symbol
  readonly priceScale: number;
  readonly qtyScale: number;
  readonly crypto: boolean;
  enabled: boolean;
  mid: number; // in price units, float
  bidPx: number[];
  bidSz: number[];
  askPx: number[];
  askSz: number[];
  // what the consumer last saw, to send diffs
  sentBid: Map<number, number>;
  sentAsk: Map<number, number>;
  lastQuote: string;
  tradeId: number;
  firstBook: boolean;
}

/** Deterministic generator of Alpaca-format market frames. */
export class SimMarket {
  readonly #rng: SeededRng;
  readonly #states: SymbolState[];
  readonly #dt: number; // µs between events across all symbols
  readonly #stepYears: number; // GBM step per symbol event, in years
  #k = 0;

  /** Builds the market for every instrument, starting at `startMicros`. */
  constructor(
    instruments: InstrumentTable,
    readonly settings: SimFeedSettings,
    readonly startMicros: number,
  ) {
    if (!(settings.rate_per_symbol > 0)) throw new RangeError(`rate_per_symbol must be > 0`);
    this.#rng = new SeededRng(settings.seed);
    const n = Math.max(1, instruments.size);
    this.#dt = 1e6 / (settings.rate_per_symbol * n);
    this.#stepYears = 1 / settings.rate_per_symbol / YEAR_SECONDS;
    this.#states = instruments.list().map((inst) => {
      const priceScale = pow10(inst.priceDecimals);
      return {
        symbol: inst.symbol,
        sym: JSON.stringify(inst.symbol),
        priceScale,
        qtyScale: pow10(inst.qtyDecimals),
        crypto: inst.assetClass === "crypto",
        enabled: true,
        mid: (settings.start_prices[inst.symbol] ?? 100) * priceScale,
        bidPx: [],
        bidSz: [],
        askPx: [],
        askSz: [],
        sentBid: new Map(),
        sentAsk: new Map(),
        lastQuote: "",
        tradeId: 0,
        firstBook: true,
      };
    });
    this.#tick = (i: number, price: number) => {
      const inst = instruments.at(i);
      // Crypto: a cent; stocks: the SEC tick at this price.
      return inst.assetClass === "crypto"
        ? Math.max(1, pow10(inst.priceDecimals) / 100)
        : tickSizeAt(inst, price);
    };
  }

  readonly #tick: (inst: number, price: number) => number;

  /** Enables or disables output for a symbol; the hidden stream still advances, keeping determinism. */
  setEnabled(symbol: string, enabled: boolean): void {
    const s = this.#states.find((st) => st.symbol === symbol);
    if (s !== undefined) s.enabled = enabled;
  }

  /** Time of the next event, epoch µs. */
  nextEventTime(): number {
    return this.startMicros + Math.floor(this.#k * this.#dt);
  }

  /**
   * Returns one JSON frame (an array of Alpaca messages) with every event due at or before
   * `untilMicros`, at most `maxEvents` of them; "" when none is due.
   */
  frameUntil(untilMicros: number, maxEvents = 100_000): string {
    const parts: string[] = [];
    let events = 0;
    while (events < maxEvents) {
      const t = this.startMicros + Math.floor(this.#k * this.#dt);
      if (t > untilMicros) break;
      const i = this.#k % this.#states.length;
      this.#k++;
      events++;
      const s = this.#states[i];
      if (s !== undefined) this.#step(i, s, t, parts);
    }
    return parts.length === 0 ? "" : "[" + parts.join(",") + "]";
  }

  #step(i: number, s: SymbolState, t: number, out: string[]): void {
    const rng = this.#rng;
    const { drift, volatility } = this.settings;
    const z = rng.normal();
    s.mid *= Math.exp(
      (drift - 0.5 * volatility * volatility) * this.#stepYears +
        volatility * Math.sqrt(this.#stepYears) * z,
    );
    const tick = this.#tick(i, s.mid);
    if (s.mid < tick * 10) s.mid = tick * 10; // keep a floor: GBM never hits 0, ticks can
    const spread = Math.max(
      tick,
      Math.round((s.mid * this.settings.spread_bps) / 1e4 / tick) * tick,
    );
    const bestBid = Math.floor((s.mid - spread / 2) / tick) * tick;
    const bestAsk = bestBid + spread;
    this.#rebuild(s, bestBid, bestAsk, tick);
    const ts = formatRfc3339Micros(t);
    if (rng.next() < this.settings.trade_probability) {
      const buy = rng.next() < 0.5;
      const sizes = buy ? s.askSz : s.bidSz;
      const price = buy ? s.askPx[0]! : s.bidPx[0]!;
      const size = Math.max(1, Math.min(sizes[0]!, this.#randomSize(s)));
      sizes[0] = sizes[0]! - size;
      s.tradeId++;
      if (s.enabled) {
        const tks = s.crypto ? `,"tks":"${buy ? "B" : "S"}"` : "";
        out.push(
          `{"T":"t","S":${s.sym},"i":${s.tradeId},"x":"V","p":${price / s.priceScale},"s":${
            size / s.qtyScale
          },"t":"${ts}","z":"C"${tks}}`,
        );
      }
    } else {
      const bid = rng.next() < 0.5;
      const lvl = rng.int(this.settings.depth_levels);
      (bid ? s.bidSz : s.askSz)[lvl] = this.#randomSize(s);
    }
    if (!s.enabled) {
      this.#commitSent(s);
      return;
    }
    const book = this.#diff(s, ts);
    if (book !== "") out.push(book);
    const bi = s.bidSz.findIndex((x) => x > 0), ai = s.askSz.findIndex((x) => x > 0);
    const q = bi < 0 || ai < 0
      ? ""
      : `"bp":${s.bidPx[bi]! / s.priceScale},"bs":${s.bidSz[bi]! / s.qtyScale},"ap":${
        s.askPx[ai]! / s.priceScale
      },"as":${s.askSz[ai]! / s.qtyScale}`;
    if (q !== "" && q !== s.lastQuote) {
      s.lastQuote = q;
      out.push(`{"T":"q","S":${s.sym},${q},"t":"${ts}","z":"C"}`);
    }
  }

  /** Re-centres the book on the new top, keeping sizes of prices that stay in the book. */
  #rebuild(s: SymbolState, bestBid: number, bestAsk: number, tick: number): void {
    const d = this.settings.depth_levels;
    const keep = (px: number[], sz: number[]) => new Map(px.map((p, j) => [p, sz[j]!]));
    const oldBid = keep(s.bidPx, s.bidSz), oldAsk = keep(s.askPx, s.askSz);
    const bidPx: number[] = [], bidSz: number[] = [], askPx: number[] = [], askSz: number[] = [];
    for (let j = 0; j < d; j++) {
      const bp = bestBid - j * tick, ap = bestAsk + j * tick;
      if (bp > 0) {
        bidPx.push(bp);
        bidSz.push(oldBid.get(bp) || this.#randomSize(s));
      }
      askPx.push(ap);
      askSz.push(oldAsk.get(ap) || this.#randomSize(s));
    }
    s.bidPx = bidPx;
    s.bidSz = bidSz;
    s.askPx = askPx;
    s.askSz = askSz;
  }

  /** Level size in lots: 1–500 shares, or 0.001–2 units of a crypto base asset. */
  #randomSize(s: SymbolState): number {
    if (s.crypto) {
      return Math.max(1, Math.round((0.001 + this.#rng.next() * 2) * s.qtyScale / 1e6) * 1e6);
    }
    return 1 + this.#rng.int(500);
  }

  /** An Alpaca "o" message with every level that changed since the last one sent, or "". */
  #diff(s: SymbolState, ts: string): string {
    const side = (px: number[], sz: number[], sent: Map<number, number>): string[] => {
      const out: string[] = [];
      const now = new Map<number, number>();
      for (let j = 0; j < px.length; j++) if (sz[j]! > 0) now.set(px[j]!, sz[j]!);
      for (const [p, z] of now) {
        if (sent.get(p) !== z) out.push(`{"p":${p / s.priceScale},"s":${z / s.qtyScale}}`);
      }
      for (const p of sent.keys()) if (!now.has(p)) out.push(`{"p":${p / s.priceScale},"s":0}`);
      sent.clear();
      for (const [p, z] of now) sent.set(p, z);
      return out;
    };
    const reset = s.firstBook;
    s.firstBook = false;
    const b = side(s.bidPx, s.bidSz, s.sentBid), a = side(s.askPx, s.askSz, s.sentAsk);
    if (b.length === 0 && a.length === 0) return "";
    return `{"T":"o","S":${s.sym},"t":"${ts}","b":[${b.join(",")}],"a":[${a.join(",")}]${
      reset ? ',"r":true' : ""
    }}`;
  }

  #commitSent(s: SymbolState): void {
    // A disabled symbol's book is re-sent whole when it is enabled again.
    s.sentBid.clear();
    s.sentAsk.clear();
    s.firstBook = true;
    s.lastQuote = "";
  }
}

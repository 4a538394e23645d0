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
import { SimBook } from "./sim_book.ts";
// Type-only: the feed worker loads this module, and zod has no business in that isolate.
import type { SimConfig } from "../../../schemas/config.ts";

/** Sim feed settings (snake_case: they come straight from config). */
export type SimFeedSettings = SimConfig;

const YEAR_SECONDS = 365.25 * 86_400;

interface SymbolState {
  readonly symbol: string;
  readonly sym: string; // JSON-quoted symbol
  readonly inst: number;
  readonly priceScale: number;
  readonly qtyScale: number;
  readonly crypto: boolean;
  enabled: boolean;
  mid: number; // in price units, float
  readonly book: SimBook;
  readonly lastQuote: Float64Array; // bid px, bid sz, ask px, ask sz last sent
  tradeId: number;
}

const MICRO_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** Deterministic generator of Alpaca-format market frames. */
export class SimMarket {
  readonly #rng: SeededRng;
  readonly #states: SymbolState[];
  readonly #dt: number; // µs between events across all symbols
  readonly #stepYears: number; // GBM step per symbol event, in years
  readonly #tick: (inst: number, price: number) => number;
  readonly #randomSize: Array<() => number>;
  #k = 0;
  #tsMs = -1;
  #tsPrefix = "";

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
        inst: inst.index,
        priceScale,
        qtyScale: pow10(inst.qtyDecimals),
        crypto: inst.assetClass === "crypto",
        enabled: true,
        mid: (settings.start_prices[inst.symbol] ?? 100) * priceScale,
        book: new SimBook(settings.depth_levels),
        lastQuote: new Float64Array(4),
        tradeId: 0,
      };
    });
    this.#tick = (i: number, price: number) => {
      const inst = instruments.at(i);
      // Crypto: a cent; stocks: the SEC tick at this price.
      return inst.assetClass === "crypto"
        ? Math.max(1, pow10(inst.priceDecimals) / 100)
        : tickSizeAt(inst, price);
    };
    const rng = this.#rng;
    // Level sizes in lots: 1–500 shares, or 0.001–2 units of a crypto base asset.
    this.#randomSize = this.#states.map((s) =>
      s.crypto
        ? () => Math.max(1, Math.round((0.001 + rng.next() * 2) * s.qtyScale / 1e6) * 1e6)
        : () => 1 + rng.int(500)
    );
  }

  /** Enables or disables output for a symbol; the hidden stream still advances, keeping determinism. */
  setEnabled(symbol: string, enabled: boolean): void {
    const s = this.#states.find((st) => st.symbol === symbol);
    if (s === undefined) return;
    if (!enabled) {
      // A disabled symbol's book is re-sent whole when it is enabled again.
      s.book.resetSent();
      s.lastQuote.fill(0);
    }
    s.enabled = enabled;
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
    let out = "";
    let events = 0;
    while (events < maxEvents) {
      const t = this.startMicros + Math.floor(this.#k * this.#dt);
      if (t > untilMicros) break;
      const s = this.#states[this.#k % this.#states.length];
      this.#k++;
      events++;
      if (s !== undefined) {
        const msgs = this.#step(s, t);
        if (msgs !== "") out += (out === "" ? "" : ",") + msgs;
      }
    }
    return out === "" ? "" : "[" + out + "]";
  }

  /** RFC 3339 with microseconds; the millisecond prefix is cached across events. */
  #timestamp(t: number): string {
    const ms = Math.floor(t / 1000);
    if (ms !== this.#tsMs) {
      this.#tsMs = ms;
      this.#tsPrefix = new Date(ms).toISOString().slice(0, 23);
    }
    return this.#tsPrefix + MICRO_DIGITS[t - ms * 1000] + "Z";
  }

  /** One market event for `s` at time `t`: returns its messages joined by commas, or "". */
  #step(s: SymbolState, t: number): string {
    const rng = this.#rng;
    const { drift, volatility } = this.settings;
    const z = rng.normal();
    s.mid *= Math.exp(
      (drift - 0.5 * volatility * volatility) * this.#stepYears +
        volatility * Math.sqrt(this.#stepYears) * z,
    );
    const tick = this.#tick(s.inst, s.mid);
    if (s.mid < tick * 10) s.mid = tick * 10; // keep a floor: GBM never hits 0, ticks can
    const spread = Math.max(
      tick,
      Math.round((s.mid * this.settings.spread_bps) / 1e4 / tick) * tick,
    );
    const bestBid = Math.floor((s.mid - spread / 2) / tick) * tick;
    const book = s.book, randomSize = this.#randomSize[s.inst]!;
    book.bids.recenter(bestBid, tick, randomSize);
    book.asks.recenter(bestBid + spread, tick, randomSize);
    let trade = "";
    if (rng.next() < this.settings.trade_probability) {
      const buy = rng.next() < 0.5;
      const side = buy ? book.asks : book.bids;
      const top = side.bestIndex();
      const size = Math.max(1, Math.min(side.sz[top]!, randomSize()));
      const price = side.px[top]!;
      side.sz[top] = side.sz[top]! - size;
      s.tradeId++;
      if (s.enabled) {
        trade = '{"T":"t","S":' + s.sym + ',"i":' + s.tradeId + ',"x":"V","p":' +
          price / s.priceScale + ',"s":' +
          size / s.qtyScale + ',"t":"' + this.#timestamp(t) + '","z":"C"' +
          (s.crypto ? (buy ? ',"tks":"B"}' : ',"tks":"S"}') : "}");
      }
    } else {
      const side = rng.next() < 0.5 ? book.bids : book.asks;
      side.sz[rng.int(this.settings.depth_levels)] = randomSize();
    }
    if (!s.enabled) return "";
    const ts = this.#timestamp(t);
    let out = trade;
    const body = book.diffBody(s.priceScale, s.qtyScale);
    if (body !== "") {
      out += (out === "" ? "" : ",") + '{"T":"o","S":' + s.sym + ',"t":"' + ts + '",' + body +
        (book.fresh ? ',"r":true}' : "}");
      book.fresh = false;
    }
    const bi = book.bids.bestIndex(), ai = book.asks.bestIndex();
    if (bi >= 0 && ai >= 0) {
      const q = s.lastQuote;
      const bp = book.bids.px[bi]!,
        bs = book.bids.sz[bi]!,
        ap = book.asks.px[ai]!,
        as = book.asks.sz[ai]!;
      if (q[0] !== bp || q[1] !== bs || q[2] !== ap || q[3] !== as) {
        q[0] = bp;
        q[1] = bs;
        q[2] = ap;
        q[3] = as;
        out += (out === "" ? "" : ",") + '{"T":"q","S":' + s.sym + ',"bp":' + bp / s.priceScale +
          ',"bs":' +
          bs / s.qtyScale + ',"ap":' + ap / s.priceScale + ',"as":' + as / s.qtyScale + ',"t":"' +
          ts + '","z":"C"}';
      }
    }
    return out;
  }
}

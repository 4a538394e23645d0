/**
 * The live books the sim server's matching engine trades against: one OrderBook per symbol, fed
 * with SimMarket frames through the same Alpaca decoder the engine uses, so resting orders meet
 * the market clients see. Tests may switch the generator off and set levels and prints by hand.
 * A script, not core: real timers are fine here.
 */
import { OrderBook } from "../../core/data/order_book.ts";
import type { RecordSink } from "../../core/data/record_sink.ts";
import { RecordFlag } from "../../core/data/ring_layout.ts";
import type { InstrumentTable } from "../../core/domain/instrument.ts";
import { AlpacaFrameDecoder } from "../../core/venues/alpaca/decode.ts";
import { SimMarket } from "../../core/venues/sim/sim_market.ts";
import type { SimConfig } from "../../schemas/config.ts";

/** What happens when the market moves: the venue re-matches resting orders. */
export interface MarketListener {
  /** A print of `size` lots at `price` ticks. */
  trade(symbol: string, price: number, size: number): void;
  /** The book of `symbol` changed (after a whole venue message). */
  book(symbol: string): void;
}

/** One OrderBook per instrument, optionally driven by a SimMarket on a real-time timer. */
export class VenueBooks {
  readonly #books: OrderBook[];
  readonly #instruments: InstrumentTable;
  readonly #lastTrade: number[];
  #listener: MarketListener | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Empty books for every instrument; nothing moves until `start` or a manual update. */
  constructor(instruments: InstrumentTable) {
    this.#instruments = instruments;
    this.#books = instruments.list().map((i) => new OrderBook(i.symbol));
    this.#lastTrade = instruments.list().map(() => 0);
  }

  /** Sets who hears about trades and book changes. */
  listen(listener: MarketListener): void {
    this.#listener = listener;
  }

  /** The book of `symbol`; throws for a symbol outside the table (a caller bug). */
  book(symbol: string): OrderBook {
    const inst = this.#instruments.get(symbol);
    if (inst === undefined) throw new RangeError(`No book for symbol ${JSON.stringify(symbol)}`);
    return this.#books[inst.index]!;
  }

  /** Last print in ticks (the market's or a manual one), 0 before the first. */
  lastTrade(symbol: string): number {
    const inst = this.#instruments.get(symbol);
    return inst === undefined ? 0 : this.#lastTrade[inst.index]!;
  }

  /** Starts generating the market from `sim` settings, in real time from `startMicros`. */
  start(sim: SimConfig, startMicros: number, nowMicros: () => number): void {
    if (this.#timer !== undefined) return;
    const market = new SimMarket(this.#instruments, sim, startMicros);
    const decoder = new AlpacaFrameDecoder(this.#instruments, this.#sink(), () => {});
    this.#timer = setInterval(() => {
      const now = nowMicros();
      for (;;) {
        const frame = market.frameUntil(now, 200);
        if (frame === "") break;
        decoder.decode(frame, now);
      }
    }, sim.frame_interval_ms);
  }

  /** Stops the generator. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Replaces the whole book of `symbol` (tests, scripted scenarios); levels are [ticks, lots]. */
  setBook(
    symbol: string,
    bids: ReadonlyArray<readonly [number, number]>,
    asks: ReadonlyArray<readonly [number, number]>,
  ): void {
    const book = this.book(symbol);
    book.clear();
    for (const [p, s] of bids) book.apply(0, p, s);
    for (const [p, s] of asks) book.apply(1, p, s);
    this.#listener?.book(symbol);
  }

  /** A manual print (tests): resting limits it went through and stops it reached may fill. */
  trade(symbol: string, price: number, size: number): void {
    const inst = this.#instruments.get(symbol);
    if (inst === undefined) throw new RangeError(`No book for symbol ${JSON.stringify(symbol)}`);
    this.#lastTrade[inst.index] = price;
    this.#listener?.trade(symbol, price, size);
  }

  #sink(): RecordSink {
    const list = this.#instruments.list();
    return {
      trade: (inst, price, size) => {
        this.#lastTrade[inst] = price;
        this.#listener?.trade(list[inst]!.symbol, price, size);
      },
      quote: () => {},
      bookLevel: (inst, flags, price, size) => {
        const book = this.#books[inst]!;
        if ((flags & RecordFlag.Reset) !== 0) book.clear();
        if (price > 0) book.apply((flags & RecordFlag.Ask) !== 0 ? 1 : 0, price, size);
        if ((flags & RecordFlag.End) !== 0) this.#listener?.book(list[inst]!.symbol);
      },
      bar: () => {},
      flush: () => {},
      decodeError: () => {},
    };
  }
}

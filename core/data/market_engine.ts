/**
 * The market-data half of the engine loop: books, quotes, bars and staleness per instrument,
 * updated by positional calls (from the ring pump live, or directly from a backtest) and
 * published on the bus. State is updated before anything is published.
 */
import type { Bus, Channel } from "../bus/bus.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Bar, TakerSide } from "../domain/market_events.ts";
import { BarAggregator, type EmptyBarPolicy } from "./bar_aggregator.ts";
import { BarHistory } from "./bar_history.ts";
import { OrderBook } from "./order_book.ts";
import { timeframeLabel } from "./timeframe.ts";

/** Engine settings that shape market state. */
export interface MarketEngineOptions {
  /** Bar timeframes in µs, e.g. [1e6, 60e6, 300e6]. */
  readonly timeframes: readonly number[];
  readonly emptyBars: EmptyBarPolicy;
  /** Closed bars kept per instrument and timeframe for queries. */
  readonly barHistory: number;
  /** Levels kept per book side. */
  readonly maxBookLevels: number;
  /**
   * How fast feed time runs against the clock: 1 live, N for an N× replay. Bars close when the
   * extrapolated feed time (last venue time + elapsed clock time × scale) passes their end.
   */
  readonly timeScale: number;
  /** A bar closes this long (µs of feed time) after its end, to let slightly late trades in. */
  readonly closeGraceMicros: number;
}

const TAKER: readonly TakerSide[] = ["unknown", "buy", "sell"];

/** Books, bars, quotes and freshness for every instrument. */
export class MarketEngine {
  readonly books: OrderBook[];
  readonly #aggs: BarAggregator[];
  /** Closed bars per timeframe label, then per instrument; venue bars add their own timeframes. */
  readonly #history = new Map<string, BarHistory[]>();
  readonly #tfIndex = new Map<string, number>();
  /** Receive time of the last event per instrument (0 = none yet). */
  readonly lastRecv: Float64Array;
  /** Venue time of the last event per instrument (0 = none yet). */
  readonly lastVenue: Float64Array;
  readonly lastTradePrice: Float64Array;
  readonly quoteBid: Float64Array;
  readonly quoteAsk: Float64Array;
  messagesIn = 0;
  trades = 0;
  quotes = 0;
  bookUpdates = 0;
  venueBars = 0;
  #lastTf = "";
  #lastHistory: BarHistory[] | undefined;
  readonly #barChannel: Channel<"market.bar">;
  /** Venue bars that arrived out of order or repeated a held one (backfills). */
  venueBarsInserted = 0;
  crossedBooks = 0;
  #lastVenue = 0;
  #lastRecvAny = 0;
  readonly #tradeTaps: Array<(inst: number, price: number, size: number) => void> = [];
  readonly #bookTaps: Array<(inst: number) => void> = [];

  /** Creates state for every instrument in `instruments`. */
  constructor(
    readonly instruments: InstrumentTable,
    readonly bus: Bus,
    readonly options: MarketEngineOptions,
  ) {
    const n = instruments.size;
    this.#barChannel = bus.channel("market.bar");
    options.timeframes.forEach((tf, i) => {
      this.#tfIndex.set(timeframeLabel(tf), i);
      this.#historyFor(timeframeLabel(tf));
    });
    this.books = instruments.list().map((inst) =>
      new OrderBook(inst.symbol, options.maxBookLevels)
    );
    this.#aggs = instruments.list().map((inst) =>
      new BarAggregator(
        inst.symbol,
        options.timeframes,
        options.emptyBars,
        (bar) => this.#onBar(inst.index, bar),
      )
    );
    this.lastRecv = new Float64Array(n);
    this.lastVenue = new Float64Array(n);
    this.lastTradePrice = new Float64Array(n);
    this.quoteBid = new Float64Array(n);
    this.quoteAsk = new Float64Array(n);
  }

  /** Applies a trade: bars first, then market.trade. */
  onTrade(
    inst: number,
    price: number,
    size: number,
    tradeId: number,
    taker: number,
    ts: number,
    recv: number,
  ): void {
    this.#touch(inst, ts, recv);
    this.trades++;
    this.lastTradePrice[inst] = price;
    this.#aggs[inst]!.onTrade(price, size, ts, recv);
    for (let i = 0; i < this.#tradeTaps.length; i++) this.#tradeTaps[i]!(inst, price, size);
    if (this.bus.hasSubscribers("market.trade")) {
      this.bus.publish("market.trade", {
        symbol: this.books[inst]!.symbol,
        price,
        size,
        tradeId,
        takerSide: TAKER[taker] ?? "unknown",
        venueTime: ts,
        recvTime: recv,
      });
    }
  }

  /** Applies a top-of-book quote and publishes market.quote. */
  onQuote(
    inst: number,
    bidPx: number,
    bidSz: number,
    askPx: number,
    askSz: number,
    ts: number,
    recv: number,
  ): void {
    this.#touch(inst, ts, recv);
    this.quotes++;
    this.quoteBid[inst] = bidPx;
    this.quoteAsk[inst] = askPx;
    if (this.bus.hasSubscribers("market.quote")) {
      this.bus.publish("market.quote", {
        symbol: this.books[inst]!.symbol,
        bidPrice: bidPx,
        bidSize: bidSz,
        askPrice: askPx,
        askSize: askSz,
        venueTime: ts,
        recvTime: recv,
      });
    }
  }

  /**
   * Applies one book level (side 0 bid, 1 ask; size 0 removes). `reset` clears the book first;
   * `end` marks the last level of a venue message, after which market.book is published once.
   */
  onBookLevel(
    inst: number,
    side: number,
    price: number,
    size: number,
    reset: boolean,
    end: boolean,
    ts: number,
    recv: number,
  ): void {
    this.#touch(inst, ts, recv);
    this.bookUpdates++;
    const book = this.books[inst]!;
    if (reset) book.clear();
    if (price > 0) book.apply(side, price, size);
    book.venueTime = ts;
    book.recvTime = recv;
    if (!end) return;
    const crossed = book.isCrossed();
    if (crossed) this.crossedBooks++;
    for (let i = 0; i < this.#bookTaps.length; i++) this.#bookTaps[i]!(inst);
    if (this.bus.hasSubscribers("market.book")) {
      this.bus.publish("market.book", {
        symbol: book.symbol,
        bestBid: book.bestBid(),
        bestBidSize: book.bestBidSize(),
        bestAsk: book.bestAsk(),
        bestAskSize: book.bestAskSize(),
        crossed,
        venueTime: ts,
        recvTime: recv,
      });
    }
  }

  /**
   * Adds an engine-internal listener called on every trade with positional arguments: no message
   * object is built, unlike a bus subscription (the sim venue's matching and portfolio marks use it).
   */
  addTradeTap(fn: (inst: number, price: number, size: number) => void): void {
    this.#tradeTaps.push(fn);
  }

  /** Adds an engine-internal listener called after each complete book update. */
  addBookTap(fn: (inst: number) => void): void {
    this.#bookTaps.push(fn);
  }

  /**
   * Accepts a bar delivered by the venue (replayed files, venue bar streams, REST backfills). A bar
   * older than the newest held (a backfill racing newer bars) or repeating one is put in its place
   * in history but not published: strategies see every timeframe's bars in time order, once.
   */
  onVenueBar(inst: number, bar: Bar): void {
    this.#touch(inst, bar.venueTime, bar.recvTime);
    this.venueBars++;
    const history = this.#historyFor(bar.timeframe)[inst]!;
    if (bar.start <= history.newestStart) {
      history.insert(bar);
      this.venueBarsInserted++;
      return;
    }
    history.push(bar);
    if (this.#barChannel.active) this.#barChannel.publish(bar);
  }

  /**
   * Puts past closed bars (a strategy's warm-up, loaded from the venue before the feed starts)
   * into history in time order without publishing them: subscribers see live bars only.
   */
  loadHistory(inst: number, bars: readonly Bar[]): void {
    for (const bar of bars) this.#historyFor(bar.timeframe)[inst]!.insert(bar);
  }

  /** Closes bars whose interval has ended by the feed clock; call periodically with the engine clock. */
  onTime(now: number): void {
    const feedNow = this.feedTime(now) - this.options.closeGraceMicros;
    for (let i = 0; i < this.#aggs.length; i++) this.#aggs[i]!.onTime(feedNow, now);
  }

  /** The feed's time extrapolated to clock time `now` (see MarketEngineOptions.timeScale). */
  feedTime(now: number): number {
    if (this.#lastRecvAny === 0) return now;
    return this.#lastVenue + Math.max(0, now - this.#lastRecvAny) * this.options.timeScale;
  }

  /** Closed bars of `symbol` at `timeframe`, oldest first; undefined for an unknown timeframe. */
  bars(inst: number, timeframe: string, limit: number): Bar[] | undefined {
    const h = this.#history.get(timeframe);
    return h === undefined ? undefined : h[inst]!.last(limit);
  }

  /** Closed bars of `timeframe` the instrument has had (history keeps only the last ones). */
  closedBars(inst: number, timeframe: string): number {
    return this.#history.get(timeframe)?.[inst]?.appended ?? 0;
  }

  /** The unfinished bar of `timeframe`, if one is open. */
  partialBar(inst: number, timeframe: string, now: number): Bar | undefined {
    const i = this.#tfIndex.get(timeframe);
    return i === undefined ? undefined : this.#aggs[inst]!.partial(i, now);
  }

  /** Timeframe labels with bars: configured ones first, then any a venue delivered. */
  timeframes(): string[] {
    return [...this.#history.keys()];
  }

  /** Trades left out of bars because they arrived after their bucket closed. */
  lateTrades(): number {
    return this.#aggs.reduce((n, a) => n + a.lateTrades, 0);
  }

  /** Book levels ignored at the per-side cap. */
  ignoredBookLevels(): number {
    return this.books.reduce((n, b) => n + b.ignoredLevels, 0);
  }

  /** Symbols with no update for longer than `staleMicros` at `now` (never updated counts from `since`). */
  staleSymbols(now: number, staleMicros: number, since: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.lastRecv.length; i++) {
      const last = this.lastRecv[i]! || since;
      if (now - last > staleMicros) out.push(this.books[i]!.symbol);
    }
    return out;
  }

  #touch(inst: number, ts: number, recv: number): void {
    this.messagesIn++;
    this.lastRecv[inst] = recv;
    this.lastVenue[inst] = ts;
    if (ts > this.#lastVenue) {
      this.#lastVenue = ts;
      this.#lastRecvAny = recv;
    }
  }

  #historyFor(timeframe: string): BarHistory[] {
    // Consecutive bars nearly always share a timeframe: skip the map lookup then.
    if (timeframe === this.#lastTf) return this.#lastHistory!;
    let h = this.#history.get(timeframe);
    if (h === undefined) {
      h = this.instruments.list().map((inst) =>
        new BarHistory(inst.symbol, timeframe, this.options.barHistory)
      );
      this.#history.set(timeframe, h);
    }
    this.#lastTf = timeframe;
    this.#lastHistory = h;
    return h;
  }

  #onBar(inst: number, bar: Bar): void {
    this.#historyFor(bar.timeframe)[inst]!.push(bar);
    if (this.#barChannel.active) this.#barChannel.publish(bar);
  }
}

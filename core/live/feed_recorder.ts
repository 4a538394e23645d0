/**
 * Records what the feed delivered to the engine, as JSON lines the replay venue and the backtester
 * read back: the bars strategies warmed up on, every trade, and the top of book (as a quote row) whenever it changes — from the
 * book where the venue sends depth, from its quotes where it does not. Times are the
 * venue's, so a replay rebuilds the same bars. Lines are buffered and written on a timer of the
 * injected clock, never on the engine's hot path; a write failure stops recording and is logged.
 */
import type { Clock, TimerId } from "../clock/clock.ts";
import type { MarketEngine } from "../data/market_engine.ts";
import { pow10 } from "../domain/fixed_point.ts";
import { formatPrice, formatQty, type InstrumentTable } from "../domain/instrument.ts";
import type { Bar } from "../domain/market_events.ts";
import { formatRfc3339Micros } from "../domain/timestamp.ts";

const FLUSH_MS = 200;

/** Appends the engine's trades and top-of-book changes to a JSON-lines file. */
export class FeedRecorder {
  #lines: string[] = [];
  #writing: Promise<void> = Promise.resolve();
  #timer: TimerId | undefined;
  #failed = false;
  /** Lines recorded. */
  lines = 0;
  readonly #top: Float64Array;

  private constructor(
    readonly file: Deno.FsFile,
    readonly deps: {
      readonly market: MarketEngine;
      readonly instruments: InstrumentTable;
      readonly clock: Clock;
      readonly log: (line: string) => void;
    },
  ) {
    this.#top = new Float64Array(deps.instruments.size * 4);
  }

  /**
   * Creates (or truncates) `path` and starts recording from the engine's next event. `history`:
   * the bars strategies warmed up on (loaded from the venue, never published), written first as
   * bar rows, so a backtest of the file from its first trade warms up on the same bars.
   */
  static async start(
    path: string,
    deps: FeedRecorder["deps"],
    history: readonly Bar[] = [],
  ): Promise<FeedRecorder> {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const r = new FeedRecorder(file, deps);
    const { market, instruments } = deps;
    for (const b of [...history].sort((x, y) => x.end - y.end)) {
      const inst = instruments.get(b.symbol)!;
      const vwap = Number.isFinite(b.vwap) ? `,"vwap":${b.vwap / pow10(inst.priceDecimals)}` : "";
      r.#add(
        `{"type":"bar","symbol":"${inst.symbol}","timeframe":"${b.timeframe}","timestamp":"${
          formatRfc3339Micros(b.start)
        }","open":"${formatPrice(inst, b.open)}","high":"${formatPrice(inst, b.high)}","low":"${
          formatPrice(inst, b.low)
        }","close":"${formatPrice(inst, b.close)}","volume":"${
          formatQty(inst, b.volume)
        }"${vwap},"trade_count":${b.tradeCount}}`,
      );
    }
    market.addTradeTap((i, price, size) => {
      const inst = instruments.at(i);
      r.#add(
        `{"type":"trade","symbol":"${inst.symbol}","timestamp":"${
          formatRfc3339Micros(market.lastVenue[i]!)
        }","price":"${formatPrice(inst, price)}","size":"${formatQty(inst, size)}"}`,
      );
    });
    market.addBookTap((i) => {
      const book = market.books[i]!, top = r.#top, o = i * 4;
      const bid = book.bestBid(), bidSz = book.bestBidSize();
      const ask = book.bestAsk(), askSz = book.bestAskSize();
      if (top[o] === bid && top[o + 1] === bidSz && top[o + 2] === ask && top[o + 3] === askSz) {
        return;
      }
      top[o] = bid, top[o + 1] = bidSz, top[o + 2] = ask, top[o + 3] = askSz;
      if (bid <= 0 || ask <= 0) return; // a one-sided book is not a quote
      const inst = instruments.at(i);
      r.#add(
        `{"type":"quote","symbol":"${inst.symbol}","timestamp":"${
          formatRfc3339Micros(market.lastVenue[i]!)
        }","bid_price":"${formatPrice(inst, bid)}","bid_size":"${formatQty(inst, bidSz)}",` +
          `"ask_price":"${formatPrice(inst, ask)}","ask_size":"${formatQty(inst, askSz)}"}`,
      );
    });
    // Venues without depth (Alpaca stocks) deliver quotes, not book levels.
    market.bus.subscribe("market.quote", (q) => {
      const inst = instruments.get(q.symbol)!;
      // A venue with depth reports its top through the book (recorded above): once, not twice.
      if (market.books[inst.index]!.bestBid() > 0 || market.books[inst.index]!.bestAsk() > 0) {
        return;
      }
      r.#add(
        `{"type":"quote","symbol":"${inst.symbol}","timestamp":"${
          formatRfc3339Micros(q.venueTime)
        }","bid_price":"${formatPrice(inst, q.bidPrice)}","bid_size":"${
          formatQty(inst, q.bidSize)
        }","ask_price":"${formatPrice(inst, q.askPrice)}","ask_size":"${
          formatQty(inst, q.askSize)
        }"}`,
      );
    });
    r.#timer = deps.clock.setInterval(FLUSH_MS, () => r.#flush());
    return r;
  }

  /** Writes what is buffered and closes the file. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) this.deps.clock.clearTimer(this.#timer);
    this.#flush();
    await this.#writing;
    this.file.close();
  }

  #add(line: string): void {
    if (this.#failed) return;
    this.#lines.push(line);
    this.lines++;
  }

  #flush(): void {
    if (this.#lines.length === 0 || this.#failed) return;
    const chunk = new TextEncoder().encode(this.#lines.join("\n") + "\n");
    this.#lines = [];
    this.#writing = this.#writing.then(async () => {
      for (let off = 0; off < chunk.length;) off += await this.file.write(chunk.subarray(off));
    }).catch((e) => {
      this.#failed = true;
      this.deps.log(`feed recording stopped: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}

/**
 * L2 order book with integer prices. Each side is a sorted pair of Float64Arrays holding the best
 * level at the END, so the common update (at or near the top) shifts few elements and the best
 * price is one read. Keys are price for bids and -price for asks, so both sides share one sorted
 * ascending implementation.
 */
import type { BookLevel } from "../domain/market_events.ts";

const INITIAL_LEVELS = 32;

/** One side of a book: keys ascending, best at the end. */
class BookSide {
  keys: Float64Array = new Float64Array(INITIAL_LEVELS);
  sizes: Float64Array = new Float64Array(INITIAL_LEVELS);
  n = 0;

  constructor(readonly sign: 1 | -1, readonly maxLevels: number) {}

  /** Sets the size at `price`; 0 removes. Returns false when a level had to be ignored (cap). */
  set(price: number, size: number): boolean {
    const key = this.sign * price;
    const keys = this.keys;
    // Search from the top: most updates touch the first few levels.
    let i = this.n - 1;
    if (i >= 8) {
      let lo = 0, hi = this.n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const k = keys[mid]!;
        if (k < key) lo = mid + 1;
        else if (k > key) hi = mid - 1;
        else {
          lo = mid;
          break;
        }
      }
      i = lo; // first index with keys[i] >= key
    } else {
      while (i >= 0 && keys[i]! > key) i--;
      if (i < 0 || keys[i] !== key) i++;
    }
    if (i < this.n && keys[i] === key) {
      if (size > 0) {
        this.sizes[i] = size;
      } else {
        keys.copyWithin(i, i + 1, this.n);
        this.sizes.copyWithin(i, i + 1, this.n);
        this.n--;
      }
      return true;
    }
    if (size <= 0) return true; // removing an absent level is a no-op
    if (this.n === this.maxLevels) {
      // Full: keep the best levels. Index 0 is the worst.
      if (i === 0) return false;
      keys.copyWithin(0, 1, i);
      this.sizes.copyWithin(0, 1, i);
      keys[i - 1] = key;
      this.sizes[i - 1] = size;
      return false;
    }
    if (this.n === keys.length) this.#grow();
    const k = this.keys, s = this.sizes;
    k.copyWithin(i + 1, i, this.n);
    s.copyWithin(i + 1, i, this.n);
    k[i] = key;
    s[i] = size;
    this.n++;
    return true;
  }

  bestPrice(): number {
    return this.n === 0 ? 0 : this.sign * this.keys[this.n - 1]!;
  }

  bestSize(): number {
    return this.n === 0 ? 0 : this.sizes[this.n - 1]!;
  }

  /** Price at depth `i` (0 = best). */
  priceAt(i: number): number {
    return this.sign * this.keys[this.n - 1 - i]!;
  }

  sizeAt(i: number): number {
    return this.sizes[this.n - 1 - i]!;
  }

  #grow(): void {
    const cap = Math.min(this.keys.length * 2, this.maxLevels);
    const k = new Float64Array(cap), s = new Float64Array(cap);
    k.set(this.keys);
    s.set(this.sizes);
    this.keys = k;
    this.sizes = s;
  }
}

/** An L2 book for one instrument. Prices and sizes are integer units of the instrument. */
export class OrderBook {
  readonly #bids: BookSide;
  readonly #asks: BookSide;
  /** Levels ignored because a side reached `maxLevels` (worse than every kept level). */
  ignoredLevels = 0;
  /** Venue time of the last applied update, epoch µs. */
  venueTime = 0;
  /** Receive time of the last applied update, epoch µs. */
  recvTime = 0;

  /**
   * Creates an empty book keeping at most `maxLevels` per side.
   * @example
   * ```ts
   * import { OrderBook } from "./order_book.ts";
   * const book = new OrderBook("AAPL");
   * book.apply(0, 1872500, 100); // bid 187.25 x 100 (price units 10^-4)
   * book.apply(1, 1872600, 200); // ask 187.26 x 200
   * book.spread(); // 100
   * ```
   */
  constructor(readonly symbol: string, readonly maxLevels = 5000) {
    if (!Number.isInteger(maxLevels) || maxLevels < 1) {
      throw new RangeError(`maxLevels must be >= 1, got ${maxLevels}`);
    }
    this.#bids = new BookSide(1, maxLevels);
    this.#asks = new BookSide(-1, maxLevels);
  }

  /** Sets a level: side 0 = bid, 1 = ask; size 0 removes the level. */
  apply(side: number, price: number, size: number): void {
    const ok = (side === 0 ? this.#bids : this.#asks).set(price, size);
    if (!ok) this.ignoredLevels++;
  }

  /** Empties both sides (a venue reset or snapshot start). */
  clear(): void {
    this.#bids.n = 0;
    this.#asks.n = 0;
  }

  /** Best bid price in units, 0 when there is no bid. */
  bestBid(): number {
    return this.#bids.bestPrice();
  }

  /** Size at the best bid, 0 when there is no bid. */
  bestBidSize(): number {
    return this.#bids.bestSize();
  }

  /** Best ask price in units, 0 when there is no ask. */
  bestAsk(): number {
    return this.#asks.bestPrice();
  }

  /** Size at the best ask, 0 when there is no ask. */
  bestAskSize(): number {
    return this.#asks.bestSize();
  }

  /** Number of bid levels. */
  bidLevels(): number {
    return this.#bids.n;
  }

  /** Number of ask levels. */
  askLevels(): number {
    return this.#asks.n;
  }

  /** Ask − bid in units; NaN unless both sides exist. */
  spread(): number {
    return this.#bids.n > 0 && this.#asks.n > 0
      ? this.#asks.bestPrice() - this.#bids.bestPrice()
      : NaN;
  }

  /** Mid price in units (may be a half unit); NaN unless both sides exist. */
  mid(): number {
    return this.#bids.n > 0 && this.#asks.n > 0
      ? (this.#asks.bestPrice() + this.#bids.bestPrice()) / 2
      : NaN;
  }

  /** True when the best bid is above the best ask: the book is wrong or a message was missed. */
  isCrossed(): boolean {
    return this.#bids.n > 0 && this.#asks.n > 0 && this.#bids.bestPrice() > this.#asks.bestPrice();
  }

  /** True when best bid equals best ask. */
  isLocked(): boolean {
    return this.#bids.n > 0 && this.#asks.n > 0 &&
      this.#bids.bestPrice() === this.#asks.bestPrice();
  }

  /** Price at depth `i` (0 = best) of `side` (0 bid, 1 ask); undefined past the last level. */
  levelPrice(side: number, i: number): number | undefined {
    const s = side === 0 ? this.#bids : this.#asks;
    return i < s.n ? s.priceAt(i) : undefined;
  }

  /** Size at depth `i` (0 = best) of `side` (0 bid, 1 ask); 0 past the last level. */
  levelSize(side: number, i: number): number {
    const s = side === 0 ? this.#bids : this.#asks;
    return i < s.n ? s.sizeAt(i) : 0;
  }

  /** The best `depth` levels of each side, best first (allocates: for HTTP and snapshots). */
  depth(depth: number): { bids: BookLevel[]; asks: BookLevel[] } {
    const take = (s: BookSide): BookLevel[] => {
      const n = Math.min(depth, s.n);
      const out: BookLevel[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = { price: s.priceAt(i), size: s.sizeAt(i) };
      return out;
    };
    return { bids: take(this.#bids), asks: take(this.#asks) };
  }
}

/**
 * The simulator's own L2 book for one symbol: `depth` levels per side on a tick grid around the
 * top, kept in typed arrays and re-centred in place, plus the last state sent to the feed so each
 * step sends only the levels that changed (Alpaca "o" message semantics: size 0 removes a level).
 * Allocation-free apart from the message text, so 1,000 symbols at full rate stay cheap.
 */

/** One side's levels, best first; size 0 marks an absent level. */
class SimSide {
  readonly px: Float64Array;
  readonly sz: Float64Array;
  readonly sentPx: Float64Array;
  readonly sentSz: Float64Array;
  sentN = 0;
  readonly #scratch: Float64Array;
  #tick = 0;

  /** `dir` is −1 for bids (prices fall away from the top) and +1 for asks. */
  constructor(readonly dir: -1 | 1, readonly depth: number) {
    this.px = new Float64Array(depth);
    this.sz = new Float64Array(depth);
    this.sentPx = new Float64Array(depth);
    this.sentSz = new Float64Array(depth);
    this.#scratch = new Float64Array(depth);
  }

  /** Moves the top to `best`, keeping the size of every price that stays in the book. */
  recenter(best: number, tick: number, randomSize: () => number): void {
    const d = this.depth, old = this.px[0]!, sz = this.sz, out = this.#scratch;
    const shift = this.#tick === tick && old > 0 ? (best - old) / (this.dir * tick) : NaN;
    for (let j = 0; j < d; j++) {
      const p = best + this.dir * j * tick;
      const k = j + shift;
      const kept = k >= 0 && k < d ? sz[k]! : 0;
      out[j] = p <= 0 ? 0 : kept > 0 ? kept : randomSize();
      this.px[j] = p;
    }
    sz.set(out);
    this.#tick = tick;
  }

  /** Index of the best level with size, or −1. */
  bestIndex(): number {
    for (let j = 0; j < this.depth; j++) if (this.sz[j]! > 0) return j;
    return -1;
  }

  /** Appends `{"p":..,"s":..}` items for every change since the last call, then records the state as sent. */
  diff(priceScale: number, qtyScale: number): string {
    let out = "";
    const put = (p: number, s: number) => {
      out += (out === "" ? "" : ",") + '{"p":' + p / priceScale + ',"s":' + s / qtyScale + "}";
    };
    // Both lists are ordered best first, so key = dir·price ascends in both: a merge walk.
    const d = this.depth,
      px = this.px,
      sz = this.sz,
      sp = this.sentPx,
      ss = this.sentSz,
      dir = this.dir;
    let i = 0, k = 0;
    for (;;) {
      while (i < d && sz[i]! <= 0) i++;
      if (i >= d && k >= this.sentN) break;
      if (k >= this.sentN || (i < d && dir * px[i]! < dir * sp[k]!)) {
        put(px[i]!, sz[i]!);
        i++;
      } else if (i >= d || dir * px[i]! > dir * sp[k]!) {
        put(sp[k]!, 0);
        k++;
      } else {
        if (sz[i] !== ss[k]) put(px[i]!, sz[i]!);
        i++;
        k++;
      }
    }
    let n = 0;
    for (let j = 0; j < d; j++) {
      if (sz[j]! > 0) {
        sp[n] = px[j]!;
        ss[n] = sz[j]!;
        n++;
      }
    }
    this.sentN = n;
    return out;
  }

  /** Forgets what was sent, so the next diff sends the whole side. */
  resetSent(): void {
    this.sentN = 0;
  }
}

/** Both sides of one simulated book. */
export class SimBook {
  readonly bids: SimSide;
  readonly asks: SimSide;
  /** True until the first message; that one is sent as a reset (a full snapshot). */
  fresh = true;

  /** A book of `depth` levels per side. */
  constructor(depth: number) {
    this.bids = new SimSide(-1, depth);
    this.asks = new SimSide(1, depth);
  }

  /** The `"b":[..],"a":[..]` body of an "o" message with the changes, or "" when nothing changed. */
  diffBody(priceScale: number, qtyScale: number): string {
    const b = this.bids.diff(priceScale, qtyScale), a = this.asks.diff(priceScale, qtyScale);
    if (b === "" && a === "") return "";
    return '"b":[' + b + '],"a":[' + a + "]";
  }

  /** Forgets what was sent (a symbol being unsubscribed); the next message is a full reset. */
  resetSent(): void {
    this.bids.resetSent();
    this.asks.resetSent();
    this.fresh = true;
  }
}

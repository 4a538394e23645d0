/**
 * The set of client order ids a backtest venue has accepted (private to core/backtest), so a
 * reused id is refused among millions. Ids of the form `<prefix><n>` (what RunOrderIds makes:
 * `bt-1`, `bt-2`, ...) are kept as bits, the prefix being that of the first such id; any other
 * id goes to a hashed TextColumn. A hash lookup in a table larger than the cache is a miss to
 * main memory per id (170 ns a random load on this host), where a bit of a sequential run of
 * numbers stays in cache: 512 orders share one 64-byte line.
 */
import { TextColumn } from "./_text_column.ts";

// Numbers kept as bits up to 2^26 (8 MB of bits); larger ones go to the column.
const MAX_BIT = 1 << 26;

/** Client order ids seen, tested for membership exactly. */
export class OrderIdSet {
  #prefix: string | undefined;
  #bits = new Int32Array(256);
  readonly #others = new TextColumn(true);
  #size = 0;

  /** Ids added. */
  get size(): number {
    return this.#size;
  }

  /** Adds `id` (adding one already held changes nothing but `size`). */
  add(id: string): void {
    this.#size++;
    const n = this.#numbered(id, true);
    if (n < 0) {
      this.#others.push(id);
      return;
    }
    let bits = this.#bits;
    if (n >>> 5 >= bits.length) {
      let len = bits.length * 2;
      while (n >>> 5 >= len) len *= 2;
      const grown = new Int32Array(len);
      grown.set(bits);
      bits = this.#bits = grown;
    }
    bits[n >>> 5]! |= 1 << (n & 31);
  }

  /** True when `id` was added. */
  has(id: string): boolean {
    const n = this.#numbered(id, false);
    if (n < 0) return this.#others.indexOf(id) >= 0;
    const w = n >>> 5;
    return w < this.#bits.length && (this.#bits[w]! & (1 << (n & 31))) !== 0;
  }

  /**
   * The number of an id `<prefix><digits>` (digits without a leading zero, below MAX_BIT), else
   * -1. Which ids are numbered depends only on the id and the prefix, fixed by the first numbered
   * id added (`adopt`), so add and has always file an id in the same place.
   */
  #numbered(id: string, adopt: boolean): number {
    const len = id.length;
    let k = len;
    while (k > 0) {
      const c = id.charCodeAt(k - 1);
      if (c < 48 || c > 57) break;
      k--;
    }
    const digits = len - k;
    if (digits === 0 || digits > 8 || (digits > 1 && id.charCodeAt(k) === 48)) return -1;
    let prefix = this.#prefix;
    if (prefix === undefined) {
      if (!adopt) return -1;
      prefix = this.#prefix = id.slice(0, k);
    }
    if (k !== prefix.length || !id.startsWith(prefix)) return -1;
    let n = 0;
    for (let j = k; j < len; j++) n = n * 10 + id.charCodeAt(j) - 48;
    return n < MAX_BIT ? n : -1;
  }
}

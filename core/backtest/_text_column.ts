/**
 * Strings kept end to end in fixed-size byte buffers (private to core/backtest). A backtest
 * records ids of every order and fill, hundreds of thousands of them. Kept as strings, each is a
 * heap object that the collector copies until it is promoted: 250–500 ns per id on the order
 * path, measured on this host. Here an id costs its characters and one offset, and a full buffer
 * is never copied: growing by doubling measured three times slower per id. A string whose code
 * units all fit a byte (ids are ASCII) takes a byte a character; any other, two (UTF-16). Bytes
 * count: a fresh page of memory cost 11–14 µs to fault in on this host on 2026-12-02 (1.3 µs on
 * 12-03).
 */

// Bytes a buffer holds (64 KB), and ends per offsets buffer (32 KB): small enough that a short
// run does not pay for a long one's buffers.
const CHUNK = 1 << 16;
const ENDS = 1 << 12;
// An end is stored as chunk × SPAN + offset: exact in a double, whatever a chunk's length; a
// two-byte string's end is stored as -(that + 1).
const SPAN = 2 ** 32;

/** 32-bit FNV-1a over the UTF-16 code units of `s`. */
export function idHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Strings appended and read back by index; found by value through a hash index if asked. */
export class TextColumn {
  readonly #chunks: Uint8Array[] = [];
  #chunk = new Uint8Array(0);
  #used = 0;
  /** Per string: where it ends (see SPAN); its start is the previous end's, even if two-byte. */
  readonly #ends: Float64Array[] = [];
  #endsChunk = new Float64Array(0);
  #size = 0;
  /**
   * The hash index (indexed columns only): per slot the newest string whose idHash lands there,
   * per string its hash and the string before it in the same slot (-1: none).
   */
  // Plain arrays grown by doubling with the slots (a rehash rebuilds the links anyway): a lookup is
  // a few typed-array loads, with no bounds check or chunk arithmetic per step.
  #heads: Int32Array | undefined;
  #hashes = new Int32Array(0);
  #next = new Int32Array(0);
  // The last string indexOf missed, and its hash: the usual sequence is indexOf(s) (is it new?)
  // then push(s), which reuses the hash.
  #missed: string | undefined;
  #missedHash = 0;

  /** `indexed`: indexOf finds a string in O(1) (at 16 to 32 more bytes a string), not by a scan. */
  constructor(indexed = false) {
    if (!indexed) return;
    this.#heads = new Int32Array(1024).fill(-1);
    this.#hashes = new Int32Array(512);
    this.#next = new Int32Array(512);
  }

  /** Strings held. */
  get size(): number {
    return this.#size;
  }

  /** Appends `s`. */
  push(s: string): void {
    const n = s.length;
    let at = this.#used;
    if (at + n > this.#chunk.length || this.#chunks.length === 0) at = this.#newChunk(n);
    // Copied as one byte a unit, the usual case, until a unit does not fit one.
    const chunk = this.#chunk;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) break;
      chunk[at + i] = c;
    }
    let wide = false;
    if (i === n) {
      at += n;
    } else {
      // Two bytes a unit, from an even offset (read back through a Uint16Array view).
      wide = true;
      at += at & 1;
      if (at + 2 * n > this.#chunk.length) at = this.#newChunk(2 * n);
      new Uint16Array(this.#chunk.buffer, at, n).set(codeUnits(s));
      at += 2 * n;
    }
    this.#used = at;
    const slot = this.#size & (ENDS - 1);
    if (slot === 0) this.#ends.push(this.#endsChunk = new Float64Array(ENDS));
    const end = (this.#chunks.length - 1) * SPAN + at;
    this.#endsChunk[slot] = wide ? -end - 1 : end;
    this.#size++;
    if (this.#heads !== undefined) this.#index(s);
  }

  /** Starts a chunk that holds `bytes` (a string never spans two); returns its first offset. */
  #newChunk(bytes: number): number {
    this.#chunk = new Uint8Array(Math.max(CHUNK, bytes));
    this.#chunks.push(this.#chunk);
    return 0;
  }

  /** The string at index `i` (0 ≤ i < size). */
  at(i: number): string {
    if (!(Number.isInteger(i) && i >= 0 && i < this.#size)) {
      throw new RangeError(`No string at index ${i}`);
    }
    const units = this.#units(i);
    let out = "";
    // fromCharCode takes its code units as arguments: in slices, so a long string cannot overflow
    // the call's argument limit.
    for (let p = 0; p < units.length; p += 4096) {
      out += String.fromCharCode(...units.subarray(p, Math.min(units.length, p + 4096)));
    }
    return out;
  }

  /**
   * Index of a string equal to `s`, or -1: through the hash index (the newest such string), else
   * by a scan (the oldest).
   */
  indexOf(s: string): number {
    const heads = this.#heads;
    if (heads !== undefined) {
      const h = idHash(s);
      const hashes = this.#hashes, next = this.#next;
      for (let i = heads[h & (heads.length - 1)]!; i >= 0; i = next[i]!) {
        if (hashes[i] === h && this.#equals(i, s)) return i;
      }
      this.#missed = s;
      this.#missedHash = h;
      return -1;
    }
    for (let i = 0; i < this.#size; i++) if (this.#equals(i, s)) return i;
    return -1;
  }

  #equals(i: number, s: string): boolean {
    const units = this.#units(i);
    const n = s.length;
    if (units.length !== n) return false;
    let k = 0;
    while (k < n && units[k] === s.charCodeAt(k)) k++;
    return k === n;
  }

  /** Adds the string just pushed, `s`, to the hash index; doubles the slots at half full. */
  #index(s: string): void {
    const i = this.#size - 1, h = s === this.#missed ? this.#missedHash : idHash(s);
    this.#missed = undefined;
    let heads = this.#heads!;
    if (this.#size > heads.length / 2) {
      heads = this.#heads = new Int32Array(heads.length * 2).fill(-1);
      const hashes = new Int32Array(heads.length / 2);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
      this.#next = new Int32Array(heads.length / 2);
      for (let j = 0; j < i; j++) this.#link(heads, j);
    }
    this.#hashes[i] = h;
    this.#link(heads, i);
  }

  #link(heads: Int32Array, i: number): void {
    const slot = this.#hashes[i]! & (heads.length - 1);
    this.#next[i] = heads[slot]!;
    heads[slot] = i;
  }

  /** The code units of string `i`: a view of its bytes, one or two a unit. */
  #units(i: number): Uint8Array | Uint16Array {
    const e = this.#endAt(i), wide = e < 0, end = wide ? -e - 1 : e;
    const chunk = Math.floor(end / SPAN);
    let start = 0;
    if (i > 0) {
      const p = this.#endAt(i - 1), prev = p < 0 ? -p - 1 : p;
      // The previous string ended in another chunk: this one starts its chunk.
      if (Math.floor(prev / SPAN) === chunk) start = prev - chunk * SPAN;
    }
    const bytes = this.#chunks[chunk]!, to = end - chunk * SPAN;
    if (!wide) return bytes.subarray(start, to);
    start += start & 1;
    return new Uint16Array(bytes.buffer, start, (to - start) / 2);
  }

  #endAt(i: number): number {
    return this.#ends[Math.floor(i / ENDS)]![i & (ENDS - 1)]!;
  }
}

/** The UTF-16 code units of `s`. */
function codeUnits(s: string): Uint16Array {
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

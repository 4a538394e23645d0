/**
 * Which string ids have been seen, without a Map of every one (private to core/backtest). The
 * backtest venue must refuse a reused client order id among all the orders of a run, hundreds of
 * thousands; inserting each into a Map that large misses the caches on every insert and keeps a
 * table entry per order. This keeps 32-bit FNV-1a hashes in an open-addressing table of integers
 * instead (8 bytes an id): `mayHave` is exact when it says no, and a yes (a reuse, or two ids
 * sharing a hash) is for the caller to confirm.
 */

const EMPTY = 0;

/** 32-bit FNV-1a over the UTF-16 code units of `s`; never 0 (0 marks an empty slot). */
export function idHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h === EMPTY ? 1 : h | 0;
}

/** A set of id hashes: "surely never added" or "maybe added". */
export class IdHashSet {
  #slots = new Int32Array(1024);
  #size = 0;
  // The last miss: its id, and the empty slot where the id goes. The usual call sequence is
  // mayHave(id) then add(id) for the same id, and the table is large enough that a probe misses
  // the caches: add() then reuses the hash and the slot instead of probing again.
  #missId: string | undefined = undefined;
  #missHash = 0;
  #missSlot = 0;

  /** `hash` maps an id to a non-zero 32-bit integer (tests pass a colliding one). */
  constructor(readonly hash: (id: string) => number = idHash) {}

  /** Hashes held (an id added twice counts once). */
  get size(): number {
    return this.#size;
  }

  /** False when `id` was surely never added; true when it may have been. */
  mayHave(id: string): boolean {
    const h = this.hash(id) | 0, slot = this.#probe(h);
    if (slot >= 0) return true;
    this.#missId = id;
    this.#missHash = h;
    this.#missSlot = ~slot;
    return false;
  }

  /** Adds `id`. */
  add(id: string): void {
    let h: number, slot: number;
    if (id === this.#missId) {
      h = this.#missHash;
      slot = this.#missSlot;
    } else {
      h = this.hash(id) | 0;
      slot = this.#probe(h);
      if (slot >= 0) return;
      slot = ~slot;
    }
    this.#missId = undefined;
    this.#slots[slot] = h;
    if (++this.#size * 2 > this.#slots.length) this.#grow();
  }

  // The slot holding `h`, or ~(the empty slot where it would go) when it is not held.
  #probe(h: number): number {
    const slots = this.#slots, mask = slots.length - 1;
    for (let i = h & mask;; i = (i + 1) & mask) {
      const v = slots[i]!;
      if (v === h) return i;
      if (v === EMPTY) return ~i;
    }
  }

  #grow(): void {
    const old = this.#slots, next = new Int32Array(old.length * 2), mask = next.length - 1;
    for (let i = 0; i < old.length; i++) {
      const h = old[i]!;
      if (h === EMPTY) continue;
      let j = h & mask;
      while (next[j] !== EMPTY) j = (j + 1) & mask;
      next[j] = h;
    }
    this.#slots = next;
  }
}

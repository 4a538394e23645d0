/**
 * Items kept in the order added, found by key through an index built only when a lookup needs
 * it. The order books keep every order of a run (a backtest's hundreds of thousands) but look
 * done ones up rarely (a late fill, a query, a cancel of a finished order); inserting each into a
 * Map that large costs cache misses on every order, while appending to an array does not.
 */
export class LookupLog<T> {
  /** Every item, oldest first. */
  readonly items: T[] = [];
  readonly #byKey = new Map<string, T>();
  #indexed = 0;

  /** `keyOf` gives an item's key (unique per item). */
  constructor(readonly keyOf: (item: T) => string) {}

  /** Appends `item`; nothing is indexed yet. */
  push(item: T): void {
    this.items.push(item);
  }

  /** The item with `key`, indexing the items added since the last lookup first. */
  get(key: string): T | undefined {
    const items = this.items;
    for (; this.#indexed < items.length; this.#indexed++) {
      const item = items[this.#indexed]!;
      this.#byKey.set(this.keyOf(item), item);
    }
    return this.#byKey.get(key);
  }

  /** Items held. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Keeps only the items `keep` says yes to (in order) and returns the others; the index is
   * rebuilt at the next lookup. O(n): for rare trims of a long log, not per item.
   */
  retain(keep: (item: T) => boolean): T[] {
    // Kept items move down in place: the array keeps its storage, only `dropped` is new.
    const items = this.items, dropped: T[] = [];
    let n = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (keep(item)) items[n++] = item;
      else dropped.push(item);
    }
    if (dropped.length === 0) return dropped;
    while (items.length > n) items.pop();
    this.#byKey.clear();
    this.#indexed = 0;
    return dropped;
  }
}

/**
 * Open orders by key (a client order id, or the request object), oldest first. While few are open
 * (the usual case: a strategy has one or two orders working) a lookup scans the keys with ===,
 * which for the very string or object the order was sent with is one pointer compare. A V8 Map
 * costs more on the order path, measured on this host: it hashes a fresh id string on first use
 * (0.3–0.4 µs: V8 probes its string table, a cache miss or two), and a delete that empties it
 * shrinks its table through a runtime call (about 0.3 µs), which a map of one working order does
 * on every order. Past MAP_ABOVE open orders a Map takes over, so a book with thousands open still
 * finds one in O(1).
 */

import { removeAt } from "./remove_at.ts";

// A scan of this many ids costs less than one fresh hash; the gap between the two thresholds
// keeps a count that hovers around one of them from rebuilding at every order.
const MAP_ABOVE = 16;
const SCAN_BELOW = 4;

/** Open items by key, in the order added. */
export class OpenOrders<K, T> {
  // Scan mode: ids and items side by side. Map mode: #map alone (it keeps insertion order).
  readonly #ids: K[] = [];
  readonly #items: T[] = [];
  #map: Map<K, T> | undefined;

  /** Items held. */
  get size(): number {
    return this.#map === undefined ? this.#ids.length : this.#map.size;
  }

  /** The item with `id`, if held. */
  get(id: K): T | undefined {
    if (this.#map !== undefined) return this.#map.get(id);
    const ids = this.#ids;
    for (let i = 0; i < ids.length; i++) if (ids[i] === id) return this.#items[i];
    return undefined;
  }

  /** True when an item with `id` is held. */
  has(id: K): boolean {
    if (this.#map !== undefined) return this.#map.has(id);
    return this.#ids.indexOf(id) >= 0;
  }

  /** Adds `item` under `id`; throws if `id` is already held (one key, one open order). */
  add(id: K, item: T): void {
    if (this.has(id)) throw new RangeError(`Cannot add ${String(id)}: already open`);
    if (this.#map !== undefined) {
      this.#map.set(id, item);
      return;
    }
    this.#ids.push(id);
    this.#items.push(item);
    if (this.#ids.length > MAP_ABOVE) {
      this.#map = new Map();
      for (let i = 0; i < this.#ids.length; i++) this.#map.set(this.#ids[i]!, this.#items[i]!);
      this.#ids.length = 0;
      this.#items.length = 0;
    }
  }

  /** Removes the item with `id`; true when it was held. */
  delete(id: K): boolean {
    const map = this.#map;
    if (map !== undefined) {
      if (!map.delete(id)) return false;
      if (map.size < SCAN_BELOW) {
        for (const [k, v] of map) {
          this.#ids.push(k);
          this.#items.push(v);
        }
        this.#map = undefined;
      }
      return true;
    }
    const i = this.#ids.indexOf(id);
    if (i < 0) return false;
    removeAt(this.#ids, i);
    removeAt(this.#items, i);
    return true;
  }

  /** The items, oldest first: a copy, so the caller may add and delete while it walks them. */
  values(): T[] {
    return this.#map !== undefined ? [...this.#map.values()] : this.#items.slice();
  }
}

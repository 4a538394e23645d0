/**
 * K-way merge of the files' event streams in time order: a binary min-heap of sources keyed by
 * their next event's time, ties broken by file order so a replay is deterministic. A source whose
 * read-ahead runs dry leaves the heap until it has read more, because the order of what follows
 * cannot be known before its next row is.
 */
import type { ReplayEvent } from "./replay_event.ts";
import type { ReplaySource } from "./replay_source.ts";

/** The merged, time-ordered stream of several ReplaySources. */
export class MergedStream {
  readonly #heap: number[] = [];
  #pending: number[];

  /** Merges `sources`; call read() before the first peek(). */
  constructor(readonly sources: readonly ReplaySource[]) {
    this.#pending = sources.map((_, i) => i);
  }

  /** True when some source must read before the next event is known. */
  get needsRead(): boolean {
    return this.#pending.length > 0;
  }

  /** Refills the sources that ran dry (in parallel) and puts those with events back in the heap. */
  async read(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    await Promise.all(pending.map((i) => this.sources[i]!.fill()));
    for (const i of pending) if (this.sources[i]!.queue.size > 0) this.#push(i);
  }

  /** The next event in time order, undefined when every source is done; only valid after read(). */
  peek(): ReplayEvent | undefined {
    const top = this.#heap[0];
    return top === undefined ? undefined : this.sources[top]!.queue.peek();
  }

  /** Removes the event peek() returned. */
  shift(): void {
    const top = this.#heap[0];
    if (top === undefined) throw new RangeError("MergedStream is empty");
    const source = this.sources[top]!;
    source.queue.shift();
    if (source.queue.size > 0) {
      this.#siftDown(0);
      return;
    }
    this.#removeTop();
    if (!source.done) this.#pending.push(top);
  }

  #less(a: number, b: number): boolean {
    const ta = this.sources[a]!.queue.peek()!.at, tb = this.sources[b]!.queue.peek()!.at;
    return ta < tb || (ta === tb && a < b);
  }

  #push(i: number): void {
    const h = this.#heap;
    h.push(i);
    let k = h.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.#less(h[k]!, h[parent]!)) break;
      [h[k], h[parent]] = [h[parent]!, h[k]!];
      k = parent;
    }
  }

  #removeTop(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    this.#siftDown(0);
  }

  #siftDown(k: number): void {
    const h = this.#heap;
    for (;;) {
      const l = 2 * k + 1, r = l + 1;
      let m = k;
      if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
      if (m === k) return;
      [h[k], h[m]] = [h[m]!, h[k]!];
      k = m;
    }
  }
}

/** A fixed ring of reusable ReplayEvent slots: one file's parsed read-ahead. */
import { ReplayEvent } from "./replay_event.ts";

/** Bounded FIFO of event slots; a row is parsed into `slot()` and kept only if `push()`ed. */
export class EventQueue {
  readonly #slots: ReplayEvent[];
  #head = 0;
  #size = 0;

  /** Creates a queue holding at most `capacity` events. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`EventQueue capacity must be an integer >= 1, got ${capacity}`);
    }
    this.#slots = Array.from({ length: capacity }, () => new ReplayEvent());
  }

  /** Events queued. */
  get size(): number {
    return this.#size;
  }

  /** True when no slot is free. */
  get full(): boolean {
    return this.#size === this.capacity;
  }

  /** The free slot the next row is parsed into; throws when full. */
  slot(): ReplayEvent {
    if (this.full) throw new RangeError("EventQueue is full");
    return this.#slots[(this.#head + this.#size) % this.capacity]!;
  }

  /** Keeps the row last written into `slot()`. */
  push(): void {
    if (this.full) throw new RangeError("EventQueue is full");
    this.#size++;
  }

  /** The oldest event, or undefined when empty. */
  peek(): ReplayEvent | undefined {
    return this.#size === 0 ? undefined : this.#slots[this.#head];
  }

  /** The i-th queued event from the oldest (0 ≤ i < size). */
  at(i: number): ReplayEvent {
    if (i < 0 || i >= this.#size) {
      throw new RangeError(`EventQueue index ${i} out of 0..${this.#size - 1}`);
    }
    return this.#slots[(this.#head + i) % this.capacity]!;
  }

  /** Drops the oldest event; its slot is reused later. */
  shift(): void {
    if (this.#size === 0) throw new RangeError("EventQueue is empty");
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
  }

  /** Keeps, in order, only the queued events `keep` accepts; returns how many were dropped. */
  retain(keep: (ev: ReplayEvent) => boolean): number {
    let kept = 0;
    for (let k = 0; k < this.#size; k++) {
      const from = (this.#head + k) % this.capacity;
      const slot = this.#slots[from]!;
      if (!keep(slot)) continue;
      // Swap slot objects, not fields: the dropped slot moves back into the free part of the ring.
      const to = (this.#head + kept) % this.capacity;
      this.#slots[from] = this.#slots[to]!;
      this.#slots[to] = slot;
      kept++;
    }
    const dropped = this.#size - kept;
    this.#size = kept;
    return dropped;
  }
}

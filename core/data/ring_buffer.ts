/**
 * Single-producer/single-consumer ring over SharedArrayBuffer. Head and tail are free-running
 * Int32 counters (they wrap at 2^32; `(head - tail) | 0` stays exact while capacity < 2^31).
 * The producer writes records, then publishes them with one Atomics.store of the head; the
 * consumer reads, then releases them with one store of the tail. No message is copied or cloned.
 */
import { Ctl, RECORD_F64, RECORD_U32, type RingBuffers } from "./ring_layout.ts";

/** Producer side; owned by exactly one thread. */
export class RingWriter {
  readonly f64: Float64Array;
  readonly u32: Uint32Array;
  readonly ctl: Int32Array;
  readonly capacity: number;
  readonly #mask: number;
  #head: number;
  #tailCache: number;

  /** Attaches to shared buffers made by `allocateRing`. */
  constructor(buffers: RingBuffers) {
    this.f64 = new Float64Array(buffers.data);
    this.u32 = new Uint32Array(buffers.data);
    this.ctl = new Int32Array(buffers.control);
    this.capacity = buffers.capacity;
    this.#mask = buffers.capacity - 1;
    this.#head = Atomics.load(this.ctl, Ctl.Head);
    this.#tailCache = Atomics.load(this.ctl, Ctl.Tail);
  }

  /** Records that can be written before the ring is full (refreshes the consumer's tail if needed). */
  free(): number {
    let free = this.capacity - ((this.#head - this.#tailCache) | 0);
    if (free === 0) {
      this.#tailCache = Atomics.load(this.ctl, Ctl.Tail);
      free = this.capacity - ((this.#head - this.#tailCache) | 0);
    }
    return free;
  }

  /**
   * Writes one unpublished record; returns false when the ring is full. Call `commit()` to publish.
   * Positional arguments keep the hot path free of allocation.
   */
  write(
    kind: number,
    flags: number,
    inst: number,
    venueTime: number,
    recvTime: number,
    a: number,
    b: number,
    c: number,
    d: number,
    e: number,
  ): boolean {
    if (((this.#head - this.#tailCache) | 0) >= this.capacity) {
      this.#tailCache = Atomics.load(this.ctl, Ctl.Tail);
      if (((this.#head - this.#tailCache) | 0) >= this.capacity) return false;
    }
    const rec = this.#head & this.#mask;
    const w = rec * RECORD_U32;
    this.u32[w] = kind | (flags << 8);
    this.u32[w + 1] = inst;
    const s = rec * RECORD_F64;
    const f = this.f64;
    f[s + 1] = venueTime;
    f[s + 2] = recvTime;
    f[s + 3] = a;
    f[s + 4] = b;
    f[s + 5] = c;
    f[s + 6] = d;
    f[s + 7] = e;
    this.#head = (this.#head + 1) | 0;
    return true;
  }

  /** Records written but not yet committed. */
  pending(): number {
    return (this.#head - Atomics.load(this.ctl, Ctl.Head)) | 0;
  }

  /** Publishes written records and wakes the consumer if it sleeps. */
  commit(): void {
    Atomics.store(this.ctl, Ctl.Head, this.#head);
    // The consumer sets ConsumerSleeping before re-checking head, so either it sees this head or
    // we see its flag: no lost wake-up. notify is a syscall, so only pay it when someone sleeps.
    if (Atomics.load(this.ctl, Ctl.ConsumerSleeping) !== 0) {
      Atomics.store(this.ctl, Ctl.ConsumerSleeping, 0);
      Atomics.add(this.ctl, Ctl.Wake, 1);
      Atomics.notify(this.ctl, Ctl.Wake);
    }
  }

  /**
   * Blocks this (worker) thread until space frees or `timeoutMs` passes; true if space is free.
   * Must not be called on a thread that also consumes.
   */
  waitForSpace(timeoutMs: number): boolean {
    Atomics.add(this.ctl, Ctl.ProducerWaits, 1);
    const seen = Atomics.load(this.ctl, Ctl.Space);
    Atomics.store(this.ctl, Ctl.ProducerWaiting, 1);
    if (this.free() > 0) {
      Atomics.store(this.ctl, Ctl.ProducerWaiting, 0);
      return true;
    }
    Atomics.wait(this.ctl, Ctl.Space, seen, timeoutMs);
    Atomics.store(this.ctl, Ctl.ProducerWaiting, 0);
    return this.free() > 0;
  }

  /** Adds to a control-block counter (drops, decode errors). */
  count(word: number, n = 1): void {
    Atomics.add(this.ctl, word, n);
  }
}

/** Consumer side; owned by exactly one thread. */
export class RingReader {
  readonly f64: Float64Array;
  readonly u32: Uint32Array;
  readonly ctl: Int32Array;
  readonly capacity: number;
  readonly #mask: number;
  #tail: number;

  /** Attaches to shared buffers made by `allocateRing`. */
  constructor(buffers: RingBuffers) {
    this.f64 = new Float64Array(buffers.data);
    this.u32 = new Uint32Array(buffers.data);
    this.ctl = new Int32Array(buffers.control);
    this.capacity = buffers.capacity;
    this.#mask = buffers.capacity - 1;
    this.#tail = Atomics.load(this.ctl, Ctl.Tail);
  }

  /** Committed records not yet consumed. */
  available(): number {
    return (Atomics.load(this.ctl, Ctl.Head) - this.#tail) | 0;
  }

  /**
   * Calls `onRecord(f64, u32, rec)` for up to `max` committed records, then releases them; `rec`
   * is the record index (f64 slot base = rec * 8, u32 word base = rec * 16). Returns the count.
   */
  drain(max: number, onRecord: (f64: Float64Array, u32: Uint32Array, rec: number) => void): number {
    const head = Atomics.load(this.ctl, Ctl.Head);
    let n = (head - this.#tail) | 0;
    if (n <= 0) return 0;
    if (n > max) n = max;
    const f64 = this.f64, u32 = this.u32, mask = this.#mask;
    let tail = this.#tail;
    for (let i = 0; i < n; i++) {
      onRecord(f64, u32, tail & mask);
      tail = (tail + 1) | 0;
    }
    this.#tail = tail;
    Atomics.store(this.ctl, Ctl.Tail, tail);
    if (Atomics.load(this.ctl, Ctl.ProducerWaiting) !== 0) {
      Atomics.add(this.ctl, Ctl.Space, 1);
      Atomics.notify(this.ctl, Ctl.Space);
    }
    return n;
  }

  /**
   * Resolves when records are available (or after `timeoutMs`), without blocking the event loop.
   * Sets the sleeping flag first and re-checks, so a commit racing this call is never missed.
   */
  async waitForData(timeoutMs: number): Promise<void> {
    const seen = Atomics.load(this.ctl, Ctl.Wake);
    Atomics.store(this.ctl, Ctl.ConsumerSleeping, 1);
    if (this.available() > 0) {
      Atomics.store(this.ctl, Ctl.ConsumerSleeping, 0);
      return;
    }
    const r = Atomics.waitAsync(this.ctl, Ctl.Wake, seen, timeoutMs);
    if (r.async) await r.value;
    Atomics.store(this.ctl, Ctl.ConsumerSleeping, 0);
  }

  /** Records currently in the ring (occupancy). */
  occupancy(): number {
    return this.available();
  }

  /** Reads a control-block counter. */
  counter(word: number): number {
    return Atomics.load(this.ctl, word);
  }
}

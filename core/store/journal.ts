/**
 * The append-only journal in Deno KV: every order event and fill, in order, never rewritten.
 * Positions and P&L after a restart are rebuilt from it, and a live session can be replayed from
 * it. Appends are serialised so sequence numbers follow call order, and each is an atomic
 * "create if absent", so an entry can never be overwritten.
 */
import type { Cash } from "../domain/money.ts";
import type { Fill, OrderRequest } from "../domain/order.ts";
import type { OrderEvent } from "../execution/order_state.ts";
import { JOURNAL_PREFIX, journalKey } from "./keys.ts";

/** One journal record. */
export type JournalEntry =
  | { readonly type: "order_submitted"; readonly at: number; readonly request: OrderRequest }
  | {
    readonly type: "order_event";
    readonly at: number;
    readonly clientOrderId: string;
    readonly event: OrderEvent;
    readonly venueOrderId?: string;
    readonly filledQty?: number;
    readonly reason?: string;
  }
  | { readonly type: "fill"; readonly at: number; readonly fill: Fill }
  | {
    readonly type: "kill_switch";
    readonly at: number;
    readonly state: string;
    readonly reason: string;
  }
  | {
    readonly type: "session_start";
    readonly at: number;
    readonly start: number;
    readonly equity: Cash;
  };

/** What the kernel needs to journal: ordered, durable appends. */
export interface JournalWriter {
  /** Appends `entry`; resolves with its sequence number once it is durable. */
  append(entry: JournalEntry): Promise<number>;
}

/** Append-only, ordered journal over one KV database. */
export class Journal implements JournalWriter {
  #seq: number;
  #tail: Promise<void> = Promise.resolve();
  /** Appends that failed (the entry is not durable; the caller was told). */
  failures = 0;

  private constructor(readonly kv: Deno.Kv, lastSeq: number) {
    this.#seq = lastSeq;
  }

  /** Opens the journal, continuing after its last entry. */
  static async open(kv: Deno.Kv): Promise<Journal> {
    let last = 0;
    for await (
      const e of kv.list<JournalEntry>({ prefix: JOURNAL_PREFIX }, { reverse: true, limit: 1 })
    ) {
      last = Number(e.key[e.key.length - 1]);
    }
    return new Journal(kv, last);
  }

  /** Sequence number of the last entry appended (0 when empty). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Appends `entry`; resolves once it is durable in KV, in call order. */
  append(entry: JournalEntry): Promise<number> {
    const seq = ++this.#seq;
    const write = this.#tail.then(async () => {
      const key = journalKey(seq);
      const r = await this.kv.atomic().check({ key, versionstamp: null }).set(key, entry).commit();
      if (!r.ok) throw new Error(`journal entry ${seq} already exists: refusing to overwrite`);
    });
    this.#tail = write.catch(() => {
      this.failures++;
    });
    return write.then(() => seq);
  }

  /** Resolves when every append so far has settled. */
  flushed(): Promise<void> {
    return this.#tail;
  }

  /** Reads entries after `afterSeq` in order. */
  async *read(afterSeq = 0): AsyncGenerator<{ seq: number; entry: JournalEntry }> {
    for await (
      const e of this.kv.list<JournalEntry>({
        start: journalKey(afterSeq + 1),
        end: journalKey(Number.MAX_SAFE_INTEGER),
      })
    ) {
      yield { seq: Number(e.key[e.key.length - 1]), entry: e.value };
    }
  }
}

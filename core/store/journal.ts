/**
 * The append-only journal in Deno KV: every order event and fill, in order, never rewritten.
 * Positions and P&L after a restart are rebuilt from it, and a live session can be replayed from
 * it. Sequence numbers follow call order, and every entry is written "create if absent", so an
 * entry can never be overwritten.
 */
import type { Cash } from "../domain/money.ts";
import type { Fill, OrderRequest } from "../domain/order.ts";
import type { OrderEvent } from "../execution/order_state.ts";
import { readCheckpointHead } from "./checkpoint_store.ts";
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

// Deno KV takes at most 100 checks in one atomic operation, and each entry is checked absent.
const MAX_BATCH = 100;

interface PendingAppend {
  readonly seq: number;
  readonly entry: JournalEntry;
  readonly resolve: (seq: number) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Append-only, ordered journal over one KV database. Appends made while a write is in flight are
 * committed together in the next one (group commit): a KV commit costs about a millisecond whatever
 * it holds, so a burst of fills and order events waits for a few commits, not one each.
 */
export class Journal implements JournalWriter {
  #seq: number;
  #pending: PendingAppend[] = [];
  #writing = false;
  #idle: Array<() => void> = [];
  /** Appends that failed (the entry is not durable; the caller was told). */
  failures = 0;
  /** KV commits made (each holds one or more entries). */
  commits = 0;

  private constructor(readonly kv: Deno.Kv, lastSeq: number) {
    this.#seq = lastSeq;
  }

  /**
   * Opens the journal, continuing after its last entry, or after the latest checkpoint when that
   * is later (a checkpoint deletes the entries it covers: numbering from those would put new
   * entries where a restart never reads).
   */
  static async open(kv: Deno.Kv): Promise<Journal> {
    let last = (await readCheckpointHead(kv))?.seq ?? 0;
    for await (
      const e of kv.list<JournalEntry>({ prefix: JOURNAL_PREFIX }, { reverse: true, limit: 1 })
    ) {
      last = Math.max(last, Number(e.key[e.key.length - 1]));
    }
    return new Journal(kv, last);
  }

  /** Sequence number of the last entry appended (0 when empty). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Appends `entry`; resolves with its sequence number once it is durable in KV, in call order. */
  append(entry: JournalEntry): Promise<number> {
    const seq = ++this.#seq;
    return new Promise<number>((resolve, reject) => {
      this.#pending.push({ seq, entry, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  /** Resolves when every append so far has settled. */
  flushed(): Promise<void> {
    if (!this.#writing && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, MAX_BATCH);
      if (!(await this.#commit(batch)) && batch.length > 1) {
        // One taken key (or an oversized batch) fails the whole commit: retry one by one, so
        // only the entries that cannot be written fail.
        for (const p of batch) await this.#commit([p]);
      }
    }
    this.#writing = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Commits `batch` in one atomic operation; settles its appends unless a retry may succeed. */
  async #commit(batch: PendingAppend[]): Promise<boolean> {
    const op = this.kv.atomic();
    for (const p of batch) {
      const key = journalKey(p.seq);
      op.check({ key, versionstamp: null }).set(key, p.entry);
    }
    let error: unknown;
    try {
      this.commits++;
      if ((await op.commit()).ok) {
        for (const p of batch) p.resolve(p.seq);
        return true;
      }
      error = new Error(`journal entry ${batch[0]!.seq} already exists: refusing to overwrite`);
    } catch (e) {
      error = e;
    }
    if (batch.length > 1) return false;
    this.failures++;
    batch[0]!.reject(error);
    return false;
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

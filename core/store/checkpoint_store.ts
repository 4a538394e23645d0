/**
 * Journal checkpoints in Deno KV. A checkpoint is the kernel's state after the journal's entries
 * up to some `seq`: a restart loads it and replays only later entries, and the entries it covers
 * are deleted, so neither the journal nor the restart grows with the account's age. It is written
 * in parts (a KV value holds at most 64 KiB), then its head, which makes it the one read; only
 * then are the covered entries and the previous checkpoint deleted. A crash at any step leaves
 * either the old checkpoint with its entries or the new one (with entries it covers, ignored).
 */
import type { KernelCheckpoint } from "../kernel/kernel_checkpoint.ts";
import { CHECKPOINT_PREFIX, checkpointHeadKey, checkpointPartKey, JOURNAL_PREFIX } from "./keys.ts";

// Records per part, well under KV's 64 KiB a value at a few hundred bytes a record.
const ORDERS_PER_PART = 50;
const FILLS_PER_PART = 100;
// KV allows 1000 mutations an atomic operation.
const DELETES_PER_COMMIT = 500;

/** The head: which checkpoint is current and how to read it. */
export interface CheckpointHead {
  readonly seq: number;
  readonly orderParts: number;
  readonly fillParts: number;
}

/** Reads the head: the seq the journal continues after, when it has no later entry. */
export async function readCheckpointHead(kv: Deno.Kv): Promise<CheckpointHead | undefined> {
  return (await kv.get<CheckpointHead>(checkpointHeadKey())).value ?? undefined;
}

/** Writes, reads and retires journal checkpoints. */
export class CheckpointStore {
  /** Over the KV database that holds the journal. */
  constructor(readonly kv: Deno.Kv) {}

  /** The latest checkpoint, or undefined when none was written. */
  async latest(): Promise<KernelCheckpoint | undefined> {
    const head = await readCheckpointHead(this.kv);
    if (head === undefined) return undefined;
    const part = async <T>(kind: string, i: number): Promise<T> => {
      const v = (await this.kv.get<T>(checkpointPartKey(head.seq, kind, i))).value;
      if (v === null) throw new Error(`checkpoint ${head.seq}: part ${kind} ${i} is missing`);
      return v;
    };
    const state = await part<KernelCheckpoint>("state", 0);
    const orders: KernelCheckpoint["orders"][number][] = [];
    for (let i = 0; i < head.orderParts; i++) {
      for (const o of await part<KernelCheckpoint["orders"]>("orders", i)) orders.push(o);
    }
    const fills: KernelCheckpoint["fills"][number][] = [];
    for (let i = 0; i < head.fillParts; i++) {
      for (const f of await part<KernelCheckpoint["fills"]>("fills", i)) fills.push(f);
    }
    return { ...state, orders, fills };
  }

  /**
   * Writes `c`, makes it current, then deletes the journal entries it covers and older
   * checkpoints. Returns the number of journal entries deleted.
   */
  async write(c: KernelCheckpoint): Promise<number> {
    const seq = c.seq, kv = this.kv;
    await kv.set(checkpointPartKey(seq, "state", 0), { ...c, orders: [], fills: [] });
    let orderParts = 0, fillParts = 0;
    for (let i = 0; i < c.orders.length; i += ORDERS_PER_PART) {
      await kv.set(
        checkpointPartKey(seq, "orders", orderParts++),
        c.orders.slice(i, i + ORDERS_PER_PART),
      );
    }
    for (let i = 0; i < c.fills.length; i += FILLS_PER_PART) {
      await kv.set(
        checkpointPartKey(seq, "fills", fillParts++),
        c.fills.slice(i, i + FILLS_PER_PART),
      );
    }
    const head: CheckpointHead = { seq, orderParts, fillParts };
    await kv.set(checkpointHeadKey(), head);
    const deleted = await this.#deleteAll(
      kv.list({ prefix: JOURNAL_PREFIX, end: [...JOURNAL_PREFIX, seq + 1] }),
    );
    const stale = kv.list({ prefix: CHECKPOINT_PREFIX });
    await this.#deleteAll(stale, (key) => key[1] !== seq);
    return deleted;
  }

  /** Deletes the listed keys `doomed` picks (every one by default); returns how many. */
  async #deleteAll(
    entries: Deno.KvListIterator<unknown>,
    doomed: (key: Deno.KvKey) => boolean = () => true,
  ): Promise<number> {
    let batch: Deno.KvKey[] = [], n = 0;
    const flush = async () => {
      const op = this.kv.atomic();
      for (const key of batch) op.delete(key);
      await op.commit();
      n += batch.length;
      batch = [];
    };
    for await (const e of entries) {
      if (!doomed(e.key)) continue;
      batch.push(e.key);
      if (batch.length === DELETES_PER_COMMIT) await flush();
    }
    if (batch.length > 0) await flush();
    return n;
  }
}

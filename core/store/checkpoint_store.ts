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

// A part's records, measured as JSON: well under KV's 64 KiB a value however long their ids.
const PART_CHARS = 24_000;
// KV allows 1000 mutations an atomic operation.
const DELETES_PER_COMMIT = 500;

/** The lists a checkpoint is cut into parts by (the rest is one small `state` part). */
const LISTS = ["positions", "orders", "fills", "orphanFills"] as const;
type ListName = typeof LISTS[number];

/** The head: which checkpoint is current and how to read it. */
export interface CheckpointHead {
  readonly seq: number;
  /** Parts of each list. */
  readonly parts: Readonly<Record<ListName, number>>;
}

/** `items` in runs of at most PART_CHARS of JSON each (one item alone if it is longer). */
function packed<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  let run: T[] = [], chars = 0;
  for (const item of items) {
    const n = JSON.stringify(item, (_k, v) => typeof v === "bigint" ? String(v) : v).length;
    if (run.length > 0 && chars + n > PART_CHARS) {
      out.push(run);
      run = [];
      chars = 0;
    }
    run.push(item);
    chars += n;
  }
  if (run.length > 0) out.push(run);
  return out;
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
    const lists = {} as Record<ListName, unknown[]>;
    for (const name of LISTS) {
      const all: unknown[] = [];
      for (let i = 0; i < head.parts[name]; i++) {
        for (const item of await part<unknown[]>(name, i)) all.push(item);
      }
      lists[name] = all;
    }
    const state = await part<KernelCheckpoint>("state", 0);
    return {
      ...state,
      portfolio: {
        ...state.portfolio,
        positions: lists.positions as KernelCheckpoint["portfolio"]["positions"],
      },
      orders: lists.orders as KernelCheckpoint["orders"],
      fills: lists.fills as KernelCheckpoint["fills"],
      orphanFills: lists.orphanFills as KernelCheckpoint["orphanFills"],
    };
  }

  /**
   * Writes `c`, makes it current, then deletes the journal entries it covers and older
   * checkpoints. Returns the number of journal entries deleted.
   */
  async write(c: KernelCheckpoint): Promise<number> {
    const seq = c.seq, kv = this.kv;
    const lists: Record<ListName, readonly unknown[]> = {
      positions: c.portfolio.positions,
      orders: c.orders,
      fills: c.fills,
      orphanFills: c.orphanFills,
    };
    const state = {
      ...c,
      portfolio: { ...c.portfolio, positions: [] },
      orders: [],
      fills: [],
      orphanFills: [],
    };
    // Already current (a retry after the deletes failed): its parts are not rewritten in place.
    if ((await readCheckpointHead(kv))?.seq !== seq) {
      await kv.set(checkpointPartKey(seq, "state", 0), state);
      const parts = {} as Record<ListName, number>;
      for (const name of LISTS) {
        const runs = packed(lists[name]);
        for (let i = 0; i < runs.length; i++) {
          await kv.set(checkpointPartKey(seq, name, i), runs[i]);
        }
        parts[name] = runs.length;
      }
      const head: CheckpointHead = { seq, parts };
      await kv.set(checkpointHeadKey(), head);
    }
    const deleted = await this.#deleteAll(
      kv.list({ prefix: JOURNAL_PREFIX, end: [...JOURNAL_PREFIX, seq + 1] }),
    );
    await this.#deleteAll(kv.list({ prefix: CHECKPOINT_PREFIX }), (key) => key[1] !== seq);
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

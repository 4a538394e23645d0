// Journal checkpoints: a restart from the latest checkpoint and the entries after it rebuilds the
// kernel the whole journal built, the entries a checkpoint covers are deleted, and the journal goes
// on numbering after it. Real kernel, sim venue and KV file throughout (tests/core/kernel/_harness).
import assert from "node:assert/strict";
import { join } from "node:path";
import { formatCash } from "../../../core/domain/money.ts";
import type { TradingKernel } from "../../../core/kernel/trading_kernel.ts";
import { CheckpointStore } from "../../../core/store/checkpoint_store.ts";
import { Journal, type JournalEntry } from "../../../core/store/journal.ts";
import { JOURNAL_PREFIX } from "../../../core/store/keys.ts";
import { harness } from "./_harness.ts";
import { buy } from "./_signals.ts";

type Harness = Awaited<ReturnType<typeof harness>>;

/** `n` buy-then-close round trips of 1 AAPL. */
async function roundTrips(h: Harness, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    for (const s of [buy(1), { ...buy(1), action: "close" as const, qty: 0 }]) {
      h.clock.advanceBy(400_000); // the rate limiter's budget (200 a minute) refills
      h.kernel.onSignal(s);
      await h.run(4);
    }
  }
}

/** What a restart must rebuild: money, positions, open and held orders, fills, kill switch, session. */
function state(k: TradingKernel) {
  const t = k.portfolio.totals();
  return {
    money: [formatCash(t.cash), formatCash(t.realized), formatCash(t.fees)],
    positions: k.portfolio.positions().map((p) => [p.symbol, p.qty, formatCash(p.costBasis)]),
    open: k.orders.open().map((o) => [o.request.clientOrderId, o.status, o.filledQty]),
    held: k.orders.list().map((o) => [o.request.clientOrderId, o.status, o.filledQty]),
    fills: k.fills.map((f) => f.fillId),
    working: [k.openBuyQty(0), k.openSellQty(0), formatCash(k.openOrderExposure())],
    totals: [k.orders.added, k.fillsApplied],
    killSwitch: k.risk.killSwitch.state,
    session: k.lastSession,
  };
}

/** Copies the KV database at `from` (closed) to `to`, WAL and all. */
async function copyKv(from: string, to: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      await Deno.copyFile(from + suffix, to + suffix);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
}

Deno.test("a restart from a checkpoint and the entries after it rebuilds the kernel the whole journal builds; the covered entries are gone", async () => {
  const dir = await Deno.makeTempDir();
  const full = join(dir, "full.kv"), folded = join(dir, "folded.kv");
  const open = async (path: string) =>
    await harness({ kv: await Deno.openKv(path), keepFinished: 3, latencyMs: 0 });
  const h = await open(full);
  h.quoteAapl(1_000_000, 1_000_100, 4);
  await roundTrips(h, 3);
  // a limit buy of 10 at the ask, where 4 are offered: 4 fill, 6 keep working
  h.kernel.onSignal(buy(10, "limit", 1_000_100));
  await h.run(4);
  assert.equal(h.kernel.orders.open()[0]?.status, "partially_filled");
  // a session start, as the live node journals one (and keeps it on the kernel)
  h.kernel.lastSession = { start: 1, equity: 5n };
  await h.journal.append({ type: "session_start", at: 1, ...h.kernel.lastSession });
  assert.equal(await h.kernel.setKillSwitch("reducing", "test"), true);
  await h.journal.flushed();
  // Taken mid-session, written later into a copy of the database: the copy restarts from the
  // checkpoint and the entries after it, the original from every entry.
  const c = h.kernel.checkpoint(h.journal.lastSeq)!;
  await h.kernel.setKillSwitch("active", "test");
  await roundTrips(h, 2);
  await h.venue.flushed();
  await h.journal.flushed();
  h.kv.close();
  await copyKv(full, folded);
  const kv = await Deno.openKv(folded);
  const store = new CheckpointStore(kv);
  assert.equal(await store.write(c), c.seq, "every entry it covers is deleted");
  const left: number[] = [];
  for await (const e of kv.list({ prefix: JOURNAL_PREFIX })) left.push(Number(e.key[1]));
  assert.ok(left.length > 0 && left.every((s) => s > c.seq), "only the entries after it are left");
  kv.close();

  const a = await open(full), b = await open(folded);
  assert.deepEqual(state(b.kernel), state(a.kernel));
  assert.deepEqual(b.differences, a.differences, "the same reconciliation with the venue");
  assert.equal(b.kernel.risk.killSwitch.state, "active");
  // and entries after the restart are numbered after the checkpoint and read the next time
  await roundTrips(b, 1);
  const more = state(b.kernel);
  await b.venue.flushed();
  await b.journal.flushed();
  a.kv.close();
  b.kv.close();
  const third = await open(folded);
  assert.deepEqual(state(third.kernel), more);
  third.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a crash after a checkpoint is written but before its entries are deleted books nothing twice", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "k.kv");
  const h = await harness({ kv: await Deno.openKv(path), latencyMs: 0 });
  h.quoteAapl(1_000_000, 1_000_100);
  await roundTrips(h, 2);
  h.kernel.onSignal(buy(3));
  await h.run(4);
  await h.journal.flushed();
  const saved: Array<[Deno.KvKey, JournalEntry]> = [];
  for await (const e of h.kv.list<JournalEntry>({ prefix: JOURNAL_PREFIX })) {
    saved.push([e.key, e.value]);
  }
  await h.checkpoints.write(h.kernel.checkpoint(h.journal.lastSeq)!);
  for (const [key, value] of saved) await h.kv.set(key, value); // as if the deletes never ran
  const want = state(h.kernel);
  await h.venue.flushed();
  h.kv.close();
  const again = await harness({ kv: await Deno.openKv(path), latencyMs: 0 });
  assert.deepEqual(state(again.kernel), want);
  assert.equal(again.kernel.positionQty(0), 3);
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the journal numbers on after a checkpoint that deleted every entry", async () => {
  const kv = await Deno.openKv(":memory:");
  const h = await harness({ kv, latencyMs: 0 });
  h.quoteAapl(1_000_000, 1_000_100);
  await roundTrips(h, 1);
  await h.journal.flushed();
  const seq = h.journal.lastSeq;
  await h.checkpoints.write(h.kernel.checkpoint(seq)!);
  const reopened = await Journal.open(kv);
  assert.equal(reopened.lastSeq, seq);
  assert.equal(
    await reopened.append({ type: "kill_switch", at: 0, state: "active", reason: "x" }),
    seq + 1,
  );
  kv.close();
});

Deno.test("no checkpoint is taken while a fill is being journaled: its entry is numbered but not yet applied", async () => {
  const h = await harness({ latencyMs: 0 });
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(5, "limit", 999_000)); // rests below the market
  await h.run(4);
  const order = h.kernel.orders.open()[0]!;
  const fill = {
    fillId: "late-1",
    clientOrderId: order.request.clientOrderId,
    venueOrderId: order.venueOrderId,
    symbol: "AAPL",
    side: "buy" as const,
    qty: 5,
    price: 999_000,
    fee: 0n,
    liquidity: "maker" as const,
    venueTime: h.clock.nowMicros(),
    recvTime: h.clock.nowMicros(),
  };
  const applying = h.kernel.applyUpdate({
    event: "fill",
    fill,
    order: { ...order, clientOrderId: fill.clientOrderId, status: "filled", filledQty: 5 },
  }, true);
  assert.equal(h.kernel.checkpoint(h.journal.lastSeq), undefined, "while its write is in flight");
  await applying;
  const c = h.kernel.checkpoint(h.journal.lastSeq);
  assert.ok(c !== undefined);
  assert.equal(c.portfolio.positions[0]?.qty, 5, "taken once applied");
  h.kv.close();
});

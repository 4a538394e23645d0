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
import { harness, roundTrips } from "./_harness.ts";
import { buy } from "./_signals.ts";

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
  await h.until(() => h.kernel.orders.open()[0]?.status === "partially_filled");
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

Deno.test("a checkpoint stays within KV's value limit with long ids, thousands of fills and many positions, and reads back whole", async () => {
  const kv = await Deno.openKv(":memory:");
  const h = await harness({ kv, latencyMs: 0 });
  const base = h.kernel.checkpoint(h.journal.lastSeq)!;
  const id = (i: number) => `${"x".repeat(120)}-${i}`; // Alpaca allows 128-character ids
  const orders = Array.from({ length: 400 }, (_, i) => ({
    request: { ...buy(1), clientOrderId: id(i) } as never,
    seq: i + 1,
    status: "filled" as const,
    venueOrderId: id(i),
    filledQty: 1,
    reason: "",
    updatedAt: i,
    firstFillId: "",
    laterFillIds: undefined,
    fillIdsKept: true,
  }));
  const fills = Array.from({ length: 3000 }, (_, i) => ({
    fillId: `${id(i)}:${i}`,
    clientOrderId: id(i % 400),
    venueOrderId: id(i % 400),
    symbol: "AAPL",
    side: "buy" as const,
    qty: 1,
    price: 1_000_000,
    fee: 123_456_789_012_345_678n,
    liquidity: "taker" as const,
    venueTime: i,
    recvTime: i,
  }));
  const positions = Array.from({ length: 1000 }, () =>
    base.portfolio.positions[0] ?? {
      symbol: "AAPL",
      qty: 1,
      avgPrice: 1,
      costBasis: 1n,
      realized: 2n,
      unrealized: 0n,
      fees: 3n,
      marketValue: 1n,
      markPrice: 1,
    });
  const big = {
    ...base,
    seq: 1,
    orders,
    fills,
    orphanFills: fills.map((f) => f.fillId),
    portfolio: { ...base.portfolio, positions },
  };
  await h.checkpoints.write(big); // a part over 64 KiB would throw here
  const back = (await h.checkpoints.latest())!;
  assert.equal(back.orders.length, 400);
  assert.deepEqual(back.fills.at(-1), fills.at(-1));
  assert.equal(back.orphanFills.length, 3000);
  assert.equal(back.portfolio.positions.length, 1000);
  kv.close();
});

Deno.test("a kill-switch change is numbered in the journal in the turn it changes memory, so a checkpoint meanwhile covers it", async () => {
  const h = await harness({ latencyMs: 0 });
  const before = h.journal.lastSeq;
  const changing = h.kernel.setKillSwitch("reducing", "operator");
  assert.equal(h.journal.lastSeq, before + 1, "its entry is numbered at once");
  const c = h.kernel.checkpoint(h.journal.lastSeq)!;
  assert.equal(c.killSwitch.state, "reducing");
  assert.equal(c.seq, before + 1, "the checkpoint covers the entry of the state it holds");
  await changing;
  h.kv.close();
});

Deno.test("parts of a checkpoint written without its head (a crash before it) are ignored, then cleared by the next one", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "k.kv");
  const h = await harness({ kv: await Deno.openKv(path), latencyMs: 0 });
  h.quoteAapl(1_000_000, 1_000_100);
  await roundTrips(h, 1);
  await h.journal.flushed();
  await h.checkpoints.write(h.kernel.checkpoint(h.journal.lastSeq)!);
  h.kernel.onSignal(buy(2));
  await h.run(4);
  await h.until(() => h.kernel.positionQty(0) === 2);
  await h.journal.flushed();
  // the next checkpoint got as far as its first part
  const torn = h.journal.lastSeq;
  await h.kv.set(["checkpoint", torn, "state", 0], { seq: torn, garbage: true });
  const want = state(h.kernel);
  await h.venue.flushed();
  h.kv.close();
  const again = await harness({ kv: await Deno.openKv(path), latencyMs: 0 });
  assert.deepEqual(state(again.kernel), want);
  assert.equal(again.kernel.positionQty(0), 2);
  await again.checkpoints.write(again.kernel.checkpoint(again.journal.lastSeq)!);
  const parts: Deno.KvKey[] = [];
  for await (const e of again.kv.list({ prefix: ["checkpoint"] })) parts.push(e.key);
  assert.ok(parts.every((k) => k[1] === again.journal.lastSeq), "only the current one's parts");
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

import assert from "node:assert/strict";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { cashPair, cmpNotional, cmpNotionalPlus, cmpProducts } from "../../../core/risk/_exact.ts";

const sign = (x: bigint): number => (x > 0n ? 1 : x < 0n ? -1 : 0);
const rng = new SeededRng(7);
/** A random safe integer spread over magnitudes 1..2^53. */
const anyInt = (): number => Math.floor(rng.next() * 2 ** (1 + rng.int(53)));
const SCALES = [1n, 10n ** 3n, 10n ** 8n, 10n ** 14n, 10n ** 18n];

Deno.test("cmpNotional() agrees with bigint arithmetic at, near and far from the limit", () => {
  for (let i = 0; i < 20_000; i++) {
    const p = anyInt(), q = anyInt();
    const scale = SCALES[rng.int(SCALES.length)]!;
    const exact = BigInt(p) * BigInt(q) * scale;
    const nudge = [0n, 1n, -1n, BigInt(anyInt()), -BigInt(anyInt())][rng.int(5)]!;
    const limit = rng.next() < 0.2 ? BigInt(anyInt()) : exact + nudge;
    assert.equal(
      cmpNotional(p, q, cashPair(scale), cashPair(limit)),
      sign(exact - limit),
      `${p} × ${q} × ${scale} vs ${limit}`,
    );
  }
});

Deno.test("cmpNotionalPlus() agrees with bigint arithmetic including the extra term", () => {
  for (let i = 0; i < 20_000; i++) {
    const p = anyInt(), q = anyInt();
    const scale = SCALES[rng.int(SCALES.length)]!;
    const extra = BigInt(anyInt()) * scale;
    const exact = BigInt(p) * BigInt(q) * scale + extra;
    const limit = exact + [0n, 1n, -1n, BigInt(anyInt())][rng.int(4)]!;
    assert.equal(
      cmpNotionalPlus(p, q, cashPair(scale), cashPair(extra), cashPair(limit)),
      sign(exact - limit),
    );
  }
});

Deno.test("cmpProducts() agrees with bigint arithmetic for products past 2^53", () => {
  for (let i = 0; i < 20_000; i++) {
    const a = anyInt(), b = anyInt(), c = anyInt();
    // d chosen so c × d lands on or right next to a × b when it can
    const target = BigInt(a) * BigInt(b);
    const d0 = c === 0 ? 0 : Number(target / BigInt(c));
    const d = Math.max(0, Math.min(Number.MAX_SAFE_INTEGER, d0 + rng.int(3) - 1));
    assert.equal(
      cmpProducts(a, b, c, d),
      sign(target - BigInt(c) * BigInt(d)),
      `${a},${b},${c},${d}`,
    );
  }
  assert.equal(cmpProducts(0, 5, 0, 7), 0);
});

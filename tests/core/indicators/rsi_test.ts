import assert from "node:assert/strict";
import { Rsi } from "../../../core/indicators/mod.ts";
import { assertClose, seededBars, wilderOf } from "./_textbook.ts";

const { close } = seededBars(13, 3000);

/** Wilder's RSI of the prefix, from its gains and losses recomputed from scratch. */
function textbookRsi(xs: readonly number[], n: number): number {
  const gains: number[] = [], losses: number[] = [];
  for (let i = 1; i < xs.length; i++) {
    const d = xs[i]! - xs[i - 1]!;
    gains.push(Math.max(d, 0));
    losses.push(Math.max(-d, 0));
  }
  const g = wilderOf(gains, n), l = wilderOf(losses, n);
  if (Number.isNaN(g)) return NaN;
  if (l === 0) return g === 0 ? 50 : 100;
  return 100 - 100 / (1 + g / l);
}

Deno.test("Rsi.update() matches Wilder's RSI recomputed from the first input at every step", () => {
  for (const period of [1, 14, 30]) {
    const rsi = new Rsi(period);
    for (let i = 0; i < close.length; i++) {
      const want = textbookRsi(close.slice(0, i + 1), period);
      assertClose(rsi.update(close[i]!), want, `Rsi(${period}) step ${i}`);
    }
  }
});

Deno.test("Rsi needs period + 1 inputs, and reads 100 with no losses and 50 when flat", () => {
  const rsi = new Rsi(2);
  assert.ok(Number.isNaN(rsi.update(10)));
  assert.ok(Number.isNaN(rsi.update(11)));
  assert.equal(rsi.isReady, false);
  assert.equal(rsi.update(12), 100);
  assert.equal(rsi.isReady, true);
  const flat = new Rsi(2);
  for (let i = 0; i < 3; i++) flat.update(5);
  assert.equal(flat.value, 50);
});

Deno.test("Rsi rejects a period that is not an integer >= 1, naming it", () => {
  for (const bad of [0, -14, 14.5]) {
    assert.throws(() => new Rsi(bad), { name: "RangeError", message: /'period'/ });
  }
});

Deno.test("Rsi.reset() forgets the previous close and the averages", () => {
  const rsi = new Rsi(1);
  rsi.update(10);
  rsi.update(5);
  rsi.reset();
  assert.ok(Number.isNaN(rsi.value));
  assert.ok(Number.isNaN(rsi.update(100))); // no previous close survives the reset
  assert.equal(rsi.update(101), 100);
});

import assert from "node:assert/strict";
import { Ema } from "../../../core/indicators/mod.ts";
import { assertClose, emaOf, seededBars } from "./_textbook.ts";

const { close } = seededBars(12, 3000);

Deno.test("Ema.update() matches an SMA-seeded EMA recomputed from the first input at every step", () => {
  for (const period of [1, 9, 50]) {
    const ema = new Ema(period);
    for (let i = 0; i < close.length; i++) {
      const want = emaOf(close.slice(0, i + 1), period);
      assertClose(ema.update(close[i]!), want, `Ema(${period}) step ${i}`);
    }
  }
});

Deno.test("Ema is NaN for the first period − 1 inputs and seeds with their SMA", () => {
  const ema = new Ema(3);
  assert.ok(Number.isNaN(ema.update(1)));
  assert.ok(Number.isNaN(ema.update(2)));
  assert.equal(ema.isReady, false);
  assert.equal(ema.update(6), 3);
  assert.equal(ema.isReady, true);
  assert.equal(ema.update(5), 4); // 3 + 0.5 · (5 − 3)
});

Deno.test("Ema rejects a period that is not an integer >= 1, naming it", () => {
  for (const bad of [0, -3, 1.5, Infinity]) {
    assert.throws(() => new Ema(bad), { name: "RangeError", message: /'period'/ });
  }
});

Deno.test("Ema.reset() forgets the seed and the average", () => {
  const ema = new Ema(2);
  ema.update(100);
  ema.update(200);
  ema.reset();
  assert.ok(Number.isNaN(ema.value));
  assert.ok(Number.isNaN(ema.update(1)));
  assert.equal(ema.update(3), 2);
});

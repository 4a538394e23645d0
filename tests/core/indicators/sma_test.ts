import assert from "node:assert/strict";
import { Sma } from "../../../core/indicators/mod.ts";
import { assertClose, mean, seededBars } from "./_textbook.ts";

const { close } = seededBars(11, 5000);

Deno.test("Sma.update() matches the mean of the window recomputed at every step", () => {
  for (const period of [1, 2, 20, 200]) {
    const sma = new Sma(period);
    for (let i = 0; i < close.length; i++) {
      const got = sma.update(close[i]!);
      const want = i + 1 < period ? NaN : mean(close.slice(i + 1 - period, i + 1));
      assertClose(got, want, `Sma(${period}) step ${i}`);
      assertClose(sma.value, want, `Sma(${period}).value step ${i}`);
    }
  }
});

Deno.test("Sma stays NaN and not ready until `period` values arrived", () => {
  const sma = new Sma(3);
  assert.ok(Number.isNaN(sma.value));
  assert.ok(Number.isNaN(sma.update(1)));
  assert.ok(Number.isNaN(sma.update(2)));
  assert.equal(sma.isReady, false);
  assert.equal(sma.update(6), 3);
  assert.equal(sma.isReady, true);
});

Deno.test("Sma rejects a period that is not an integer >= 1, naming it", () => {
  for (const bad of [0, -1, 2.5, NaN]) {
    assert.throws(() => new Sma(bad), { name: "RangeError", message: /'period'/ });
  }
});

Deno.test("Sma.reset() forgets the window", () => {
  const sma = new Sma(2);
  sma.update(100);
  sma.update(200);
  sma.reset();
  assert.equal(sma.isReady, false);
  assert.ok(Number.isNaN(sma.value));
  sma.update(1);
  assert.equal(sma.update(3), 2);
});

import assert from "node:assert/strict";
import { RollingStdDev } from "../../../core/indicators/mod.ts";
import { assertClose, popStdDev, seededBars } from "./_textbook.ts";

Deno.test("RollingStdDev matches the two-pass population σ of the window at every step", () => {
  const { close } = seededBars(16, 5000);
  for (const period of [1, 2, 20, 300]) {
    const sd = new RollingStdDev(period);
    for (let i = 0; i < close.length; i++) {
      const want = i + 1 < period ? NaN : popStdDev(close.slice(i + 1 - period, i + 1));
      assertClose(sd.update(close[i]!), want, `RollingStdDev(${period}) step ${i}`);
    }
  }
});

Deno.test("RollingStdDev does not drift on a high price level over many updates", () => {
  // Level 60,000 with a spread near 1: a naive Σx² would lose the variance to cancellation here.
  const { close } = seededBars(17, 20_000, 60_000);
  const tight = close.map((x, i) => 60_000 + (x - 60_000) / 100 + (i % 3) * 1e-3);
  const sd = new RollingStdDev(50);
  for (let i = 0; i < tight.length; i++) {
    const want = i + 1 < 50 ? NaN : popStdDev(tight.slice(i - 49, i + 1));
    assertClose(sd.update(tight[i]!), want, `step ${i}`);
  }
});

Deno.test("RollingStdDev is 0 on a flat window and NaN before it fills", () => {
  const sd = new RollingStdDev(3);
  assert.ok(Number.isNaN(sd.update(7)));
  assert.ok(Number.isNaN(sd.update(7)));
  assert.equal(sd.isReady, false);
  assert.equal(sd.update(7), 0);
  assert.equal(sd.isReady, true);
});

Deno.test("RollingStdDev rejects a period that is not an integer >= 1, naming it", () => {
  for (const bad of [0, -2, 3.3]) {
    assert.throws(() => new RollingStdDev(bad), { name: "RangeError", message: /'period'/ });
  }
});

Deno.test("RollingStdDev.reset() forgets the window", () => {
  const sd = new RollingStdDev(2);
  sd.update(0);
  sd.update(100);
  sd.reset();
  assert.ok(Number.isNaN(sd.value));
  sd.update(1);
  assert.equal(sd.update(3), 1);
});

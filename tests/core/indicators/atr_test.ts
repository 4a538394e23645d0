import assert from "node:assert/strict";
import { Atr } from "../../../core/indicators/mod.ts";
import { assertClose, seededBars, wilderOf } from "./_textbook.ts";

const { close, high, low } = seededBars(19, 3000);

/** Wilder's ATR of the first `t` bars, true ranges recomputed from the bars. */
function textbookAtr(t: number, n: number): number {
  const tr: number[] = [];
  for (let i = 0; i < t; i++) {
    const hl = high[i]! - low[i]!;
    tr.push(
      i === 0
        ? hl
        : Math.max(hl, Math.abs(high[i]! - close[i - 1]!), Math.abs(low[i]! - close[i - 1]!)),
    );
  }
  return wilderOf(tr, n);
}

Deno.test("Atr.update() matches Wilder's ATR recomputed from the first bar at every step", () => {
  for (const period of [1, 14, 40]) {
    const atr = new Atr(period);
    for (let i = 0; i < close.length; i++) {
      const got = atr.update(high[i]!, low[i]!, close[i]!);
      assertClose(got, textbookAtr(i + 1, period), `Atr(${period}) step ${i}`);
    }
  }
});

Deno.test("Atr counts gaps through the previous close and is NaN for period − 1 bars", () => {
  const atr = new Atr(2);
  assert.ok(Number.isNaN(atr.update(11, 9, 10))); // tr 2
  assert.equal(atr.isReady, false);
  assert.equal(atr.update(15, 14, 14.5), 3.5); // gap up: tr = 15 − 10 = 5
  assert.equal(atr.isReady, true);
});

Deno.test("Atr rejects a period that is not an integer >= 1, naming it", () => {
  for (const bad of [0, -1, 0.5]) {
    assert.throws(() => new Atr(bad), { name: "RangeError", message: /'period'/ });
  }
});

Deno.test("Atr.reset() forgets the previous close and the average", () => {
  const atr = new Atr(1);
  atr.update(11, 9, 10);
  atr.reset();
  assert.ok(Number.isNaN(atr.value));
  assert.equal(atr.update(101, 100, 100.5), 1); // no gap against the forgotten close of 10
});

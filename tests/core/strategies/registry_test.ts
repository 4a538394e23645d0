import assert from "node:assert/strict";
import type { MaCrossoverStrategy } from "../../../core/strategies/ma_crossover/strategy.ts";
import { createStrategy } from "../../../core/strategies/registry.ts";

Deno.test("createStrategy without params gives the strategy its defaults; a bad param is refused by name", () => {
  const s = createStrategy({ id: "ma", kind: "ma_crossover", symbols: ["AAPL"] });
  const config = (s as MaCrossoverStrategy).config;
  assert.equal(config.fast, 10);
  assert.equal(config.slow, 30);
  assert.equal(config.qty, "1");
  assert.throws(
    () =>
      createStrategy({ id: "ma", kind: "ma_crossover", symbols: ["AAPL"], params: { fast: 0 } }),
    /fast/,
  );
});

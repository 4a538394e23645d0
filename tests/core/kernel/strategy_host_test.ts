import assert from "node:assert/strict";
import type { Bar } from "../../../core/domain/market_events.ts";
import type { Strategy } from "../../../core/strategy/strategy.ts";
import { harness, T0 } from "./_harness.ts";

Deno.test("a strategy that throws is counted and logged; the other strategies still get their bars", async () => {
  const seen: string[] = [];
  const broken: Strategy = {
    id: "broken",
    symbols: ["AAPL"],
    onBar: () => {
      throw new Error("boom");
    },
  };
  const healthy: Strategy = {
    id: "healthy",
    symbols: ["AAPL"],
    onBar: (_ctx, bar: Bar) => seen.push(bar.timeframe),
  };
  const h = await harness({ strategies: [broken, healthy] });
  h.market.onTrade(0, 1_000_000, 1, 1, 0, T0 + 1, T0 + 1);
  h.market.onTime(T0 + 2_000_000);
  assert.ok(seen.includes("1s"));
  assert.ok(h.host.errors >= 1);
  h.kv.close();
});

Deno.test("a strategy naming a symbol the core does not trade is refused at start", async () => {
  const stray: Strategy = { id: "stray", symbols: ["TSLA"] };
  await assert.rejects(harness({ strategies: [stray] }), /trades 'TSLA', which is not configured/);
});

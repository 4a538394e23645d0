import assert from "node:assert/strict";
import { checkMarketData } from "../../../core/risk/market_data.ts";
import { REASON } from "../../../core/risk/reasons.ts";

Deno.test("checkMarketData() rejects an instrument with no mark yet", () => {
  assert.equal(checkMarketData(1), 0);
  assert.equal(checkMarketData(0), REASON.no_market_data);
});

import assert from "node:assert/strict";
import { checkTradingHours } from "../../../core/risk/trading_hours.ts";
import { REASON } from "../../../core/risk/reasons.ts";

// A venue clock open 09:30–16:00 UTC-free for the test: [open, close) in µs of one day.
const OPEN = 34_200_000_000, CLOSE = 57_600_000_000;
const clock = {
  isMarketOpen: (symbol: string, now: number) => symbol === "AAPL" && now >= OPEN && now < CLOSE,
};

Deno.test("checkTradingHours() follows the venue clock for the symbol and time asked", () => {
  assert.equal(checkTradingHours(clock, "AAPL", OPEN), 0);
  assert.equal(checkTradingHours(clock, "AAPL", OPEN - 1), REASON.trading_hours);
  assert.equal(checkTradingHours(clock, "AAPL", CLOSE - 1), 0);
  assert.equal(checkTradingHours(clock, "AAPL", CLOSE), REASON.trading_hours);
  assert.equal(checkTradingHours(clock, "MSFT", OPEN), REASON.trading_hours);
});

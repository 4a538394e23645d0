import assert from "node:assert/strict";
import { makeInstrument } from "../../../core/domain/instrument.ts";
import { parseCash } from "../../../core/domain/money.ts";
import {
  bpsFee,
  perShareFee,
  sumFees,
  withMinimum,
  zeroFee,
} from "../../../core/matching/fee_model.ts";

const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
const btc = makeInstrument("BTC/USD", 1, { venue: "SIM" });
const P100 = 1_000_000; // $100.00 in AAPL units
const BTC_60K = 60_000_000_000; // $60,000 in BTC/USD units (10^-6)
const ONE_BTC = 1_000_000_000; // lots of 10^-9 BTC

Deno.test("zeroFee charges nothing", () => {
  assert.equal(zeroFee(aapl, 100, P100, "taker"), 0n);
});

Deno.test("bpsFee() charges basis points of notional, with its own maker rate", () => {
  const fee = bpsFee(25, -2);
  assert.equal(fee(btc, ONE_BTC, BTC_60K, "taker"), parseCash("150"));
  assert.equal(fee(btc, ONE_BTC, BTC_60K, "maker"), parseCash("-12"));
  // 3 × $100.00 × 0.5 bp = $0.015, exact: no rounding to cents.
  assert.equal(bpsFee(0.5)(aapl, 3, P100, "taker"), parseCash("0.015"));
});

Deno.test("perShareFee() charges per whole unit, exactly for fractional crypto quantities", () => {
  assert.equal(perShareFee(parseCash("0.005"))(aapl, 301, P100, "maker"), parseCash("1.505"));
  // 0.25 BTC at $2 per coin = $0.50.
  assert.equal(perShareFee(parseCash("2"))(btc, ONE_BTC / 4, BTC_60K, "taker"), parseCash("0.5"));
});

Deno.test("withMinimum() lifts each fill's fee to the minimum and keeps larger fees", () => {
  const fee = withMinimum(bpsFee(1), parseCash("1"));
  assert.equal(fee(aapl, 10, P100, "taker"), parseCash("1"));
  assert.equal(fee(aapl, 1_000, P100, "taker"), parseCash("10"));
});

Deno.test("sumFees() adds the fees of several models", () => {
  const fee = sumFees(perShareFee(parseCash("0.005")), bpsFee(0.278));
  // 100 × $0.005 + $10,000 × 0.278 bp = $0.50 + $0.278.
  assert.equal(fee(aapl, 100, P100, "taker"), parseCash("0.778"));
});

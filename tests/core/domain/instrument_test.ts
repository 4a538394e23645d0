import assert from "node:assert/strict";
import {
  formatPrice,
  formatQty,
  InstrumentTable,
  makeInstrument,
  parsePrice,
  parseQty,
  priceFromNumber,
  qtyFromNumber,
  tickSizeAt,
} from "../../../core/domain/instrument.ts";

const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
const penny = makeInstrument("SNDL", 1, { venue: "SIM" });
const btc = makeInstrument("BTC/USD", 2, { venue: "SIM" });

Deno.test("US stocks price to 2 decimals above $1 and 4 below; quantities are whole shares", () => {
  assert.equal(aapl.assetClass, "us_equity");
  assert.equal(parsePrice(aapl, "187.25"), 1_872_500);
  assert.throws(() => parsePrice(aapl, "187.255"), /multiple of 0.01/);
  assert.equal(parsePrice(penny, "0.1234"), 1234);
  assert.throws(() => parsePrice(penny, "0.12345"), /at most 4 decimals/);
  assert.equal(tickSizeAt(aapl, 10_000), 100);
  assert.equal(tickSizeAt(aapl, 9_999), 1);
  assert.equal(parseQty(aapl, "100"), 100);
  assert.throws(() => parseQty(aapl, "0.5"), /at most 0 decimals/);
  assert.equal(aapl.id, "AAPL.SIM");
});

Deno.test("crypto pairs hold quantities to 9 decimals", () => {
  assert.equal(btc.assetClass, "crypto");
  assert.equal(btc.qtyDecimals, 9);
  assert.equal(parseQty(btc, "0.000000001"), 1);
  assert.equal(parseQty(btc, "1.5"), 1_500_000_000);
  assert.equal(qtyFromNumber(btc, 0.123456789), 123_456_789);
  assert.equal(formatQty(btc, 123_456_789), "0.123456789");
  assert.equal(formatPrice(btc, parsePrice(btc, "60123.5")), "60123.5");
});

Deno.test("NaN, infinities, negative sizes and non-positive prices are rejected with the field named", () => {
  assert.throws(() => priceFromNumber(aapl, NaN), /'price' must be a finite number, got NaN/);
  assert.throws(() => priceFromNumber(aapl, Infinity), /finite/);
  assert.throws(() => priceFromNumber(aapl, 0), /'price' must be > 0/);
  assert.throws(() => priceFromNumber(aapl, -1.5), /> 0/);
  assert.throws(() => qtyFromNumber(btc, -0.1), /'size' must be >= 0/);
  assert.throws(() => parseQty(btc, "-1"), />= 0/);
  assert.throws(() => parsePrice(aapl, "0"), /> 0/);
});

Deno.test("stock prices format with at least two decimals, as venues print them", () => {
  assert.equal(formatPrice(aapl, 1_870_000), "187.00");
  assert.equal(formatPrice(penny, 1234), "0.1234");
});

Deno.test("InstrumentTable gives dense indices and rejects duplicates and bad symbols", () => {
  const t = new InstrumentTable(["AAPL", "BTC/USD"], "SIM", { "BTC/USD": { price_decimals: 2 } });
  assert.equal(t.get("BTC/USD")!.index, 1);
  assert.equal(t.get("BTC/USD")!.priceDecimals, 2);
  assert.equal(t.at(0).symbol, "AAPL");
  assert.throws(() => t.at(5), /No instrument at index 5/);
  assert.throws(() => new InstrumentTable(["AAPL", "AAPL"], "SIM"), /Duplicate symbol/);
  assert.throws(() => new InstrumentTable(["aapl"], "SIM"), /not a valid symbol/);
});

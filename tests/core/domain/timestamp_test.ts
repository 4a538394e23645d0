import assert from "node:assert/strict";
import {
  formatRfc3339Micros,
  parseRfc3339Micros,
  parseTimestampMicros,
} from "../../../core/domain/timestamp.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";

Deno.test("parseRfc3339Micros() reads Alpaca's nanosecond timestamps to the microsecond", () => {
  assert.equal(
    parseRfc3339Micros("2021-02-22T15:51:44.208Z"),
    Date.UTC(2021, 1, 22, 15, 51, 44, 208) * 1000,
  );
  assert.equal(
    parseRfc3339Micros("2021-02-22T15:51:44.208123999Z"),
    Date.UTC(2021, 1, 22, 15, 51, 44, 208) * 1000 + 123,
  );
  assert.equal(
    parseRfc3339Micros("2021-02-22T15:51:44Z"),
    Date.UTC(2021, 1, 22, 15, 51, 44) * 1000,
  );
  assert.equal(
    parseRfc3339Micros("2021-02-22T10:51:44-05:00"),
    Date.UTC(2021, 1, 22, 15, 51, 44) * 1000,
  );
});

Deno.test("parseRfc3339Micros() agrees with Date.parse on random instants", () => {
  const rng = new SeededRng(3);
  for (let i = 0; i < 5000; i++) {
    const ms = Math.floor(rng.next() * 4e12);
    assert.equal(parseRfc3339Micros(new Date(ms).toISOString()), ms * 1000);
  }
});

Deno.test("parseRfc3339Micros() returns NaN for malformed text instead of throwing", () => {
  for (
    const bad of [
      "",
      "2021-02-22",
      "2021-13-01T00:00:00Z",
      "2021-02-22T25:00:00Z",
      "2021-02-22T15:51:44.Z",
      "garbage-garbage-garbage",
      "2021-02-22T15:51:44.208",
    ]
  ) {
    assert.ok(Number.isNaN(parseRfc3339Micros(bad)), bad);
  }
});

Deno.test("parseTimestampMicros() accepts ISO 8601 dates and epoch milliseconds", () => {
  assert.equal(parseTimestampMicros("1700000000000"), 1_700_000_000_000_000);
  assert.equal(parseTimestampMicros("2024-01-02"), Date.UTC(2024, 0, 2) * 1000);
  assert.ok(Number.isNaN(parseTimestampMicros("yesterday")));
});

Deno.test("formatRfc3339Micros() round-trips through parseRfc3339Micros()", () => {
  const us = 1_700_000_000_123_456;
  assert.equal(formatRfc3339Micros(us), "2023-11-14T22:13:20.123456Z");
  assert.equal(parseRfc3339Micros(formatRfc3339Micros(us)), us);
});

import assert from "node:assert/strict";
import { isNewSession, sessionStartMicros } from "../../../core/portfolio/session_clock.ts";

/** Epoch µs of a UTC wall time (months 1-based). */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s) * 1000;
const DAY = 86_400_000_000;
const ny = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

Deno.test("sessionStartMicros() opens US equities at 09:30 EST before and 09:30 EDT after 2024-03-10", () => {
  // Fri 2024-03-08 is EST (UTC−5): 09:30 = 14:30Z. Mon 2024-03-11 is EDT (UTC−4): 13:30Z.
  assert.equal(sessionStartMicros("us_equity", utc(2024, 3, 8, 15)), utc(2024, 3, 8, 14, 30));
  // Sunday the 10th (the switch day) and Monday before the open still belong to Friday.
  assert.equal(sessionStartMicros("us_equity", utc(2024, 3, 10, 15)), utc(2024, 3, 8, 14, 30));
  assert.equal(
    sessionStartMicros("us_equity", utc(2024, 3, 11, 13, 29, 59)),
    utc(2024, 3, 8, 14, 30),
  );
  assert.equal(sessionStartMicros("us_equity", utc(2024, 3, 11, 13, 30)), utc(2024, 3, 11, 13, 30));
  // 2024-03-12 02:00Z is still the evening of the 11th in New York.
  assert.equal(sessionStartMicros("us_equity", utc(2024, 3, 12, 2)), utc(2024, 3, 11, 13, 30));
});

Deno.test("sessionStartMicros() opens US equities at 09:30 EDT before and 09:30 EST after 2024-11-03", () => {
  // Fri 2024-11-01 is EDT: 13:30Z. Mon 2024-11-04 is EST: 14:30Z.
  assert.equal(sessionStartMicros("us_equity", utc(2024, 11, 3, 12)), utc(2024, 11, 1, 13, 30));
  assert.equal(
    sessionStartMicros("us_equity", utc(2024, 11, 4, 14, 29, 59)),
    utc(2024, 11, 1, 13, 30),
  );
  assert.equal(sessionStartMicros("us_equity", utc(2024, 11, 4, 14, 30)), utc(2024, 11, 4, 14, 30));
  // One microsecond before the open is still the previous session.
  assert.equal(
    sessionStartMicros("us_equity", utc(2024, 11, 4, 14, 30) - 1),
    utc(2024, 11, 1, 13, 30),
  );
});

Deno.test("sessionStartMicros() agrees with Intl's America/New_York on every day of 2005, 2007 and 2024", () => {
  // 2005 runs under the pre-2007 rule (April to October); 2007 is the first year of the new one.
  for (const year of [2005, 2007, 2024]) {
    for (let t = utc(year, 1, 1, 20); t < utc(year + 1, 1, 1); t += DAY) {
      const start = sessionStartMicros("us_equity", t);
      const parts = Object.fromEntries(
        ny.formatToParts(start / 1000).map((p) => [p.type, p.value]),
      );
      assert.equal(
        `${parts.hour}:${parts.minute}`,
        "09:30",
        `open for ${new Date(t / 1000).toISOString()}`,
      );
      assert.ok(["Mon", "Tue", "Wed", "Thu", "Fri"].includes(parts.weekday!));
      assert.ok(start <= t && t - start < 4 * DAY);
      assert.equal(sessionStartMicros("us_equity", start), start);
      assert.ok(sessionStartMicros("us_equity", start - 1) < start);
    }
  }
});

Deno.test("sessionStartMicros() starts the crypto day at 00:00 UTC, DST or not", () => {
  assert.equal(sessionStartMicros("crypto", utc(2024, 3, 10, 7, 15)), utc(2024, 3, 10));
  assert.equal(sessionStartMicros("crypto", utc(2024, 11, 3, 23, 59, 59)), utc(2024, 11, 3));
  assert.equal(sessionStartMicros("crypto", utc(2024, 11, 4)), utc(2024, 11, 4));
  assert.equal(sessionStartMicros("crypto", utc(2024, 11, 4) - 1), utc(2024, 11, 3));
});

Deno.test("sessionStartMicros() rejects a non-integer time", () => {
  assert.throws(() => sessionStartMicros("crypto", 1.5), /'now' must be integer µs, got 1.5/);
  assert.throws(() => sessionStartMicros("us_equity", NaN), /got NaN/);
});

Deno.test("isNewSession() turns true once the next session has started", () => {
  const fri = utc(2024, 11, 1, 13, 30);
  assert.equal(isNewSession("us_equity", fri, utc(2024, 11, 3, 12)), false); // weekend
  assert.equal(isNewSession("us_equity", fri, utc(2024, 11, 4, 14, 29)), false);
  assert.equal(isNewSession("us_equity", fri, utc(2024, 11, 4, 14, 30)), true);
  const day = utc(2024, 3, 10);
  assert.equal(isNewSession("crypto", day, utc(2024, 3, 10, 23, 59)), false);
  assert.equal(isNewSession("crypto", day, utc(2024, 3, 11)), true);
});

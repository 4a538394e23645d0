// Warm-up bars from Alpaca's historical bars endpoints, served by sim-server on loopback (its bars
// are SYNTHETIC, with stocks trading only in New York hours on weekdays, as on Alpaca).
import assert from "node:assert/strict";
import { WallClock } from "../../../core/clock/wall_clock.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { alpacaRecentBars, sessionTimeBack } from "../../../core/venues/alpaca/recent_bars.ts";
import { createMarketDataRest } from "../../../scripts/sim_server/market_data_rest.ts";
import { createRouter } from "../../../scripts/sim_server/router.ts";

const MIN = 60_000_000;

Deno.test("Alpaca warm-up bars: the last N closed bars of each symbol, stocks reaching back over a weekend, crypto from its own endpoint", async () => {
  // Monday 2024-01-08 14:40 UTC: before the stock market opens (14:30 UTC in winter is 09:30 NY;
  // sim-server's session starts 14:30), so the last 30 one-minute AAPL bars are mostly Friday's.
  const now = Date.UTC(2024, 0, 8, 14, 40) * 1000;
  const rest = createMarketDataRest({ now: () => now });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createRouter(rest.routes),
  );
  try {
    const options = {
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
      key: "k",
      secret: "s",
      feed: "iex",
      instruments: new InstrumentTable(["AAPL", "BTC/USD"], "ALPACA"),
      clock: new WallClock(),
    };
    const bars = await alpacaRecentBars(
      options,
      ["AAPL", "BTC/USD"],
      MIN,
      30,
      now,
    );
    const aapl = bars.filter((b) => b.symbol === "AAPL");
    const btc = bars.filter((b) => b.symbol === "BTC/USD");
    assert.equal(aapl.length, 30);
    assert.equal(btc.length, 30);
    for (const list of [aapl, btc]) {
      for (let i = 1; i < list.length; i++) assert.ok(list[i]!.start > list[i - 1]!.start);
      assert.ok(list.at(-1)!.end <= now, "closed bars only");
      assert.ok(list.every((b) => b.timeframe === "1m" && b.source === "venue" && !b.empty));
    }
    assert.ok(
      aapl[0]!.start < Date.UTC(2024, 0, 6) * 1000,
      "the stock bars reach back to Friday's session",
    );
    assert.equal(btc.at(-1)!.end, now, "crypto trades around the clock: its last bar just closed");
    // sim-server's history sits where its streams start (AAPL $190, BTC $60,000): warming up on it
    // does not make the first live bar look like a crash or a rally.
    const near = (ticks: number, decimals: number, level: number) =>
      Math.abs(ticks / 10 ** decimals / level - 1) < 0.15;
    const dec = (s: string) => options.instruments.get(s)!.priceDecimals;
    assert.ok(aapl.every((b) => near(b.close, dec("AAPL"), 190)), String(aapl[0]!.close));
    assert.ok(btc.every((b) => near(b.close, dec("BTC/USD"), 60_000)), String(btc[0]!.close));
    await assert.rejects(
      alpacaRecentBars(
        options,
        ["AAPL"],
        1_000_000,
        30,
        now,
      ),
      /Alpaca has no 1s bars/,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("intraday stock bars are asked for the regular-session hours that hold them, across nights and weekends, with daylight saving", () => {
  const H = 3_600_000_000, at = (iso: string) => Date.parse(iso) * 1000;
  // inside a session: just the hour before
  assert.equal(sessionTimeBack(at("2024-01-09T16:30:00Z"), H), at("2024-01-09T15:30:00Z"));
  // Monday before the open: Friday's last hour (16:00 New York is 21:00 UTC in winter)
  assert.equal(sessionTimeBack(at("2024-01-08T13:00:00Z"), H), at("2024-01-05T20:00:00Z"));
  // ten minutes into Monday's session, then Friday's last 50 minutes
  assert.equal(sessionTimeBack(at("2024-01-08T14:40:00Z"), H), at("2024-01-05T20:10:00Z"));
  // in July the session is 13:30–20:00 UTC
  assert.equal(sessionTimeBack(at("2024-07-15T12:00:00Z"), H), at("2024-07-12T19:00:00Z"));
});

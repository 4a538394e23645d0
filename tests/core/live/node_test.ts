// A LiveNode in-process with its real feed worker, ring and KV: replayed data reaches the engine, staleness is flagged.
import assert from "node:assert/strict";
import { join } from "node:path";
import { WallClock } from "../../../core/clock/wall_clock.ts";
import type { Heartbeat } from "../../../core/domain/market_events.ts";
import { validateConfig } from "../../../core/live/config.ts";
import { LiveView } from "../../../core/live/live_view.ts";
import { LiveNode } from "../../../core/live/node.ts";

const FIXTURE = new URL("../../fixtures/replay/AAPL.csv", import.meta.url).pathname;

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("a replayed CSV flows through the feed worker and ring into venue bars; a silent symbol turns stale", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_node_" });
  const logs: string[] = [];
  const config = validateConfig({
    venue: "replay",
    symbols: ["AAPL", "MSFT"],
    data_dir: join(dir, "data"),
    replay: { files: [{ path: FIXTURE }], speed: 0 },
    stale_after_s: 0.5,
  });
  const node = await LiveNode.start({ config, clock: new WallClock(), log: (l) => logs.push(l) });
  const beats: Heartbeat[] = [];
  node.bus.subscribe("system.heartbeat", (hb) => beats.push(hb));
  try {
    await until("replay ended", () => node.feedState === "ended");
    await until("bars applied", () => (node.engine.bars(0, "1m", 10)?.length ?? 0) >= 3);
    const bars = node.engine.bars(0, "1m", 10)!;
    assert.equal(bars[0]!.source, "venue");
    assert.deepEqual(
      [bars[0]!.open, bars[0]!.high, bars[0]!.low, bars[0]!.close, bars[0]!.volume],
      [
        1_871_500,
        1_875_000,
        1_869_000,
        1_872_500,
        12_000,
      ],
    );
    assert.equal(bars[0]!.start, Date.UTC(2024, 0, 2, 14, 30) * 1000);
    assert.equal(bars[0]!.end, Date.UTC(2024, 0, 2, 14, 31) * 1000, "stamped at the close");

    const seen = beats.length; // only heartbeats after the data arrived count
    await until(
      "a heartbeat naming stale symbols",
      () => beats.slice(seen).some((b) => b.stale.includes("AAPL")),
      5000,
    );
    const health = new LiveView(node).health();
    assert.equal(health.status, "degraded");
    assert.equal(health.feed, "ended");
    assert.deepEqual(health.symbols.map((s) => [s.symbol, s.stale]), [["AAPL", true], [
      "MSFT",
      true,
    ]]);
    assert.equal(health.symbols[1]!.last_update_age_s, null, "MSFT never had an update");
  } finally {
    await node.stop();
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(node.state, "stopped");
});

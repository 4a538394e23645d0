// Alpaca's official npm SDK, run under Node against `deno task sim-server`: sim-server speaks
// Alpaca (REST, trade_updates, MessagePack market data), not a private dialect. The SDK and its
// driver live in tests/fixtures/alpaca_sdk/; the npm registry must be reachable the first time.
import assert from "node:assert/strict";
import { join } from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURE = join(ROOT, "tests/fixtures/alpaca_sdk");
const KEY = "sdk-test-key";
const SECRET = "sdk-test-secret";
const DECIMAL = /^-?\d+(\.\d+)?$/;

// deno-lint-ignore no-explicit-any -- the driver's JSON is checked field by field below
type Json = any;

/** `pid` and every process below it, parents first (Linux /proc). */
function processTree(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/)
      .filter(Boolean).map(Number);
  } catch {
    // the process has exited
  }
  return [pid, ...kids.flatMap(processTree)];
}

/** Runs `cmd args` in `cwd`, killed after `ms`; returns its exit code and output. */
async function run(cmd: string, args: string[], cwd: string, ms: number, env = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(ms),
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** Installs the pinned SDK into the fixture (reusing node_modules when it already matches). */
async function installSdk(): Promise<void> {
  const pkg = JSON.parse(await Deno.readTextFile(join(FIXTURE, "package.json")));
  const want = pkg.dependencies["@alpacahq/alpaca-trade-api"];
  try {
    const installed = JSON.parse(
      await Deno.readTextFile(
        join(FIXTURE, "node_modules/@alpacahq/alpaca-trade-api/package.json"),
      ),
    );
    if (installed.version === want) return;
  } catch {
    // not installed yet
  }
  const npm = await run("npm", ["ci", "--no-audit", "--no-fund"], FIXTURE, 45_000);
  if (npm.code !== 0) {
    throw new Error(
      `Cannot install @alpacahq/alpaca-trade-api@${want} with npm ci in ${FIXTURE} ` +
        `(is the npm registry reachable?); npm exited ${npm.code}:\n${npm.stderr}`,
    );
  }
}

/** Starts `deno task sim-server --port 0` and waits for the port it logs. */
async function startSimServer() {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "sim-server", "--port", "0", "--key", KEY, "--secret", SECRET],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const decoder = new TextDecoder();
  const pumps = [child.stdout, child.stderr].map(async (s) => {
    for await (const chunk of s) out += decoder.decode(chunk);
  });
  const stop = async () => {
    // `deno task` runs sim-server as its child: kill the whole tree, deepest first.
    for (const pid of processTree(child.pid).reverse()) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await child.status;
    await Promise.all(pumps);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /sim-server listening on 127\.0\.0\.1:(\d+)/.exec(out);
    if (m !== null) return { port: Number(m[1]), stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`sim-server did not start listening within 30 s; output:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test("Alpaca's npm SDK under Node trades, lists positions and streams against sim-server", async () => {
  await installSdk();
  const sim = await startSimServer();
  let seen: Json;
  try {
    const env = { APCA_API_KEY_ID: KEY, APCA_API_SECRET_KEY: SECRET };
    const r = await run("node", ["sdk_client.mjs", String(sim.port)], FIXTURE, 40_000, env);
    assert.equal(r.code, 0, `sdk_client.mjs exited ${r.code}:\n${r.stderr}`);
    seen = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  } finally {
    await sim.stop();
  }

  // the account, with money as decimal strings
  for (const field of ["cash", "buyingPower", "equity", "portfolioValue"]) {
    assert.match(seen.account[field], DECIMAL, `account.${field}`);
  }
  assert.equal(seen.account.status, "ACTIVE");
  assert.equal(seen.account.currency, "USD");

  // the market buy filled; the limit buy far below the market rested, then was canceled
  const mkt = seen.marketOrder;
  assert.ok(["accepted", "new", "pending_new", "filled"].includes(mkt.placed.status));
  assert.equal(mkt.final.status, "filled");
  assert.equal(mkt.final.filledQty, "1");
  assert.match(mkt.final.filledAvgPrice, DECIMAL);
  const lmt = seen.limitOrder;
  assert.equal(lmt.placed.status, "new");
  assert.equal(lmt.placed.type, "limit");
  assert.ok(seen.openOrderIdsBeforeCancel.includes(lmt.placed.id));
  assert.equal(lmt.final.status, "canceled");
  assert.deepEqual(
    new Set(seen.allOrders.map((o: Json) => `${o.id} ${o.status}`)),
    new Set([`${mkt.placed.id} filled`, `${lmt.placed.id} canceled`]),
  );

  // the position the fill opened
  const aapl = seen.positions.find((p: Json) => p.symbol === "AAPL");
  assert.ok(aapl, `positions include AAPL: ${JSON.stringify(seen.positions)}`);
  assert.equal(aapl.qty, "1");
  assert.equal(aapl.side, "long");

  // trade_updates reported both orders' fates
  assert.equal(seen.tradeUpdates.authorized, true);
  assert.deepEqual(seen.tradeUpdates.listening, ["trade_updates"]);
  const events = seen.tradeUpdates.events.map((e: Json) => `${e.orderId} ${e.event}`);
  assert.ok(events.includes(`${mkt.placed.id} fill`), events.join(", "));
  assert.ok(events.includes(`${lmt.placed.id} canceled`), events.join(", "));

  // market data over the SDK's MessagePack stream
  assert.equal(seen.stream.codec, "msgpack");
  assert.deepEqual(seen.stream.subscribed.trades, ["AAPL"]);
  assert.deepEqual(seen.stream.subscribed.quotes, ["AAPL"]);
  assert.ok(seen.stream.trades + seen.stream.quotes >= 1);
  assert.equal(seen.stream.first.symbol, "AAPL");
});

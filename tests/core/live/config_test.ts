import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../core/live/config.ts";

function load(
  args: string[],
  env: Record<string, string> = {},
  files: Record<string, string> = {},
) {
  return loadConfig({
    args,
    env,
    readTextFile: (p) => {
      const f = files[p];
      if (f === undefined) throw new Error("No such file");
      return f;
    },
  });
}

function config(
  args: string[],
  env: Record<string, string> = {},
  files: Record<string, string> = {},
) {
  const r = load(args, env, files);
  assert.equal(r.kind, "config");
  return (r as Extract<typeof r, { kind: "config" }>).config;
}

Deno.test("with no arguments the core runs the sim venue with AAPL, MSFT and BTC/USD on port 8000 and ./data", () => {
  const c = config([]);
  assert.equal(c.venue, "sim");
  assert.deepEqual(c.symbols, ["AAPL", "MSFT", "BTC/USD"]);
  assert.equal(c.port, 8000);
  assert.equal(c.data_dir, "./data");
  assert.deepEqual(c.bars.timeframes, ["1s", "1m", "5m"]);
});

Deno.test("flags beat environment, which beats the config file", () => {
  const files = { "c.json": JSON.stringify({ port: 1111, data_dir: "/f", symbols: ["TSLA"] }) };
  assert.equal(config(["--config", "c.json"], {}, files).port, 1111);
  assert.equal(config(["--config", "c.json"], { PORT: "2222" }, files).port, 2222);
  assert.equal(
    config(["--config", "c.json", "--port", "3333"], { PORT: "2222" }, files).port,
    3333,
  );
  assert.equal(config(["--data-dir", "/x"], { DENO_RT_DATA_DIR: "/e" }).data_dir, "/x");
  assert.equal(config([], { DENO_RT_DATA_DIR: "/e" }).data_dir, "/e");
  assert.deepEqual(config(["--symbols", "AAPL, BTC/USD"]).symbols, ["AAPL", "BTC/USD"]);
});

Deno.test("an invalid value stops start-up with a message naming the field and the allowed values", () => {
  const cases: Array<[string[], Record<string, string>, RegExp, string]> = [
    [
      ["--venue", "nyse"],
      {},
      /'venue' must be one of "sim", "replay", "alpaca-paper", "alpaca-live", got "nyse"/,
      "venue",
    ],
    [["--port", "70000"], {}, /'port' .*65535/, "port"],
    [["--port", "abc"], {}, /'port' must be a number, got "abc"/, "port"],
    [[], { PORT: "-1" }, /'port'/, "port"],
    [["--symbols", "aapl"], {}, /'symbols.0' must be an upper-case symbol/, "symbols.0"],
    [
      ["--config", "c.json"],
      {},
      /'bars.empty' must be one of "flat", "skip", got "maybe"/,
      "bars.empty",
    ],
    [
      ["--config", "t.json"],
      {},
      /'bars.timeframes.0' timeframe must divide a day evenly/,
      "bars.timeframes.0",
    ],
    [["--config", "k.json"], {}, /unknown key\(s\) "colour"/, "(root)"],
    [["--venue", "replay"], {}, /'replay.files' must list at least one file/, "replay.files"],
    [["--bogus"], {}, /Unknown option '--bogus'/, "argv"],
  ];
  const files = {
    "c.json": JSON.stringify({ bars: { empty: "maybe" } }),
    "t.json": JSON.stringify({ bars: { timeframes: ["7m"] } }),
    "k.json": JSON.stringify({ colour: "red" }),
  };
  for (const [args, env, message, field] of cases) {
    assert.throws(() => load(args, env, files), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, message);
      assert.equal(e.field, field);
      return true;
    });
  }
});

Deno.test("a missing or non-JSON config file is a clear error", () => {
  assert.throws(() => load(["--config", "missing.json"]), /Cannot read config file missing.json/);
  assert.throws(() => load(["--config", "bad.json"], {}, { "bad.json": "{" }), /not valid JSON/);
});

Deno.test("--help asks for the usage text; --replay selects the replay venue", () => {
  assert.equal(load(["--help"]).kind, "help");
  const c = config(["--replay", "data/aapl.csv:AAPL", "--speed", "10", "--symbols", "AAPL"]);
  assert.equal(c.venue, "replay");
  assert.deepEqual(c.replay.files, [{ path: "data/aapl.csv", symbol: "AAPL" }]);
  assert.equal(c.replay.speed, 10);
});

/**
 * Loads the core's configuration from defaults, a JSON file (`--config`), environment variables
 * and command-line flags, in that order of precedence, and validates the result with the schema.
 * An invalid value stops start-up with a ConfigError naming the field and what is allowed.
 */
import { parseArgs } from "node:util";
import { type Config, configSchema } from "../../schemas/config.ts";
import { parseTimeframe } from "../data/timeframe.ts";
import { strategyParamsProblem } from "../strategies/registry.ts";
import { describeIssue, valueAt } from "../../schemas/issue_text.ts";

/** A configuration problem, naming the field (dotted path) and what is allowed. */
export class ConfigError extends Error {
  /** Creates the error for `field`. */
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Command-line help for `deno task live`. */
export const LIVE_USAGE = `Usage: deno task live [options]

Runs the deno_rt core: market data feed, books, bars, the trading loop and the HTTP API.
With no options: the embedded simulated venue with AAPL, MSFT and BTC/USD on http://127.0.0.1:8000,
two demo strategies trading it, state in ./data.

Options:
  --config <file>        JSON config file (keys as in README "Configuration")
  --port <n>             HTTP port (env PORT; default 8000; 0 picks a free port)
  --hostname <host>      HTTP bind address (default 127.0.0.1)
  --data-dir <dir>       state directory (env DENO_RT_DATA_DIR; default ./data)
  --venue <name>         sim (default), replay, alpaca-paper or alpaca-live (env DENO_RT_VENUE)
  --confirm-live         required with --venue alpaca-live (real money)
  --symbols <list>       comma-separated symbols, e.g. AAPL,MSFT,BTC/USD (env DENO_RT_SYMBOLS)
  --seed <n>             sim feed seed
  --rate <n>             sim events per second per symbol
  --replay <file[:SYM]>  file to replay (repeatable); implies --venue replay
  --speed <x>            replay speed: 1 real time, N times faster, 0 as fast as possible
  --record <file>        record the feed's trades and quotes as JSON lines (backtest input)
  --help                 show this help

Environment:
  DENO_RT_CONFIG         config file (like --config)
  DENO_RT_ADMIN_TOKEN    bearer token that enables POST /api/orders and /api/kill-switch
  APCA_API_KEY_ID, APCA_API_SECRET_KEY  Alpaca keys (alpaca venues; never logged or stored)
  DENO_RT_ALPACA_DATA_STREAM_URL  market-data stream base, e.g. a sim-server's ws://127.0.0.1:8787
  DENO_RT_ALPACA_DATA_URL         market-data REST base (bar backfill), e.g. http://127.0.0.1:8787
  DENO_RT_ALPACA_TRADING_URL      trading REST base, e.g. http://127.0.0.1:8787
  DENO_RT_ALPACA_TRADE_STREAM_URL trade_updates stream, e.g. ws://127.0.0.1:8787/stream
  PORT, DENO_RT_DATA_DIR, DENO_RT_VENUE, DENO_RT_SYMBOLS  as the flags above
`;

interface LoadInputs {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readTextFile: (path: string) => string;
}

/** Broker credentials: read from the environment only, never stored in config, KV or logs. */
export interface Secrets {
  readonly alpaca?: { readonly key: string; readonly secret: string };
}

/** Result of parsing the command line: a config (and secrets), or a request for help. */
export type LoadResult =
  | { readonly kind: "config"; readonly config: Config; readonly secrets: Secrets }
  | { readonly kind: "help" };

/** Builds the validated configuration from files, environment and flags. */
export function loadConfig(inputs: LoadInputs): LoadResult {
  let flags;
  try {
    flags = parseArgs({
      args: [...inputs.args],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: "string" },
        port: { type: "string" },
        hostname: { type: "string" },
        "data-dir": { type: "string" },
        venue: { type: "string" },
        symbols: { type: "string" },
        seed: { type: "string" },
        rate: { type: "string" },
        replay: { type: "string", multiple: true },
        speed: { type: "string" },
        record: { type: "string" },
        "confirm-live": { type: "boolean" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}. Run with --help for the options.`, "argv");
  }
  if (flags.help) return { kind: "help" };

  const env = inputs.env;
  const configPath = flags.config ?? env.DENO_RT_CONFIG;
  let raw: Record<string, unknown> = {};
  if (configPath !== undefined) {
    let text: string;
    try {
      text = inputs.readTextFile(configPath);
    } catch (e) {
      throw new ConfigError(
        `Cannot read config file ${configPath}: ${(e as Error).message}`,
        "config",
      );
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(
        `Config file ${configPath} is not valid JSON: ${(e as Error).message}`,
        "config",
      );
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new ConfigError(`Config file ${configPath} must hold a JSON object`, "config");
    }
  }

  const set = (path: string[], value: unknown) => {
    let o = raw as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      if (typeof o[key] !== "object" || o[key] === null) o[key] = {};
      o = o[key] as Record<string, unknown>;
    }
    o[path[path.length - 1]!] = value;
  };
  const num = (text: string, field: string): number => {
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n)) {
      throw new ConfigError(
        `Invalid config: '${field}' must be a number, got ${JSON.stringify(text)}`,
        field,
      );
    }
    return n;
  };
  const list = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

  // Environment, then flags: a flag beats the environment, which beats the file.
  if (env.PORT !== undefined) set(["port"], num(env.PORT, "port"));
  if (env.DENO_RT_DATA_DIR !== undefined) set(["data_dir"], env.DENO_RT_DATA_DIR);
  if (env.DENO_RT_VENUE !== undefined) set(["venue"], env.DENO_RT_VENUE);
  if (env.DENO_RT_SYMBOLS !== undefined) set(["symbols"], list(env.DENO_RT_SYMBOLS));
  for (
    const [name, key] of [
      ["DENO_RT_ALPACA_DATA_STREAM_URL", "data_stream_url"],
      ["DENO_RT_ALPACA_DATA_URL", "data_url"],
      ["DENO_RT_ALPACA_TRADING_URL", "trading_url"],
      ["DENO_RT_ALPACA_TRADE_STREAM_URL", "trade_stream_url"],
    ] as const
  ) {
    if (env[name] !== undefined) set(["alpaca", key], env[name]);
  }
  if (flags.port !== undefined) set(["port"], num(flags.port, "port"));
  if (flags.hostname !== undefined) set(["hostname"], flags.hostname);
  if (flags["data-dir"] !== undefined) set(["data_dir"], flags["data-dir"]);
  if (flags.venue !== undefined) set(["venue"], flags.venue);
  if (flags.symbols !== undefined) set(["symbols"], list(flags.symbols));
  if (flags.seed !== undefined) set(["sim", "seed"], num(flags.seed, "sim.seed"));
  if (flags.rate !== undefined) {
    set(["sim", "rate_per_symbol"], num(flags.rate, "sim.rate_per_symbol"));
  }
  if (flags.record !== undefined) set(["record_path"], flags.record);
  if (flags.speed !== undefined) set(["replay", "speed"], num(flags.speed, "replay.speed"));
  if (flags.replay !== undefined) {
    set(["replay", "files"], flags.replay.map(replayFileFlag));
    if (flags.venue === undefined) set(["venue"], "replay");
  }
  const config = validateConfig(raw);
  let secrets: Secrets = {};
  if (config.venue === "alpaca-paper" || config.venue === "alpaca-live") {
    const key = env.APCA_API_KEY_ID ?? "", secret = env.APCA_API_SECRET_KEY ?? "";
    if (key === "" || secret === "") {
      throw new ConfigError(
        `--venue ${config.venue} needs APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment`,
        key === "" ? "APCA_API_KEY_ID" : "APCA_API_SECRET_KEY",
      );
    }
    if (config.venue === "alpaca-live" && flags["confirm-live"] !== true) {
      throw new ConfigError(
        "--venue alpaca-live trades real money: add --confirm-live to start it",
        "venue",
      );
    }
    secrets = { alpaca: { key, secret } };
  }
  return { kind: "config", config, secrets };
}

/** Validates a raw config object; throws ConfigError naming the first bad field. */
export function validateConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.map(String).join(".") || "(root)";
    const got = valueAt(raw, issue.path);
    const allowed = "values" in issue && Array.isArray(issue.values)
      ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`
      : issue.code === "unrecognized_keys"
      ? `has unknown key(s) ${
        (issue as { keys: string[] }).keys.map((k) => JSON.stringify(k)).join(", ")
      }`
      : describeIssue(issue);
    const gotText = issue.code === "unrecognized_keys" || got === undefined
      ? ""
      : `, got ${JSON.stringify(got)}`;
    throw new ConfigError(`Invalid config: '${field}' ${allowed}${gotText}`, field);
  }
  const config = result.data;
  for (const [i, tf] of config.bars.timeframes.entries()) {
    try {
      parseTimeframe(tf);
    } catch (e) {
      throw new ConfigError(
        `Invalid config: 'bars.timeframes.${i}' ${(e as Error).message}`,
        `bars.timeframes.${i}`,
      );
    }
  }
  if (typeof raw === "object" && raw !== null && !("strategies" in raw)) {
    // The default strategies are a demo of the whole loop: keep them to the configured symbols.
    const symbols = new Set(config.symbols);
    config.strategies = config.strategies
      .map((s) => ({ ...s, symbols: s.symbols.filter((x) => symbols.has(x)) }))
      .filter((s) => s.symbols.length > 0);
  }
  const ids = new Set<string>();
  for (const [i, s] of config.strategies.entries()) {
    if (ids.has(s.id)) {
      throw new ConfigError(
        `Invalid config: 'strategies.${i}.id' repeats '${s.id}'`,
        `strategies.${i}.id`,
      );
    }
    ids.add(s.id);
    for (const [j, symbol] of s.symbols.entries()) {
      if (!config.symbols.includes(symbol)) {
        throw new ConfigError(
          `Invalid config: 'strategies.${i}.symbols.${j}' must be one of the configured symbols, got "${symbol}"`,
          `strategies.${i}.symbols.${j}`,
        );
      }
    }
    const problem = strategyParamsProblem(s.kind, s.params, describeIssue);
    if (problem !== undefined) {
      const field = `strategies.${i}.params.${problem.field}`;
      throw new ConfigError(`Invalid config: '${field}' ${problem.message}`, field);
    }
  }
  if (config.venue === "replay" && config.replay.files.length === 0) {
    throw new ConfigError(
      "Invalid config: 'replay.files' must list at least one file when venue is \"replay\" (or pass --replay <file>)",
      "replay.files",
    );
  }
  return config;
}

function replayFileFlag(text: string): { path: string; symbol?: string } {
  // "data/aapl.csv:AAPL" names the symbol; a bare path takes it from the file or its name.
  const m = /^(.*):([A-Z0-9.]+(?:\/[A-Z0-9]+)?)$/.exec(text);
  return m === null ? { path: text } : { path: m[1]!, symbol: m[2]! };
}

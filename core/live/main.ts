/**
 * `deno task live`: starts the core with the configured venue (the embedded simulator when none
 * is given), serves HTTP, logs one summary line per interval, and stops cleanly on SIGINT/SIGTERM.
 */
import { createApp } from "../../functions/app.ts";
import { WallClock } from "../clock/wall_clock.ts";
import { ConfigError, LIVE_USAGE, loadConfig } from "./config.ts";
import { LiveView } from "./live_view.ts";
import { LiveTradingView } from "./trading_view.ts";
import { LiveNode } from "./node.ts";
import { DataDirLocked } from "../store/data_dir_lock.ts";
import { SummaryLine } from "./summary.ts";

const STOP_DEADLINE_MS = 1800;

function log(line: string): void {
  console.log(`[deno_rt] ${line}`);
}

/** Runs the core until a signal; returns the process exit code. */
export async function main(args: readonly string[]): Promise<number> {
  let loaded;
  try {
    loaded = loadConfig({ args, env: Deno.env.toObject(), readTextFile: Deno.readTextFileSync });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`[deno_rt] ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (loaded.kind === "help") {
    console.log(LIVE_USAGE);
    return 0;
  }
  const config = loaded.config;
  const clock = new WallClock();
  // Bind first: a port in use must stop start-up before any state is touched.
  let handler: (req: Request) => Response | Promise<Response> = () =>
    Response.json({ error: { code: "starting", message: "the core is starting" } }, {
      status: 503,
    });
  const abort = new AbortController();
  let port = config.port;
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      port: config.port,
      hostname: config.hostname,
      signal: abort.signal,
      onListen: (addr) => (port = addr.port),
    }, (req) => handler(req));
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse || e instanceof Deno.errors.AddrNotAvailable) {
      console.error(
        `[deno_rt] cannot listen on ${config.hostname}:${config.port}: ${
          (e as Error).message
        }; choose another --port or PORT`,
      );
      return 2;
    }
    throw e;
  }
  let node: LiveNode;
  try {
    node = await LiveNode.start({ config, secrets: loaded.secrets, clock, log });
  } catch (e) {
    abort.abort();
    if (e instanceof DataDirLocked || e instanceof ConfigError) {
      console.error(`[deno_rt] ${e.message}`);
      return 2;
    }
    throw e;
  }
  const app = createApp(new LiveView(node), {
    trading: node.trading === undefined
      ? undefined
      : new LiveTradingView(node.trading, node.instruments),
    adminToken: Deno.env.get("DENO_RT_ADMIN_TOKEN"),
  });
  handler = app.fetch;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  log(
    `listening on http://${config.hostname}:${port} (venue ${node.venue.name}, ${
      plural(node.instruments.size, "symbol")
    }, data ${config.data_dir})`,
  );

  const summary = new SummaryLine(node);
  const summaryTimer = config.summary_interval_s > 0
    ? clock.setInterval(config.summary_interval_s * 1000, () => log(summary.next()))
    : undefined;

  const done = Promise.withResolvers<string>();
  const onSignal = (name: string) => () => done.resolve(name);
  const sigint = onSignal("SIGINT"), sigterm = onSignal("SIGTERM");
  Deno.addSignalListener("SIGINT", sigint);
  Deno.addSignalListener("SIGTERM", sigterm);
  globalThis.addEventListener("unhandledrejection", (e) => {
    // Keep trading on a stray rejection at an edge; it is logged and visible, not fatal.
    e.preventDefault();
    log(`unhandled rejection: ${String(e.reason)}`);
  });

  const signal = await done.promise;
  log(`${signal} received, stopping (port ${port})`);
  const forced = clock.setTimer(STOP_DEADLINE_MS, () => {
    log("stop deadline passed; exiting");
    Deno.exit(1);
  });
  if (summaryTimer !== undefined) clock.clearTimer(summaryTimer);
  await node.stop();
  abort.abort();
  await Promise.race([
    server.finished,
    new Promise((r) => clock.setTimer(300, () => r(undefined))),
  ]);
  log(`final: ${summary.next()}`);
  clock.clearTimer(forced);
  Deno.removeSignalListener("SIGINT", sigint);
  Deno.removeSignalListener("SIGTERM", sigterm);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));

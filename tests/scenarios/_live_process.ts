// Starts `deno task live` as a user would, on a free port with a temp data dir, and reads its log.
import { join } from "node:path";

/** A running `deno task live` child. */
export interface LiveProcess {
  readonly child: Deno.ChildProcess;
  readonly port: number;
  readonly dataDir: string;
  readonly base: string;
  /** All stdout so far. */
  output(): string;
  /** Sends a signal and resolves with the exit status and how long the exit took. */
  stop(signal: Deno.Signal): Promise<{ code: number; ms: number }>;
}

/** Finds a free loopback port. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const ROOT = new URL("../../", import.meta.url).pathname;

/** Spawns `deno task live <args>` and waits until /health answers. */
export async function startLive(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<LiveProcess> {
  const port = freePort();
  const dataDir = await Deno.makeTempDir({ prefix: "deno_rt_live_" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "--quiet",
      "live",
      "--port",
      String(port),
      "--data-dir",
      join(dataDir, "data"),
      ...args,
    ],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const decoder = new TextDecoder();
  const pumpOut = (async () => {
    for await (const chunk of child.stdout) out += decoder.decode(chunk);
  })();
  const pumpErr = (async () => {
    for await (const chunk of child.stderr) out += decoder.decode(chunk);
  })();
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/health`);
      await r.body?.cancel();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`deno task live did not answer /health within 30 s; output:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    child,
    port,
    dataDir,
    base,
    output: () => out,
    async stop(signal) {
      const t0 = performance.now();
      child.kill(signal);
      const status = await child.status;
      const ms = performance.now() - t0;
      await Promise.all([pumpOut, pumpErr]);
      return { code: status.code, ms };
    },
  };
}

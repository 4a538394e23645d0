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
  /**
   * Sends `signal` to the core process itself (the `deno run` under `deno task`: a SIGKILL sent to
   * `deno task` would leave the core running as an orphan) and resolves when both have exited.
   */
  stop(signal: Deno.Signal): Promise<{ code: number; ms: number }>;
}

const ROOT = new URL("../../", import.meta.url).pathname;

/** `pid` and every process below it, parents first (Linux /proc). */
function processTree(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(
      Boolean,
    ).map(Number);
  } catch {
    // the process has exited
  }
  return [pid, ...kids.flatMap(processTree)];
}

/** Spawns `deno task live <args>` and waits until it logs the port it listens on. */
export async function startLive(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<LiveProcess> {
  // Port 0: the process binds a free port itself and logs it. Picking a "free" port here and
  // passing it on would race with other tests running in parallel.
  const dataDir = await Deno.makeTempDir({ prefix: "deno_rt_live_" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "--quiet",
      "live",
      "--port",
      "0",
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
  const deadline = Date.now() + 30_000;
  let port = 0;
  for (;;) {
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (m !== null) {
      port = Number(m[1]);
      break;
    }
    if (Date.now() > deadline) {
      for (const pid of processTree(child.pid).reverse()) Deno.kill(pid, "SIGKILL");
      throw new Error(`deno task live did not start listening within 30 s; output:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    dataDir,
    base,
    output: () => out,
    async stop(signal) {
      const t0 = performance.now();
      const tree = processTree(child.pid);
      const core = tree.at(-1)!;
      Deno.kill(core, signal);
      const status = await child.status;
      const ms = performance.now() - t0;
      // never leave a core behind, whatever happened above
      for (const pid of tree) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await Promise.all([pumpOut, pumpErr]);
      return { code: signal === "SIGKILL" ? 137 : status.code, ms };
    },
  };
}

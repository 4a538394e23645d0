/**
 * One core per data directory: two processes appending to the same journal would interleave and
 * each would reconcile against the other's orders. A PID file created exclusively guards it; a
 * file left by a killed process is recognised as stale (no live deno process with that PID) and
 * replaced.
 */
import { join } from "node:path";

/** Thrown when another live process holds the data directory. */
export class DataDirLocked extends Error {
  /** Names the directory and the holder's PID. */
  constructor(readonly dir: string, readonly pid: number) {
    super(`data dir ${dir} is in use by process ${pid}; stop it or choose another --data-dir`);
    this.name = "DataDirLocked";
  }
}

const LOCK_FILE = "deno_rt.pid";

function holderAlive(pid: number): boolean {
  try {
    // /proc is Linux-only; elsewhere the lock cannot tell and treats the file as stale.
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).includes("deno");
  } catch {
    return false;
  }
}

/** Takes the lock on `dir` (creating it); resolves with a function that releases it. */
export async function lockDataDir(dir: string): Promise<() => void> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await Deno.open(path, { createNew: true, write: true });
      await file.write(new TextEncoder().encode(String(Deno.pid)));
      file.close();
      return () => {
        try {
          Deno.removeSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      const pid = Number((await Deno.readTextFile(path).catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== Deno.pid && holderAlive(pid)) {
        throw new DataDirLocked(dir, pid);
      }
      await Deno.remove(path).catch(() => {}); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock on data dir ${dir}`);
}

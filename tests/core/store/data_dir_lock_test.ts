import assert from "node:assert/strict";
import { join } from "node:path";
import { DataDirLocked, lockDataDir } from "../../../core/store/data_dir_lock.ts";

Deno.test("a data dir held by a live deno process is refused; a lock left by a dead one is taken over", async () => {
  const dir = await Deno.makeTempDir();
  const holder = new Deno.Command(Deno.execPath(), {
    args: ["eval", "await new Promise((r) => setTimeout(r, 20000))"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await Deno.writeTextFile(join(dir, "deno_rt.pid"), String(holder.pid));
  await assert.rejects(lockDataDir(dir), (e: unknown) => {
    assert.ok(e instanceof DataDirLocked);
    assert.match(e.message, new RegExp(`in use by process ${holder.pid}`));
    return true;
  });
  holder.kill("SIGKILL");
  await holder.status;
  const release = await lockDataDir(dir); // stale now
  assert.equal((await Deno.readTextFile(join(dir, "deno_rt.pid"))).trim(), String(Deno.pid));
  release();
  await assert.rejects(Deno.stat(join(dir, "deno_rt.pid")), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

/**
 * Opens the core's Deno KV database under the data directory. KV writes happen at the async edges
 * (heartbeat, start-up), never on the engine's hot path.
 */
import { join } from "node:path";

/** File name of the KV database inside the data directory. */
export const KV_FILE = "deno_rt.kv";

/** Creates `dataDir` if needed and opens its KV database. */
export async function openStore(dataDir: string): Promise<Deno.Kv> {
  await Deno.mkdir(dataDir, { recursive: true });
  return await Deno.openKv(join(dataDir, KV_FILE));
}

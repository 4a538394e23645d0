/** Every Deno KV key the project uses, built in one place so readers and writers agree. */

/** Key of the core's latest status snapshot (health and counters), rewritten every second. */
export function statusKey(): Deno.KvKey {
  return ["status", "core"];
}

/** Key of the configuration the running core applied at start. */
export function appliedConfigKey(): Deno.KvKey {
  return ["config", "applied"];
}

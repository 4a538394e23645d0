/** Every Deno KV key the project uses, built in one place so readers and writers agree. */

/** Key of the core's latest status snapshot (health and counters), rewritten every second. */
export function statusKey(): Deno.KvKey {
  return ["status", "core"];
}

/** Key of the configuration the running core applied at start. */
export function appliedConfigKey(): Deno.KvKey {
  return ["config", "applied"];
}

/** Prefix of the append-only journal. */
export const JOURNAL_PREFIX: Deno.KvKey = ["journal"];

/** Key of journal entry `seq` (numbers order numerically in KV). */
export function journalKey(seq: number): Deno.KvKey {
  return ["journal", seq];
}

/** Key of the latest journal checkpoint's head: its seq and how many parts it has. */
export function checkpointHeadKey(): Deno.KvKey {
  return ["checkpoint_head"];
}

/** Prefix of every journal checkpoint's parts. */
export const CHECKPOINT_PREFIX: Deno.KvKey = ["checkpoint"];

/** Key of part `i` (`state`, `orders` or `fills`) of the checkpoint covering the journal to `seq`. */
export function checkpointPartKey(seq: number, part: string, i: number): Deno.KvKey {
  return ["checkpoint", seq, part, i];
}

/** Key of the persisted kill-switch state. */
export function killSwitchKey(): Deno.KvKey {
  return ["state", "kill_switch"];
}

/** Key of the latest positions and P&L snapshot (for readers outside the core). */
export function portfolioKey(): Deno.KvKey {
  return ["state", "portfolio"];
}

/** Prefix of the simulated venue's own account state (its orders and fills), kept apart from the engine's. */
export const SIM_VENUE_PREFIX: Deno.KvKey = ["sim_venue"];

/** Key of one simulated-venue record. */
export function simVenueKey(kind: string, id: string | number): Deno.KvKey {
  return ["sim_venue", kind, id];
}

/** Key of the account's starting cash (decimal string), fixed when deno_rt first trades a broker account. */
export function startingCashKey(): Deno.KvKey {
  return ["state", "starting_cash"];
}

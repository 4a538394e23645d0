/** The embedded simulated venue: the default when no broker keys are given. */
import { type SimConfig, simConfigSchema } from "../../../schemas/config.ts";
import type { Venue } from "../venue.ts";

export { SimFeed } from "./sim_feed.ts";
export { SimMarket } from "./sim_market.ts";

/** Defaults for the sim feed, from the config schema. */
export const SIM_DEFAULTS: SimConfig = simConfigSchema.parse({});

/** Builds the sim venue from its settings. */
export function simVenue(sim: SimConfig): Venue {
  return { name: "sim", instrumentVenue: "SIM", timeScale: 1, feed: { kind: "sim", sim } };
}

/** The replay venue: recorded bars, trades and quotes played back in real time or faster. */
import type { ReplayConfig } from "../../../schemas/config.ts";
import type { Venue } from "../venue.ts";

export { ReplayFeed } from "./replay_feed.ts";

/** Builds the replay venue; its feed clock runs `speed` times the wall clock (0: as fast as possible). */
export function replayVenue(replay: ReplayConfig): Venue {
  // At speed 0 there is no steady rate to extrapolate, so bars close only as later data arrives.
  return {
    name: "replay",
    instrumentVenue: "REPLAY",
    timeScale: replay.speed,
    feed: { kind: "replay", replay },
  };
}

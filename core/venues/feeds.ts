/** Builds the FeedSource a FeedSpec names: the one switch over feed kinds. */
import { AlpacaFeeds } from "./alpaca/alpaca_feeds.ts";
import { ReplayFeed } from "./replay/replay_feed.ts";
import { SimFeed } from "./sim/sim_feed.ts";
import type { FeedContext, FeedSource, FeedSpec } from "./venue.ts";

/** Opens (without starting) the feed described by `spec`. */
export function openFeed(spec: FeedSpec, ctx: FeedContext): FeedSource {
  switch (spec.kind) {
    case "sim":
      return new SimFeed(ctx, spec.sim);
    case "replay":
      return new ReplayFeed(ctx, spec.replay);
    case "alpaca":
      return new AlpacaFeeds(ctx, spec.alpaca);
  }
}

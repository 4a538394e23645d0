/** The Alpaca venue (market data; trading joins with the REST adapter). */
import type { AlpacaConfig } from "../../../schemas/config.ts";
import type { Venue } from "../venue.ts";

export { AlpacaFeeds } from "./alpaca_feeds.ts";

/** Builds the Alpaca venue from config and the keys (which never enter config or KV). */
export function alpacaVenue(
  name: "alpaca-paper" | "alpaca-live",
  alpaca: AlpacaConfig,
  keys: { key: string; secret: string },
): Venue {
  const base = alpaca.data_stream_url.replace(/\/+$/, "");
  return {
    name,
    instrumentVenue: "ALPACA",
    timeScale: 1,
    feed: {
      kind: "alpaca",
      alpaca: {
        stocksUrl: `${base}/v2/${alpaca.data_feed}`,
        cryptoUrl: `${base}/v1beta3/crypto/us`,
        key: keys.key,
        secret: keys.secret,
        encoding: alpaca.encoding,
        dataUrl: alpaca.data_url,
      },
    },
  };
}

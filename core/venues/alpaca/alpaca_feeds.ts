/**
 * The Alpaca venue's market data as one FeedSource: Alpaca serves stocks and crypto on separate
 * streams (v2/{feed} and v1beta3/crypto/us), so symbols are routed by asset class to one
 * AlpacaStreamFeed per stream — one connection per feed and key, shared by every subscriber.
 */
import { assetClassOf } from "../../domain/instrument.ts";
import type { AlpacaFeedSettings, FeedContext, FeedSource } from "../venue.ts";
import { AlpacaStreamFeed } from "./stream.ts";

/** FeedSource over Alpaca's stock and crypto streams. */
export class AlpacaFeeds implements FeedSource {
  readonly #stocks: AlpacaStreamFeed;
  readonly #crypto: AlpacaStreamFeed;
  #started = { stocks: false, crypto: false };

  /** Creates both stream clients; each connects only once it has a symbol. */
  constructor(readonly ctx: FeedContext, settings: AlpacaFeedSettings) {
    const common = {
      key: settings.key,
      secret: settings.secret,
      encoding: settings.encoding,
      reconnect: { baseMs: 1000, maxMs: 30_000 },
      backfillUrl: settings.dataUrl,
    };
    this.#stocks = new AlpacaStreamFeed(ctx, { ...common, url: settings.stocksUrl });
    this.#crypto = new AlpacaStreamFeed(ctx, { ...common, url: settings.cryptoUrl });
  }

  /** Connects the streams that have symbols. */
  async start(): Promise<void> {
    for (const kind of ["stocks", "crypto"] as const) {
      const feed = kind === "stocks" ? this.#stocks : this.#crypto;
      if (feed.subscribed().length > 0 && !this.#started[kind]) {
        this.#started[kind] = true;
        await feed.start();
      }
    }
  }

  /** Routes symbols to their stream by asset class. */
  subscribe(symbols: readonly string[]): void {
    const [crypto, stocks] = split(symbols);
    if (stocks.length > 0) this.#stocks.subscribe(stocks);
    if (crypto.length > 0) this.#crypto.subscribe(crypto);
  }

  /** Unsubscribes on the right stream. */
  unsubscribe(symbols: readonly string[]): void {
    const [crypto, stocks] = split(symbols);
    if (stocks.length > 0) this.#stocks.unsubscribe(stocks);
    if (crypto.length > 0) this.#crypto.unsubscribe(crypto);
  }

  /** Symbols subscribed on either stream. */
  subscribed(): readonly string[] {
    return [...this.#stocks.subscribed(), ...this.#crypto.subscribed()];
  }

  /** Closes both streams. */
  async stop(): Promise<void> {
    await Promise.all([this.#stocks.stop(), this.#crypto.stop()]);
  }
}

function split(symbols: readonly string[]): [string[], string[]] {
  const crypto: string[] = [], stocks: string[] = [];
  for (const s of symbols) (assetClassOf(s) === "crypto" ? crypto : stocks).push(s);
  return [crypto, stocks];
}

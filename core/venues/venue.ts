/**
 * The Venue seam. A venue supplies market data (a FeedSource, run inside the feed worker from a
 * serialisable FeedSpec) and, with the trading loop, order entry. The sim, replay and Alpaca
 * venues all implement it, and tests/core/venues/conformance_test.ts runs the same suite on each.
 */
import type { Clock } from "../clock/clock.ts";
import type { InstrumentTable } from "../domain/instrument.ts";
import type { RecordSink } from "../data/record_sink.ts";
import type { ReplayConfig, SimConfig } from "../../schemas/config.ts";

/** Serialisable settings of the Alpaca feed (sent to the feed worker). */
export interface AlpacaFeedSettings {
  /** Stocks stream URL, e.g. wss://stream.data.alpaca.markets/v2/iex. */
  readonly stocksUrl: string;
  /** Crypto stream URL, e.g. wss://stream.data.alpaca.markets/v1beta3/crypto/us. */
  readonly cryptoUrl: string;
  readonly key: string;
  readonly secret: string;
  readonly encoding: "json" | "msgpack";
  /** Market-data REST base for bar backfill after a gap (none without it). */
  readonly dataUrl?: string;
}

/** Serialisable description of a feed, sent to the feed worker. */
export type FeedSpec =
  | { readonly kind: "sim"; readonly sim: SimConfig }
  | { readonly kind: "replay"; readonly replay: ReplayConfig }
  | { readonly kind: "alpaca"; readonly alpaca: AlpacaFeedSettings };

/** What a feed source needs: instruments, a clock, a sink, a logger. */
export interface FeedContext {
  readonly instruments: InstrumentTable;
  readonly clock: Clock;
  readonly sink: RecordSink;
  /** Frames longer than this are rejected whole. */
  readonly maxFrameBytes: number;
  /** Reports connection-level events (connected, subscribed, venue errors, end of data). */
  readonly log: (event: FeedEvent) => void;
}

/** A connection-level event from a feed. */
export interface FeedEvent {
  readonly type: "connected" | "subscribed" | "venue_error" | "ended" | "error";
  readonly message: string;
}

/** A running market-data feed. */
export interface FeedSource {
  /** Connects and starts delivering records for the subscribed symbols. */
  start(): Promise<void>;
  /** Adds symbols to the subscription. */
  subscribe(symbols: readonly string[]): void;
  /** Removes symbols; no records for them are delivered afterwards. */
  unsubscribe(symbols: readonly string[]): void;
  /** Symbols currently subscribed. */
  subscribed(): readonly string[];
  /** Stops delivering and releases resources. */
  stop(): Promise<void>;
}

/** A trading venue as the live node sees it. */
export interface Venue {
  /** Name shown in /health, e.g. `sim`. */
  readonly name: string;
  /** Venue part of instrument ids (`AAPL.SIM`). */
  readonly instrumentVenue: string;
  /** How fast the feed's time runs against the wall clock (1 live; N for an N× replay). */
  readonly timeScale: number;
  /** The feed to run in the feed worker. */
  readonly feed: FeedSpec;
}

/**
 * Control messages between the engine thread and the feed worker. Market data never travels
 * here: it goes through the ring. These carry start/stop, subscriptions and feed events only.
 */
import type { PrecisionOverride } from "../domain/instrument.ts";
import type { FeedEvent, FeedSpec } from "../venues/venue.ts";
import type { RingBuffers } from "./ring_layout.ts";

/** Engine → worker. */
export type ToFeedWorker =
  | {
    readonly type: "start";
    readonly spec: FeedSpec;
    /** Instrument table inputs, so the worker builds the same indices as the engine. */
    readonly symbols: readonly string[];
    readonly venue: string;
    readonly overrides: Readonly<Record<string, PrecisionOverride>>;
    readonly ring: RingBuffers;
    readonly fullWaitMs: number;
    readonly maxFrameBytes: number;
  }
  | { readonly type: "subscribe"; readonly symbols: readonly string[] }
  | { readonly type: "unsubscribe"; readonly symbols: readonly string[] }
  | { readonly type: "stop" };

/** Worker → engine. */
export type FromFeedWorker =
  | { readonly type: "started" }
  | { readonly type: "feed_event"; readonly event: FeedEvent }
  | { readonly type: "stopped" }
  | { readonly type: "fatal"; readonly message: string };

/**
 * Entry point of the feed worker thread: runs the venue's FeedSource, decodes and normalises its
 * frames, and writes records into the ring. It is an edge of the core, so it owns a WallClock.
 */
/// <reference lib="deno.worker" />
import { WallClock } from "../clock/wall_clock.ts";
import { InstrumentTable } from "../domain/instrument.ts";
import { openFeed } from "../venues/feeds.ts";
import type { FeedSource } from "../venues/venue.ts";
import type { FromFeedWorker, ToFeedWorker } from "./feed_protocol.ts";
import { RingWriter } from "./ring_buffer.ts";
import { RingSink } from "./ring_sink.ts";

let feed: FeedSource | undefined;

function send(msg: FromFeedWorker): void {
  self.postMessage(msg);
}

async function handle(msg: ToFeedWorker): Promise<void> {
  switch (msg.type) {
    case "start": {
      const instruments = new InstrumentTable(msg.symbols, msg.venue, msg.overrides);
      const sink = new RingSink(new RingWriter(msg.ring), instruments.size, msg.fullWaitMs);
      feed = openFeed(msg.spec, {
        instruments,
        clock: new WallClock(),
        sink,
        maxFrameBytes: msg.maxFrameBytes,
        log: (event) => send({ type: "feed_event", event }),
      });
      feed.subscribe(msg.symbols);
      await feed.start();
      send({ type: "started" });
      return;
    }
    case "subscribe":
      feed?.subscribe(msg.symbols);
      return;
    case "unsubscribe":
      feed?.unsubscribe(msg.symbols);
      return;
    case "stop":
      await feed?.stop();
      feed = undefined;
      send({ type: "stopped" });
      return;
  }
}

// An exception escaping a feed callback must not kill the thread that carries all market data.
self.onerror = (e: ErrorEvent) => {
  e.preventDefault();
  send({ type: "fatal", message: e.message });
};
self.onunhandledrejection = (e: PromiseRejectionEvent) => {
  e.preventDefault();
  send({ type: "fatal", message: String(e.reason) });
};

self.onmessage = (e: MessageEvent<ToFeedWorker>) => {
  handle(e.data).catch((err) =>
    send({ type: "fatal", message: err instanceof Error ? err.message : String(err) })
  );
};

/**
 * Alpaca's MessagePack framing: the same arrays of messages as the JSON stream, but timestamps are
 * MessagePack timestamp extension values (type -1) rather than RFC 3339 strings. Decoding turns
 * them back into RFC 3339 strings with all nine fractional digits, so AlpacaFrameDecoder reads
 * both framings through one path and nanosecond stamps are not cut to a JS Date's milliseconds.
 */
import {
  decode,
  decodeTimestampToTimeSpec,
  encode,
  encodeTimeSpecToTimestamp,
  EXT_TIMESTAMP,
  ExtensionCodec,
} from "@msgpack/msgpack";
import { parseRfc3339Micros } from "../../domain/timestamp.ts";

/** A point in time to be encoded as a MessagePack timestamp: seconds and nanoseconds since epoch. */
export class MsgpackTimestamp {
  /** Seconds since the epoch and nanoseconds within the second (0..999,999,999). */
  constructor(readonly sec: number, readonly nsec: number) {}
}

const NANO_DIGITS = 9;
// One event's messages share a second, so the date-time prefix is cached across calls.
let lastSec = NaN;
let lastPrefix = "";

/** Formats seconds + nanoseconds as RFC 3339 with nine fractional digits. */
export function timeSpecToRfc3339(sec: number, nsec: number): string {
  if (sec !== lastSec) {
    lastSec = sec;
    // `new Date(x)` with an argument converts a value; it does not read the wall clock.
    lastPrefix = new Date(sec * 1000).toISOString().slice(0, 19);
  }
  return lastPrefix + "." + String(nsec).padStart(NANO_DIGITS, "0") + "Z";
}

const codec = new ExtensionCodec();
// Registering type -1 replaces the library's built-in Date mapping in both directions.
codec.register({
  type: EXT_TIMESTAMP,
  encode: (input: unknown) =>
    input instanceof MsgpackTimestamp
      ? encodeTimeSpecToTimestamp({ sec: input.sec, nsec: input.nsec })
      : null,
  decode: (data: Uint8Array) => {
    const { sec, nsec } = decodeTimestampToTimeSpec(data);
    return timeSpecToRfc3339(sec, nsec);
  },
});

/** Decodes one binary frame into plain messages with RFC 3339 timestamp strings; throws if malformed. */
export function decodeMsgpackFrame(bytes: Uint8Array): unknown {
  return decode(bytes, { extensionCodec: codec });
}

/**
 * Encodes parsed JSON messages as a MessagePack frame, turning each message's RFC 3339 `t` field
 * into a timestamp extension value as Alpaca does (microsecond precision: what the parser keeps).
 */
export function encodeMsgpackFrame(messages: readonly unknown[]): Uint8Array {
  const out = messages.map((m) => {
    if (typeof m !== "object" || m === null || typeof (m as { t?: unknown }).t !== "string") {
      return m;
    }
    const us = parseRfc3339Micros((m as { t: string }).t);
    if (Number.isNaN(us)) return m;
    const sec = Math.floor(us / 1e6);
    return { ...m, t: new MsgpackTimestamp(sec, (us - sec * 1e6) * 1000) };
  });
  return encode(out, { extensionCodec: codec });
}

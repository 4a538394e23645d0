// A RecordSink for decoder tests: keeps every record as [kind, ...positional args] and counts errors.
import type { RecordSink } from "../../../core/data/record_sink.ts";
import type { DecodeErrorReason } from "../../../core/data/ring_layout.ts";

/** A RecordSink that keeps what it receives. */
export class CollectingSink implements RecordSink {
  records: Array<[string, ...number[]]> = [];
  errors = new Map<DecodeErrorReason, number>();
  flushes = 0;
  /** Keeps a trade. */
  trade(...a: number[]): void {
    this.records.push(["trade", ...a]);
  }
  /** Keeps a quote. */
  quote(...a: number[]): void {
    this.records.push(["quote", ...a]);
  }
  /** Keeps a book level. */
  bookLevel(...a: number[]): void {
    this.records.push(["book", ...a]);
  }
  /** Keeps a bar. */
  bar(...a: number[]): void {
    this.records.push(["bar", ...a]);
  }
  /** Counts flushes. */
  flush(): void {
    this.flushes++;
  }
  /** Counts an error by reason. */
  decodeError(reason: DecodeErrorReason): void {
    this.errors.set(reason, (this.errors.get(reason) ?? 0) + 1);
  }
}

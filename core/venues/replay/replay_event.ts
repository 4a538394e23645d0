/**
 * One parsed row of a recorded file, already in integer units and epoch µs. Slots are reused by
 * the per-file read-ahead queue, so a replay of millions of rows allocates no event objects.
 */

/** Kinds of replayed events. */
export const EventKind = { Trade: 1, Quote: 2, Bar: 3 } as const;

/** A replayed event kind. */
export type EventKind = typeof EventKind[keyof typeof EventKind];

/** A mutable event slot; which value fields are meaningful depends on `kind`. */
export class ReplayEvent {
  kind: EventKind = EventKind.Trade;
  /** Instrument index in the feed's InstrumentTable. */
  inst = 0;
  /** The file's timestamp in epoch µs (a bar's interval start). */
  ts = 0;
  /**
   * When the event happened in feed time, epoch µs: `ts` for trades and quotes, the close
   * (`ts + tfMicros`) for bars, which do not exist before their interval ends. Playback is
   * paced and merged on this.
   */
  at = 0;
  price = 0;
  size = 0;
  bidPx = 0;
  bidSz = 0;
  askPx = 0;
  askSz = 0;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  /** Volume-weighted average price in price units (a float). */
  vwap = 0;
  count = 0;
  /** Bar interval in µs; 0 until the file's timeframe is known (inferred after the first rows). */
  tfMicros = 0;
}

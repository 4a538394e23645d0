/**
 * The one shape every streaming indicator has. Indicators are float math (they are signals, not
 * money), update in O(1) per input, and report NaN until they have seen enough inputs.
 */

/** A streaming indicator: `update(...)` (arguments vary by kind) plus these members. */
export interface Indicator {
  /** The latest output, NaN until `isReady`. */
  readonly value: number;
  /** True once enough inputs have arrived for `value` to be defined. */
  readonly isReady: boolean;
  /** Forgets every input, as if just constructed. */
  reset(): void;
}

/** An indicator fed one number per update (a close, a trade price). */
export interface PriceIndicator extends Indicator {
  /** Feeds one value and returns the new `value` (NaN until ready). */
  update(x: number): number;
}

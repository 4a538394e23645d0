/**
 * Whether an order only shrinks a position. Several checks let such orders through so a trader
 * can always get flat; an order that crosses zero is not reducing (it opens the other side).
 */

/**
 * True when moving from `before` to `after` lots (signed) shrinks the position toward zero
 * without crossing it.
 * @example
 * ```ts
 * import { reducesPosition } from "./reduces_position.ts";
 * reducesPosition(100, 40); // true: sold 60 of a 100 long
 * reducesPosition(100, -20); // false: the sell flipped to a short
 * ```
 */
export function reducesPosition(before: number, after: number): boolean {
  return before > 0 ? after >= 0 && after < before : before < 0 && after <= 0 && after > before;
}

/**
 * Removal from the small arrays of the order path without allocating: `splice(i, 1)` builds an
 * array of what it removed, and an array emptied by splice or by setting its length gives up its
 * storage, which the next push allocates again; pop() keeps it.
 */

/** Removes `list[i]` (0 ≤ i < length), moving the later items down one. */
export function removeAt<T>(list: T[], i: number): void {
  for (let k = i + 1; k < list.length; k++) list[k - 1] = list[k]!;
  list.pop();
}

/** Throws a RangeError naming `name` unless `value` is an integer >= `min`. */
export function checkPeriod(indicator: string, name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      `Cannot create ${indicator}: '${name}' must be an integer >= ${min}, got ${value}`,
    );
  }
  return value;
}

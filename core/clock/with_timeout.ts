/** A promise bounded in time on an injected clock (so tests and sims control the wait). */
import type { Clock } from "./clock.ts";

/** Settles like `p`, or rejects with `message` if `p` has not settled `ms` after the call. */
export function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  clock: Clock,
  message: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = clock.setTimer(ms, () => reject(new Error(message)));
    p.then((v) => {
      clock.clearTimer(t);
      resolve(v);
    }, (e) => {
      clock.clearTimer(t);
      reject(e);
    });
  });
}

/**
 * Venue failures, sorted before any retry: retryable ones (timeouts, 5xx, 429, dropped
 * connections) and final ones (rejections, invalid requests). `maybeReceived` marks failures after
 * which the venue may hold the order anyway (a timeout after sending), so the router must look the
 * order up by client id before it re-sends.
 */

/** What went wrong, in venue-neutral terms. */
export type VenueErrorKind =
  | "timeout"
  | "network"
  | "rate_limited"
  | "server_error"
  | "rejected"
  | "insufficient_buying_power"
  | "invalid_request"
  | "not_found"
  | "duplicate_client_order_id";

const RETRYABLE: ReadonlySet<VenueErrorKind> = new Set([
  "timeout",
  "network",
  "rate_limited",
  "server_error",
]);

/** A classified venue error. */
export class VenueError extends Error {
  /** Creates the error; `retryAfterMs` comes from a 429's Retry-After. */
  constructor(
    readonly kind: VenueErrorKind,
    message: string,
    readonly options: {
      readonly maybeReceived?: boolean;
      readonly retryAfterMs?: number;
      readonly status?: number;
    } = {},
  ) {
    super(message);
    this.name = "VenueError";
  }

  /** True when trying again can succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** True when the venue may have acted on the request although we saw a failure. */
  get maybeReceived(): boolean {
    return this.options.maybeReceived ?? (this.kind === "timeout" || this.kind === "server_error");
  }
}

/** Classifies an HTTP status (and Retry-After seconds) into a VenueError kind. */
export function kindForStatus(status: number): VenueErrorKind {
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status === 403) return "insufficient_buying_power";
  if (status === 404) return "not_found";
  if (status === 422 || status === 400) return "invalid_request";
  return "rejected";
}

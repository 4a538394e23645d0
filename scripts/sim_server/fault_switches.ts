/**
 * Fault switches for adapter tests: POST /admin/faults sets them (every field, missing = off) and
 * they apply to the trading API's requests until set again. GET /admin/faults reads them.
 *   rest_status 429 | 500 | null   answer every /v2 request with that error, before the venue
 *   delay_ms n                     wait n ms before handling each /v2 request
 *   timeout_after_accept bool      mutating requests reach the venue, but no answer is sent
 *   drop_streams bool              close every stream socket (trade_updates and market data) now and
 *                                  as soon as new ones open
 *   fail_auth bool                 refuse every key: REST answers 401, the market-data streams 402,
 *                                  trade_updates "unauthorized"
 *   malformed_frames bool          market-data streams also send an unreadable frame every tick
 * One FaultSwitches is shared by every part of a server (main.ts passes it to each).
 */
import { z } from "zod";
import type { Route } from "./router.ts";

const faultsSchema = z.object({
  rest_status: z.union([z.literal(429), z.literal(500), z.null()]).default(null),
  delay_ms: z.number().int().min(0).max(600_000).default(0),
  timeout_after_accept: z.boolean().default(false),
  drop_streams: z.boolean().default(false),
  fail_auth: z.boolean().default(false),
  malformed_frames: z.boolean().default(false),
}).strict();

/** The switches in force. */
export type Faults = z.infer<typeof faultsSchema>;

// The longest a request is held unanswered; clients time out long before. The request's abort
// signal is not watched: Deno.serve also fires it after ordinary responses (legacy behaviour).
const MAX_HANG_MS = 60_000;

/** Current faults, their admin route, and the unanswered requests they hold. */
export class FaultSwitches {
  #faults: Faults = faultsSchema.parse({});
  readonly #hangs = new Set<() => void>();

  readonly #listeners: Array<(faults: Faults) => void> = [];

  /** Calls `fn` with the switches every time they are set. */
  onChange(fn: (faults: Faults) => void): void {
    this.#listeners.push(fn);
  }

  /** The switches in force now. */
  get current(): Faults {
    return this.#faults;
  }

  /** Replaces every switch (missing fields are off). */
  set(next: Partial<Faults>): Faults {
    this.#faults = faultsSchema.parse(next);
    for (const fn of this.#listeners) fn(this.#faults);
    return this.#faults;
  }

  /** POST and GET /admin/faults. */
  readonly route: Route = async (req, url) => {
    if (url.pathname !== "/admin/faults") return undefined;
    if (req.method === "GET") return Response.json(this.#faults);
    if (req.method !== "POST") {
      return Response.json({ message: "method not allowed" }, { status: 405 });
    }
    const body: unknown = await req.json().catch(() => undefined);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return Response.json({ code: 40010000, message: "request body format is invalid" }, {
        status: 400,
      });
    }
    const parsed = faultsSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.code === "unrecognized_keys"
        ? `unknown switch ${issue.keys.join(", ")}`
        : `${issue.path.join(".")}: ${issue.message}`;
      return Response.json({ code: 40010001, message: where }, { status: 422 });
    }
    return Response.json(this.set(parsed.data));
  };

  /**
   * Holds a request whose work is done without answering, until the server closes or
   * MAX_HANG_MS pass; then answers 504 to a client that has given up by then.
   */
  hang(): Promise<Response> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#hangs.delete(done);
        resolve(Response.json({ message: "gateway timeout" }, { status: 504 }));
      };
      const timer = setTimeout(done, MAX_HANG_MS);
      this.#hangs.add(done);
    });
  }

  /** Releases every held request (server shutdown waits for them). */
  releaseAll(): void {
    for (const done of [...this.#hangs]) done();
  }
}

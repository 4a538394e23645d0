/**
 * The sim server's router: an ordered list of routes, each handling the requests it recognises and
 * returning undefined for the rest. The market-data stream is one route; the trading REST API joins
 * by adding its own.
 */

/** A route: a Response for a request it handles, undefined to let the next route try. */
export type Route = (
  req: Request,
  url: URL,
) => Response | undefined | Promise<Response | undefined>;

/** Builds a `Deno.serve` handler that tries `routes` in order and answers 404 when none matches. */
export function createRouter(routes: readonly Route[]): (req: Request) => Promise<Response> {
  return async (req) => {
    const url = new URL(req.url);
    for (const route of routes) {
      const res = await route(req, url);
      if (res !== undefined) return res;
    }
    return Response.json({ message: "not found" }, { status: 404 });
  };
}

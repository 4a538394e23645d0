/**
 * The HTTP application: one sub-app per file, mounted here, one error handler, JSON 404s.
 * @example
 * ```ts
 * import { createApp } from "./app.ts";
 * import type { CoreView, TradingView } from "./core_view.ts";
 * declare const view: CoreView;
 * const app = createApp(view);
 * Deno.serve({ port: 8000 }, app.fetch);
 * ```
 */
import { Hono } from "hono";
import type { CoreView, TradingView } from "./core_view.ts";
import { healthApp } from "./health.ts";
import { errorBody, handleError } from "./http_error.ts";
import { marketApp } from "./market.ts";
import { metricsApp } from "./metrics.ts";
import { tradingApp } from "./trading.ts";

/** Builds the app over a core view; trading routes are mounted when a trading view is given. */
export function createApp(
  view: CoreView,
  options: { trading?: TradingView; adminToken?: string } = {},
): Hono {
  const app = new Hono();
  app.route("/", healthApp(view));
  app.route("/", metricsApp(view));
  app.route("/api", marketApp(view));
  if (options.trading !== undefined) {
    app.route("/api", tradingApp(options.trading, options.adminToken));
  }
  app.notFound((c) =>
    c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404)
  );
  app.onError(handleError);
  return app;
}

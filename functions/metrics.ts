/** GET /metrics: Prometheus text exposition format 0.0.4. */
import { Hono } from "hono";
import type { CoreView } from "./core_view.ts";

/** The metrics sub-app. */
export function metricsApp(view: CoreView): Hono {
  return new Hono().get(
    "/metrics",
    (c) =>
      c.body(view.metrics(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
  );
}

/** GET /health: status, venue, uptime, per-symbol age of the last update and stale flags. */
import { Hono } from "hono";
import type { CoreView } from "./core_view.ts";

/** The health sub-app; answers 503 while the core is not fully up so load balancers notice. */
export function healthApp(view: CoreView): Hono {
  return new Hono().get("/health", (c) => {
    const h = view.health();
    return c.json(h, h.status === "ok" || h.status === "degraded" ? 200 : 503);
  });
}

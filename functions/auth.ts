/**
 * Bearer auth for mutating routes: `Authorization: Bearer <DENO_RT_ADMIN_TOKEN>`. With no token
 * configured every mutating call is refused (403): a trading system must not accept orders from
 * anyone by default. A wrong or missing token is 401.
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http_error.ts";

/** Middleware requiring the admin token; `token` undefined or empty means none is configured. */
export function requireAdmin(token: string | undefined): MiddlewareHandler {
  const expected = new TextEncoder().encode(token ?? "");
  return async (c, next) => {
    if (expected.length === 0) {
      throw new HttpError(
        403,
        "forbidden",
        "mutating endpoints are disabled: set DENO_RT_ADMIN_TOKEN to enable them",
      );
    }
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer (.+)$/i.exec(header); // the scheme is case-insensitive (RFC 7235)
    if (m === null || !constantTimeEqual(new TextEncoder().encode(m[1]!), expected)) {
      throw new HttpError(401, "unauthorized", "missing or wrong bearer token", "authorization");
    }
    await next();
  };
}

/** Compares without an early exit, so timing does not reveal how much of a guess was right. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

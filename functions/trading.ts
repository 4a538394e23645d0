/**
 * Trading routes: positions, orders, fills, P&L and risk (read), kill switch and manual orders
 * (mutating, bearer auth). Bodies are size-limited, parsed as JSON and validated with zod; a bad
 * body is a 400 naming the field.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Context } from "hono";
import type { z } from "zod";
import {
  fillsQuerySchema,
  killSwitchBodySchema,
  manualOrderSchema,
  ordersQuerySchema,
} from "../schemas/http.ts";
import { requireAdmin } from "./auth.ts";
import type { TradingView } from "./core_view.ts";
import { HttpError, parseQuery } from "./http_error.ts";
import { describeIssue } from "../schemas/issue_text.ts";

const MAX_BODY_BYTES = 16 * 1024;

/** The trading sub-app under /api. */
export function tradingApp(view: TradingView, adminToken: string | undefined): Hono {
  const admin = requireAdmin(adminToken);
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new HttpError(413, "body_too_large", `request body exceeds ${MAX_BODY_BYTES} bytes`);
    },
  });
  return new Hono()
    .get("/positions", (c) => c.json({ positions: view.positions() }))
    .get("/orders", (c) => {
      const q = parseQuery(c, ordersQuerySchema);
      if (q.symbol !== undefined && !view.knowsSymbol(q.symbol)) throw unknownSymbol(q.symbol);
      return c.json({ orders: view.orders(q) });
    })
    .get("/fills", (c) => {
      const q = parseQuery(c, fillsQuerySchema);
      if (q.symbol !== undefined && !view.knowsSymbol(q.symbol)) throw unknownSymbol(q.symbol);
      return c.json({ fills: view.fills(q) });
    })
    .get("/pnl", (c) => c.json(view.pnl()))
    .get("/risk", (c) => c.json(view.risk()))
    .post("/kill-switch", admin, limit, async (c) => {
      const body = await parseBody(c, killSwitchBodySchema);
      const state = body.state ?? (body.on ? "halted" : "active");
      return c.json(await view.setKillSwitch(state, body.reason ?? "http"));
    })
    .post("/orders", admin, limit, async (c) => {
      const result = await view.placeOrder(await parseBody(c, manualOrderSchema));
      if (result.kind === "refused") {
        throw new HttpError(result.status, result.code, result.message, result.field);
      }
      return c.json({ order: result.order }, 201);
    });
}

function unknownSymbol(symbol: string): HttpError {
  return new HttpError(
    404,
    "unknown_symbol",
    `unknown symbol '${symbol}' (slashes must be URL-encoded: BTC%2FUSD)`,
    "symbol",
  );
}

async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new HttpError(400, "invalid_json", "request body must be a JSON object");
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.code === "unrecognized_keys"
    ? String((issue as { keys: string[] }).keys[0])
    : issue.path.map(String).join(".") || "(body)";
  const message = issue.code === "unrecognized_keys"
    ? `unknown field '${field}'`
    : issue.code === "custom"
    ? issue.message
    : `'${field}' ${describeIssue(issue)}`;
  throw new HttpError(400, "invalid_body", message, field);
}

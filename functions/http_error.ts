/** The one HTTP error convention: `{"error": {"code", "message", "field"?}}` with the right status. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { ErrorBody } from "../schemas/http.ts";
import { describeIssue } from "../schemas/issue_text.ts";

/** An error a handler throws to answer with `status` and a JSON error body. */
export class HttpError extends Error {
  /** Creates the error; `field` names the offending parameter or body field. */
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Builds the JSON error body. */
export function errorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

/** Answers an error: HttpError as itself, anything else as a 500 without internals. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof HttpError) {
    return c.json(errorBody(err.code, err.message, err.field), err.status);
  }
  console.error("HTTP handler failed:", err);
  return c.json(errorBody("internal_error", "internal error"), 500);
}

/** Parses query parameters with `schema`, throwing a 400 HttpError that names the first bad one. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const result = schema.safeParse(c.req.query());
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.code === "unrecognized_keys"
    ? String((issue as { keys: string[] }).keys[0])
    : issue.path.map(String).join(".");
  const message = issue.code === "unrecognized_keys"
    ? `unknown query parameter '${field}'`
    : `query parameter '${field}' ${describeIssue(issue)}`;
  throw new HttpError(400, "invalid_query", message, field);
}

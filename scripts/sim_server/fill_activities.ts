/**
 * Alpaca's FILL account activities (GET /v2/account/activities/FILL, and /v2/account/activities
 * with activity_types=FILL), built from the same fill reports the trade_updates stream sends, so a
 * client that lost the stream can read the executions it missed. Query: after / until (RFC 3339),
 * direction (desc by default, as Alpaca), page_size (≤ 100) and page_token (the id of the last
 * activity of the previous page).
 */
import { formatScaled, MAX_DECIMALS, parseScaled } from "../../core/domain/fixed_point.ts";
import { parseTimestampMicros } from "../../core/domain/timestamp.ts";
import { ERRORS } from "./alpaca_json.ts";
import type { TradeUpdateData } from "./trade_updates_stream.ts";

interface Activity {
  readonly at: number;
  readonly json: Record<string, unknown>;
}

/** The account's FILL activities, oldest first. */
export class FillActivities {
  readonly #list: Activity[] = [];

  /** Records the activity of a fill or partial_fill report; other events are ignored. */
  record(data: TradeUpdateData): void {
    if (data.event !== "fill" && data.event !== "partial_fill") return;
    const order = data.order as Record<string, unknown>;
    const timestamp = String(data.timestamp);
    const at = parseTimestampMicros(timestamp);
    const seq = String(this.#list.length + 1).padStart(9, "0");
    // Alpaca's ids are "<yyyymmddhhmmssmmm>::<uuid>"; the sequence keeps ours unique and sortable.
    const stamp = timestamp.replace(/[^0-9]/g, "").slice(0, 17).padEnd(17, "0");
    this.#list.push({
      at,
      json: {
        id: `${stamp}::00000000-0000-4000-8000-${seq.padStart(12, "0")}`,
        activity_type: "FILL",
        transaction_time: timestamp,
        type: data.event,
        price: data.price,
        qty: data.qty,
        side: order.side,
        symbol: order.symbol,
        leaves_qty: leaves(order),
        order_id: order.id,
        cum_qty: order.filled_qty,
        order_status: order.status,
      },
    });
  }

  /** Answers an activities request, or undefined when the path is not one. */
  answer(path: string, params: URLSearchParams): Response | undefined {
    if (path === "/v2/account/activities") {
      const types = params.get("activity_types")?.split(",") ?? ["FILL"];
      if (!types.includes("FILL")) return Response.json([]);
    } else if (path.startsWith("/v2/account/activities/")) {
      const type = path.slice("/v2/account/activities/".length);
      if (type !== "FILL") return Response.json([]); // no non-trade activities in the simulator
    } else return undefined;
    const after = time(params.get("after"), -Infinity);
    const until = time(params.get("until"), Infinity);
    if (Number.isNaN(after) || Number.isNaN(until)) {
      return ERRORS.invalid("after and until must be RFC 3339 times");
    }
    const direction = params.get("direction") ?? "desc";
    if (direction !== "asc" && direction !== "desc") return ERRORS.invalid("invalid direction");
    const size = Number(params.get("page_size") ?? "100");
    if (!Number.isInteger(size) || size < 1 || size > 100) {
      return ERRORS.invalid("page_size must be 1..100");
    }
    let list = this.#list.filter((a) => a.at > after && a.at < until);
    if (direction === "desc") list = list.reverse();
    const token = params.get("page_token");
    if (token !== null) {
      const i = list.findIndex((a) => a.json.id === token);
      list = i < 0 ? [] : list.slice(i + 1);
    }
    return Response.json(list.slice(0, size).map((a) => a.json));
  }
}

function time(text: string | null, absent: number): number {
  return text === null ? absent : parseTimestampMicros(text);
}

function leaves(order: Record<string, unknown>): string {
  // Exact at the finest precision any instrument has.
  const qty = parseScaled(String(order.qty), MAX_DECIMALS, "qty");
  const filled = parseScaled(String(order.filled_qty), MAX_DECIMALS, "filled_qty");
  return formatScaled(qty - filled, MAX_DECIMALS);
}

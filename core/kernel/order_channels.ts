/**
 * The bus topics the kernel publishes once per order, as cached channels: a message is built only
 * when someone listens (a backtest usually has no listener), and no topic is looked up by name on
 * the order path.
 */
import type { Bus, Channel } from "../bus/bus.ts";
import type { Fill } from "../domain/order.ts";
import type { ManagedOrder } from "../execution/order_manager.ts";
import type { OrderEvent } from "../execution/order_state.ts";

// expired and replaced orders are published on order.canceled with their status (topics are fixed)
const EVENT_TOPIC = {
  accepted: "order.accepted",
  partial_fill: "order.partially_filled",
  fill: "order.filled",
  canceled: "order.canceled",
  expired: "order.canceled",
  replaced: "order.canceled",
  rejected: "order.rejected",
} as const;

type EventTopic = (typeof EVENT_TOPIC)[OrderEvent];

/** The kernel's per-order channels. */
export class OrderChannels {
  readonly signals: Channel<"signal.generated">;
  readonly approved: Channel<"risk.approved">;
  readonly submitted: Channel<"order.submitted">;
  readonly #events: Record<OrderEvent, Channel<EventTopic>>;

  /** Caches the channels of `bus`. */
  constructor(bus: Bus) {
    this.signals = bus.channel("signal.generated");
    this.approved = bus.channel("risk.approved");
    this.submitted = bus.channel("order.submitted");
    this.#events = Object.fromEntries(
      Object.entries(EVENT_TOPIC).map(([event, topic]) => [event, bus.channel(topic)]),
    ) as Record<OrderEvent, Channel<EventTopic>>;
  }

  /** Publishes `order`'s state after `event` on its topic, if anyone listens. */
  orderEvent(event: OrderEvent, order: ManagedOrder, fill?: Fill, reason?: string): void {
    const channel = this.#events[event];
    if (!channel.active) return;
    channel.publish({
      clientOrderId: order.request.clientOrderId,
      symbol: order.request.symbol,
      status: order.status,
      filledQty: order.filledQty,
      fill,
      reason,
    });
  }
}

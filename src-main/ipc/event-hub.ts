import { events } from '../../src-shared/contract/events';
import type { EventPayload } from '../../src-shared/contract/events';
import type { EventName } from '../../src-shared/contract/names';
import type { Unsubscribe } from '../../src-shared/contract/desktop-api';

/** Somewhere events can be delivered: an Electron webContents or a web-bridge socket. */
export interface EventSink {
  /** Stable per destination, so subscribing twice does not deliver twice. */
  readonly id: string;
  send(event: EventName, payload: unknown): void;
}

/**
 * Main's side of events. Payloads are validated against the contract when published (a bad payload is a
 * bug in main and throws there, not in the renderer). The latest payload per event is kept and replayed to
 * a sink that subscribes late, so a window that opens after startup still shows current state.
 */
export class EventHub {
  private readonly latestByEvent = new Map<EventName, unknown>();
  private readonly sinksByEvent = new Map<EventName, Map<string, EventSink>>();

  constructor(private readonly logger: { error(message: string, error?: unknown): void } = console) {}

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].payload.safeParse(payload);
    if (!checked.success) {
      throw new Error(`event ${event} payload breaks the contract: ${checked.error.message}`);
    }
    this.latestByEvent.set(event, checked.data);
    for (const sink of [...(this.sinksByEvent.get(event)?.values() ?? [])]) this.deliver(sink, event, checked.data);
  }

  /** The last published payload, if any. */
  latest<E extends EventName>(event: E): EventPayload<E> | undefined {
    return this.latestByEvent.get(event) as EventPayload<E> | undefined;
  }

  /**
   * Drops the latest payload of `event`, so it is no longer replayed to new subscribers (e.g. a navigation
   * request that a window already acted on must not send a freshly opened window there again).
   */
  forget(event: EventName): void {
    this.latestByEvent.delete(event);
  }

  /** Starts delivering `event` to `sink` and immediately replays the latest snapshot. */
  subscribe(sink: EventSink, event: EventName): Unsubscribe {
    let sinks = this.sinksByEvent.get(event);
    if (!sinks) {
      sinks = new Map();
      this.sinksByEvent.set(event, sinks);
    }
    sinks.set(sink.id, sink);
    if (this.latestByEvent.has(event)) this.deliver(sink, event, this.latestByEvent.get(event));
    return () => {
      if (sinks.get(sink.id) === sink) sinks.delete(sink.id);
    };
  }

  /** Forgets a destination entirely (window closed, socket gone). */
  removeSink(sinkId: string): void {
    for (const sinks of this.sinksByEvent.values()) sinks.delete(sinkId);
  }

  subscriberCount(event: EventName): number {
    return this.sinksByEvent.get(event)?.size ?? 0;
  }

  private deliver(sink: EventSink, event: EventName, payload: unknown): void {
    try {
      sink.send(event, payload);
    } catch (e) {
      // A destination that cannot receive (destroyed window, closed socket) is dropped, not retried.
      this.logger.error(`[events] dropping sink ${sink.id} after a failed ${event} delivery`, e);
      this.removeSink(sink.id);
    }
  }
}

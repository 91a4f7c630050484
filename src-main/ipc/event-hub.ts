import { events } from '../../src-shared/contract/events';
import type { EventPayload } from '../../src-shared/contract/events';
import { KEYED_EVENT_REPLAY_LIMIT, replayKeyOf } from '../../src-shared/contract/names';
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
 * a sink that subscribes late, so a window that opens after startup still shows current state. Keyed events
 * (`KEYED_EVENTS`, e.g. `operations.progress`) keep the latest payload per key, so a late sink receives every
 * remembered operation with its log backlog.
 */
export class EventHub {
  /** event -> replay key ('' for unkeyed events) -> latest payload; insertion order = least recently updated first. */
  private readonly latestByEvent = new Map<EventName, Map<string, unknown>>();
  private readonly sinksByEvent = new Map<EventName, Map<string, EventSink>>();

  constructor(private readonly logger: { error(message: string, error?: unknown): void } = console) {}

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].payload.safeParse(payload);
    if (!checked.success) {
      throw new Error(`event ${event} payload breaks the contract: ${checked.error.message}`);
    }
    let latest = this.latestByEvent.get(event);
    if (!latest) {
      latest = new Map();
      this.latestByEvent.set(event, latest);
    }
    const key = replayKeyOf(event, checked.data);
    latest.delete(key); // re-insert: most recently updated last
    latest.set(key, checked.data);
    if (latest.size > KEYED_EVENT_REPLAY_LIMIT) latest.delete(latest.keys().next().value as string);
    for (const sink of [...(this.sinksByEvent.get(event)?.values() ?? [])]) this.deliver(sink, event, checked.data);
  }

  /** The last published payload (of `key`, for keyed events), if any. */
  latest<E extends EventName>(event: E, key = ''): EventPayload<E> | undefined {
    return this.latestByEvent.get(event)?.get(key) as EventPayload<E> | undefined;
  }

  /**
   * Drops the latest payload of `event`, so it is no longer replayed to new subscribers (e.g. a navigation
   * request that a window already acted on must not send a freshly opened window there again).
   */
  forget(event: EventName): void {
    this.latestByEvent.delete(event);
  }

  /** Starts delivering `event` to `sink` and immediately replays the latest snapshot (every key's, if keyed). */
  subscribe(sink: EventSink, event: EventName): Unsubscribe {
    let sinks = this.sinksByEvent.get(event);
    if (!sinks) {
      sinks = new Map();
      this.sinksByEvent.set(event, sinks);
    }
    sinks.set(sink.id, sink);
    for (const payload of [...(this.latestByEvent.get(event)?.values() ?? [])]) this.deliver(sink, event, payload);
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

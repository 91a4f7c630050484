import type { Unsubscribe } from '../contract/desktop-api';
import { KEYED_EVENT_REPLAY_LIMIT, replayKeyOf } from '../contract/names';
import type { EventName } from '../contract/names';

/**
 * Local fan-out for one transport: subscribes upstream once per event, keeps the latest payload (per key for
 * keyed events such as `operations.progress`) and replays it to listeners that arrive later, so every listener
 * sees the current snapshot without asking main again.
 */
export function createEventFanout(subscribeUpstream: (event: EventName, deliver: (payload: unknown) => void) => void) {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const latest = new Map<EventName, Map<string, unknown>>();

  return function subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe {
    let set = listeners.get(event);
    if (!set) {
      const fresh = new Set<(payload: unknown) => void>();
      set = fresh;
      listeners.set(event, fresh);
      subscribeUpstream(event, (payload) => {
        let byKey = latest.get(event);
        if (!byKey) latest.set(event, (byKey = new Map()));
        const key = replayKeyOf(event, payload);
        byKey.delete(key);
        byKey.set(key, payload);
        if (byKey.size > KEYED_EVENT_REPLAY_LIMIT) byKey.delete(byKey.keys().next().value as string);
        for (const l of [...fresh]) safeCall(l, payload);
      });
    }
    set.add(listener);
    for (const payload of [...(latest.get(event)?.values() ?? [])]) safeCall(listener, payload);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(listener);
    };
  };
}

function safeCall(listener: (payload: unknown) => void, payload: unknown): void {
  try {
    listener(payload);
  } catch (e) {
    // One broken listener must not stop the others from seeing the event.
    console.error('proximity event listener failed', e);
  }
}

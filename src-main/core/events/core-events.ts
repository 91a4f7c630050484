import type { ApplianceStatus } from '../../../src-shared/contract/appliance-schemas';
import type { Operation } from '../../../src-shared/contract/schemas';
import type { SettingKey } from '../settings/settings-schema';

/**
 * What core announces. Payloads say WHAT changed (ids, keys), not the new state: subscribers read the state
 * they need from core, so a payload can never disagree with the database. Operations are the exception: their
 * snapshot (with log backlog) lives in memory while they run, so it travels with the event.
 *
 * Room to grow: background work (health checks, reconciliation, deployments) adds its events here, e.g.
 * `'health.changed': { target: string }`.
 */
export interface CoreEventMap {
  /** An app was created, deleted or changed status. */
  'apps.changed': { appId: string; change: 'created' | 'updated' | 'deleted' };
  /** An app's port pair was allocated or released. */
  'ports.changed': { appId: string; change: 'allocated' | 'released' };
  /** One or more settings were written (e.g. both port ranges at once). */
  'settings.changed': { keys: SettingKey[] };
  /** A PVE connection was created, updated (secret, pinned fingerprints) or deleted. */
  'connections.changed': { connectionId: string; change: 'created' | 'updated' | 'deleted' };
  /** A connection's live cluster state changed (nodes, guests, storage or the API's health); read it from core. */
  'cluster.changed': { connectionId: string };
  /** An operation started, progressed, logged or ended; the full snapshot with its log backlog. */
  'operations.changed': Operation;
  /** A node's network appliance was checked (status read, provisioning ended, health tick); the snapshot it found. */
  'appliance.changed': ApplianceStatus;
}

export type CoreEventName = keyof CoreEventMap;
export type CoreEventListener<E extends CoreEventName> = (payload: CoreEventMap[E]) => void;

/** A sink for core events: repositories take one so they can announce what they changed. */
export interface CoreEventPublisher {
  emit<E extends CoreEventName>(event: E, payload: CoreEventMap[E]): void;
}

/**
 * Core's typed event emitter, owned by `openCore`. Delivery is synchronous, in subscription order, after the
 * change has been committed. A listener that throws is logged and skipped: a subscriber (the tray, a window)
 * can never turn a committed change into an error for whoever made it, nor stop the other subscribers.
 */
export class CoreEvents implements CoreEventPublisher {
  private readonly listeners = new Map<CoreEventName, Set<(payload: never) => void>>();

  constructor(private readonly logger: { error(message: string, error?: unknown): void } = console) {}

  /** Calls `listener` for every later `event`; returns the unsubscribe function. */
  on<E extends CoreEventName>(event: E, listener: CoreEventListener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => void set.delete(entry);
  }

  emit<E extends CoreEventName>(event: E, payload: CoreEventMap[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as CoreEventListener<E>)(payload);
      } catch (e) {
        this.logger.error(`[core-events] a ${event} listener failed`, e);
      }
    }
  }

  /** How many listeners `event` has (tests, leak checks). */
  listenerCount(event: CoreEventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}

import type { EventHub } from './event-hub';
import type { CoreForIpc } from './handler-types';
import { listAppSummaries, toStoreStatus } from './handlers/mappers';

/**
 * Publishes the current apps list and store status. Call once at startup (so the first window gets a
 * snapshot on subscribe) and whenever core state changes; events always carry a full snapshot.
 *
 * Never throws: a snapshot that cannot be read (e.g. the database went away) is logged and skipped, so it
 * can neither stop the app from starting nor turn an already-committed change into an error for the caller.
 * The renderer still sees the problem when it asks (`store.getStatus` returns the error with its code).
 */
export function publishCoreSnapshots(
  hub: EventHub,
  core: CoreForIpc,
  what: 'apps' | 'store' | 'all' = 'all',
  logger: { error(message: string, error?: unknown): void } = console,
): void {
  if (what === 'apps' || what === 'all') {
    try {
      hub.publish('apps.changed', listAppSummaries(core));
    } catch (e) {
      logger.error('[events] could not publish apps.changed', e);
    }
  }
  if (what === 'store' || what === 'all') {
    try {
      hub.publish('store.statusChanged', toStoreStatus(core.db.status()));
    } catch (e) {
      logger.error('[events] could not publish store.statusChanged', e);
    }
  }
}

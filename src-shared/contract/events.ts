import { z } from 'zod';
import { applianceStatusSchema } from './appliance-schemas';
import type { EventName } from './names';
import { clusterSnapshotSchema, connectionSchema } from './connection-schemas';
import { appSummarySchema, databaseStatusSchema, navigationSchema, operationSchema, portRangesSchema } from './schemas';

/**
 * Events main pushes to the renderer. Each carries a full snapshot (not a diff), so a renderer that
 * subscribes late, or misses one, is correct after the next event; main replays the latest on subscribe.
 * Adding one: its name in `EVENT_NAMES` (names.ts), its payload schema here; the preload, the web-bridge client
 * and `DesktopApi` (`on<Area><What>`) pick it up from those two lists.
 */
export const events = {
  'apps.changed': { payload: z.array(appSummarySchema) },
  'database.statusChanged': { payload: databaseStatusSchema },
  'settings.portRangesChanged': { payload: portRangesSchema },
  // One snapshot PER OPERATION (keyed by `id`, see KEYED_EVENTS), with its log backlog: a late subscriber
  // receives every remembered operation's current state and buffered log lines, not only the last payload.
  'operations.progress': { payload: operationSchema },
  // "Show this screen" (tray menu actions). The latest request is replayed like any snapshot, so a window
  // the tray action had to open first still lands on the requested view.
  'ui.navigate': { payload: navigationSchema },
  // Every saved connection (without secrets), after any add, edit, re-pin or removal.
  'connections.changed': { payload: z.array(connectionSchema) },
  // One snapshot PER CONNECTION (keyed by `connectionId`): nodes (online/offline, free capacity), guests, health.
  'cluster.changed': { payload: clusterSnapshotSchema },
  // One snapshot PER NODE's appliance (keyed by `key` = `<connectionId>/<node>`), sent when what it found changed.
  'appliance.changed': { payload: applianceStatusSchema },
} satisfies Record<EventName, { payload: z.ZodType }>;

export type Events = typeof events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

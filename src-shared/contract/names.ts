/**
 * The names of every request channel and event, with no zod import.
 *
 * Why a separate list: the sandboxed preload (and the renderer bundle) must build one method per channel at
 * run time, but they cannot load zod (a sandboxed preload can `require` only `electron`). The schemas live in
 * `channels.ts` / `events.ts`, which declare their maps with `satisfies Record<ChannelName, ...>` against
 * these lists, so the compiler rejects a channel that is in one place and not the other.
 */
export const CHANNEL_NAMES = [
  'system.getInfo',
  'database.getStatus',
  'apps.list',
  'ports.list',
  'settings.getPortRanges',
  'settings.setPortRanges',
  'audit.list',
  'links.openExternal',
  'operations.list',
  'operations.get',
  'operations.cancel',
  'connections.list',
  'connections.probe',
  'connections.add',
  'connections.update',
  'connections.remove',
  'connections.test',
  'connections.repin',
  'cluster.get',
  'system.setVisible',
  'appliance.status',
  'appliance.provision',
  'appliance.restartServices',
  'appliance.logs',
  'appliance.natTest',
  'proxy.status',
  'apps.deploy',
  'apps.start',
  'apps.stop',
  'apps.restart',
  'apps.delete',
  'apps.get',
  'catalog.list',
  'catalog.get',
  'commands.list',
  'commands.run',
  'audit.export',
  'apps.adoptable',
  'apps.adopt',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = [
  'apps.changed',
  'database.statusChanged',
  'settings.portRangesChanged',
  'operations.progress',
  'ui.navigate',
  'connections.changed',
  'cluster.changed',
  'appliance.changed',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/**
 * Events that carry one snapshot per key (e.g. one per operation) instead of one snapshot overall: the value is
 * the payload field that holds the key. Main and the local fan-outs keep the latest payload PER KEY and replay
 * all of them to a late subscriber, so a window that opens mid-deploy still gets every running operation with
 * its log backlog. Events not listed here keep one latest payload.
 */
export const KEYED_EVENTS: Partial<Record<EventName, string>> = { 'operations.progress': 'id', 'cluster.changed': 'connectionId', 'appliance.changed': 'key' };

/** How many keys a keyed event remembers for replay (oldest-updated dropped first). */
export const KEYED_EVENT_REPLAY_LIMIT = 100;

/** The replay key of one payload: '' for events with one snapshot overall. */
export function replayKeyOf(event: EventName, payload: unknown): string {
  const field = KEYED_EVENTS[event];
  if (!field || typeof payload !== 'object' || payload === null) return '';
  return String((payload as Record<string, unknown>)[field] ?? '');
}

/** Electron IPC channel that carries a request for `channel`. */
export function ipcChannelFor(channel: ChannelName): `proximity:${ChannelName}` {
  return `proximity:${channel}`;
}

/** Electron IPC channel main uses to push events: `webContents.send(IPC_EVENT_CHANNEL, name, payload)`. */
export const IPC_EVENT_CHANNEL = 'proximity:event';

/** Electron IPC channel the preload invokes (with an event name) to start receiving that event. */
export const IPC_SUBSCRIBE_CHANNEL = 'proximity:subscribe';

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

/** `apps.changed` -> `onAppsChanged`: the DesktopApi method that subscribes to an event. */
export function eventMethodName<E extends EventName>(event: E): EventMethodName<E> {
  const [area, what] = event.split('.') as [string, string];
  return `on${capitalize(area)}${capitalize(what)}` as EventMethodName<E>;
}

export type EventMethodName<E extends EventName> = E extends `${infer A}.${infer B}`
  ? `on${Capitalize<A>}${Capitalize<B>}`
  : never;

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

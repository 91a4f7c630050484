/**
 * The names of every request channel and event, with no zod import.
 *
 * Why a separate list: the sandboxed preload (and the renderer bundle) must build one method per channel at
 * run time, but they cannot load zod (a sandboxed preload can `require` only `electron`). The schemas live in
 * `channels.ts` / `events.ts`, which declare their maps with `satisfies Record<ChannelName, ...>` against
 * these lists, so the compiler rejects a channel that is in one place and not the other.
 */
export const CHANNEL_NAMES = [
  'app.getInfo',
  'store.getStatus',
  'apps.list',
  'ports.list',
  'settings.getPortRanges',
  'settings.setPortRanges',
  'audit.list',
  'shell.openExternal',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = ['apps.changed', 'store.statusChanged', 'ui.navigate'] as const;

export type EventName = (typeof EVENT_NAMES)[number];

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

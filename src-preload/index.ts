/**
 * Preload: runs sandboxed, so it may load only `electron` and zod-free contract modules (bundled into one
 * CommonJS file by electron-vite). It exposes exactly one method per contract channel, never a generic
 * `invoke(channel)`, and never hands the renderer an IpcRendererEvent (which would leak `sender`).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createDesktopApi } from '../src-shared/contract/desktop-api';
import { createEventFanout } from '../src-shared/transport/event-fanout';
import type { DesktopTransport } from '../src-shared/contract/desktop-api';
import { IPC_EVENT_CHANNEL, IPC_SUBSCRIBE_CHANNEL, ipcChannelFor, isEventName } from '../src-shared/contract/names';
import type { EventName } from '../src-shared/contract/names';
import { err } from '../src-shared/contract/result';
import type { Result } from '../src-shared/contract/result';

const upstream = new Map<EventName, (payload: unknown) => void>();

// One listener for every event; main sends (name, payload).
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: unknown, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  upstream.get(name)?.(payload);
});

const subscribe = createEventFanout((event, deliver) => {
  upstream.set(event, deliver);
  // Main starts sending this event to our webContents and replays its latest snapshot.
  void ipcRenderer.invoke(IPC_SUBSCRIBE_CHANNEL, { event }).then(
    (r: Result<unknown>) => {
      if (!r?.ok) console.error(`proximity: subscribing to ${event} failed`, r?.error);
    },
    (e: unknown) => console.error(`proximity: subscribing to ${event} failed`, e),
  );
});

export const ipcTransport: DesktopTransport = {
  // Every call resolves to a Result, as the contract promises. invoke itself rejects when main has no handler
  // (e.g. while quitting); that becomes an error Result, not an exception the renderer's code never expects.
  invoke: (channel, input) =>
    (ipcRenderer.invoke(ipcChannelFor(channel), input) as Promise<Result<unknown>>).catch((e: unknown) => {
      console.error(`proximity: ${channel} got no answer from main`, e);
      return err('INTERNAL', `Proximity's main process did not answer ${channel}.`);
    }),
  subscribe,
};

contextBridge.exposeInMainWorld('proximity', createDesktopApi(ipcTransport));

import { z } from 'zod';
import { CHANNEL_NAMES, EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_SUBSCRIBE_CHANNEL, ipcChannelFor } from '../../src-shared/contract/names';
import { err, ok } from '../../src-shared/contract/result';
import type { Result } from '../../src-shared/contract/result';
import type { Dispatcher } from './dispatcher';
import type { EventHub, EventSink } from './event-hub';
import { senderInfoFromElectronEvent } from './sender-policy';
import type { ElectronSenderEventLike } from './sender-policy';

/** The parts of Electron's `ipcMain` used here (structural, so the test mock and the real one both fit). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The parts of Electron's `webContents` used to push events. */
export interface WebContentsLike {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

type InvokeEvent = ElectronSenderEventLike & { sender: WebContentsLike };

const subscribeInput = z.object({ event: z.enum(EVENT_NAMES) }).strict();

/**
 * Registers one `ipcMain.handle('proximity:<channel>')` per contract channel, each going through the
 * dispatcher (which checks the sender first), plus `proximity:subscribe` for events. Returns an unbind
 * function that removes exactly those handlers.
 */
export function bindElectronIpc(ipcMain: IpcMainLike, dispatcher: Dispatcher, hub: EventHub): () => void {
  const registered: string[] = [];
  // Handlers' ctx.signal: aborted when this binding is removed (quitting), so a waiting handler stops waiting.
  const lifetime = new AbortController();
  for (const channel of CHANNEL_NAMES) {
    const name = ipcChannelFor(channel);
    ipcMain.handle(name, (event: InvokeEvent, input: unknown) =>
      dispatcher.dispatch(channel, input, senderInfoFromElectronEvent(event), lifetime.signal),
    );
    registered.push(name);
  }

  const sinks = new WeakMap<WebContentsLike, EventSink>();
  const sinkFor = (wc: WebContentsLike): EventSink => {
    let sink = sinks.get(wc);
    if (!sink) {
      const created: EventSink = {
        id: `webContents:${wc.id}`,
        send: (event, payload) => {
          if (wc.isDestroyed()) throw new Error('webContents destroyed');
          wc.send(IPC_EVENT_CHANNEL, event, payload);
        },
      };
      sink = created;
      sinks.set(wc, created);
      wc.once('destroyed', () => hub.removeSink(created.id));
    }
    return sink;
  };

  ipcMain.handle(IPC_SUBSCRIBE_CHANNEL, (event: InvokeEvent, input: unknown): Result<{ subscribed: true }> => {
    if (!dispatcher.allows(senderInfoFromElectronEvent(event))) {
      return err('FORBIDDEN_SENDER', 'This frame may not call Proximity.');
    }
    const parsed = subscribeInput.safeParse(input);
    if (!parsed.success) return err('VALIDATION', 'Unknown event', { issues: parsed.error.issues.map((i) => i.message) });
    hub.subscribe(sinkFor(event.sender), parsed.data.event);
    return ok({ subscribed: true as const });
  });
  registered.push(IPC_SUBSCRIBE_CHANNEL);

  return () => {
    lifetime.abort();
    for (const name of registered) ipcMain.removeHandler(name);
  };
}

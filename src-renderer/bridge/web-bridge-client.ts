import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM } from '../../src-shared/transport/web-bridge-protocol';
import type { BridgeClientMessage, BridgeServerMessage } from '../../src-shared/transport/web-bridge-protocol';
import { createDesktopApi } from '../../src-shared/contract/desktop-api';
import { createEventFanout } from '../../src-shared/transport/event-fanout';
import type { DesktopApi, DesktopTransport } from '../../src-shared/contract/desktop-api';
import type { EventName } from '../../src-shared/contract/names';
import type { Result } from '../../src-shared/contract/result';

/**
 * `window.proximity` over the `npm run web` WebSocket bridge. Built with the same `createDesktopApi` as the
 * preload, so the browser sees exactly the methods Electron would. The socket is opened on first use and
 * re-opened on the next call after a drop; calls in flight when it drops fail with BRIDGE_UNAVAILABLE.
 */
export function createWebBridgeApi(options: { origin: string; token: string }): DesktopApi {
  const wsUrl = `${options.origin.replace(/^http/, 'ws')}${BRIDGE_PATH}?${BRIDGE_TOKEN_PARAM}=${encodeURIComponent(options.token)}`;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const upstream = new Map<EventName, (payload: unknown) => void>();
  let socket: WebSocket | null = null;
  let queue: BridgeClientMessage[] = [];
  let nextId = 1;

  function connect(): WebSocket {
    if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) return socket;
    const ws = new WebSocket(wsUrl);
    socket = ws;
    ws.addEventListener('open', () => {
      // Re-subscribe after a reconnect so events keep flowing; the server replays the latest snapshot.
      const resubscribe: BridgeClientMessage[] = [...upstream.keys()].map((event) => ({ t: 'subscribe', event }));
      const toSend = [...resubscribe.filter((m) => !queue.some((q) => q.t === 'subscribe' && m.t === 'subscribe' && q.event === m.event)), ...queue];
      queue = [];
      for (const m of toSend) ws.send(JSON.stringify(m));
    });
    ws.addEventListener('message', (e) => {
      let message: BridgeServerMessage;
      try {
        message = JSON.parse(String(e.data)) as BridgeServerMessage;
      } catch {
        return;
      }
      if (message.t === 'result') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else if (message.t === 'event') {
        upstream.get(message.event as EventName)?.(message.payload);
      }
    });
    ws.addEventListener('close', () => {
      if (socket === ws) socket = null;
      queue = queue.filter((m) => m.t === 'subscribe');
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'BRIDGE_UNAVAILABLE', message: 'Lost the connection to the Proximity dev bridge.' } });
        pending.delete(id);
      }
    });
    return ws;
  }

  function send(message: BridgeClientMessage): void {
    const ws = connect();
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    else queue.push(message);
  }

  const transport: DesktopTransport = {
    invoke: (channel, input) =>
      new Promise<Result<unknown>>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        send({ t: 'invoke', id, channel, input });
      }),
    subscribe: createEventFanout((event, deliver) => {
      upstream.set(event, deliver);
      send({ t: 'subscribe', event });
    }),
  };
  return createDesktopApi(transport);
}

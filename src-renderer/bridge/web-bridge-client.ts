import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM } from '../../src-shared/transport/web-bridge-protocol';
import type { BridgeClientMessage, BridgeServerMessage } from '../../src-shared/transport/web-bridge-protocol';
import type { BridgeConnectionStatus } from '../../src-shared/transport/bridge-connection';
import { createDesktopApi } from '../../src-shared/contract/desktop-api';
import { createEventFanout } from '../../src-shared/transport/event-fanout';
import type { DesktopApi, DesktopTransport } from '../../src-shared/contract/desktop-api';
import type { EventName } from '../../src-shared/contract/names';
import type { Result } from '../../src-shared/contract/result';

export interface WebBridgeClientOptions {
  origin: string;
  token: string;
  /** Told every time the connection changes state (once per change, never per failed call). */
  onStatus?: (status: BridgeConnectionStatus) => void;
  /** Waits between reconnection attempts, in ms; the last one repeats. */
  retryDelaysMs?: readonly number[];
}

const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];

/**
 * `window.proximity` over the `npm run web` WebSocket bridge. Built with the same `createDesktopApi` as the
 * preload, so the browser sees exactly the methods Electron would.
 *
 * Connection handling: a socket that never opened is followed by one plain GET of the bridge path, which tells
 * a refused token (401: `refused`, no retry) from a bridge that is not running (`unreachable`). A socket that
 * drops after opening is `lost`. Both of the latter reconnect in the background with growing waits; on success
 * the server replays every subscribed event, and `opens` rises so stores can reload. While not connected, calls
 * fail at once with BRIDGE_UNAVAILABLE carrying the same message as the status, so the UI can say it once.
 */
export function createWebBridgeApi(options: WebBridgeClientOptions): DesktopApi {
  const query = `${BRIDGE_TOKEN_PARAM}=${encodeURIComponent(options.token)}`;
  const wsUrl = `${options.origin.replace(/^http/, 'ws')}${BRIDGE_PATH}?${query}`;
  const retryDelays = options.retryDelaysMs?.length ? options.retryDelaysMs : DEFAULT_RETRY_DELAYS_MS;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const upstream = new Map<EventName, (payload: unknown) => void>();
  let status: BridgeConnectionStatus = { state: 'connecting', message: null, opens: 0 };
  let socket: WebSocket | null = null;
  let queue: BridgeClientMessage[] = [];
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let nextId = 1;

  const report = (next: Omit<BridgeConnectionStatus, 'opens'>, opened = false) => {
    if (!opened && next.state === status.state && next.message === status.message) return;
    status = { ...next, opens: status.opens + (opened ? 1 : 0) };
    options.onStatus?.(status);
  };
  const unavailable = (): Result<unknown> => ({
    ok: false,
    error: { code: 'BRIDGE_UNAVAILABLE', message: status.message ?? 'Not connected to the Proximity dev bridge.' },
  });

  function connect(): void {
    if (socket || status.state === 'refused') return;
    const ws = new WebSocket(wsUrl);
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      attempt = 0;
      report({ state: 'open', message: null }, true);
      // Re-subscribe after a reconnect so events keep flowing; the server replays the latest snapshots.
      const subscribes: BridgeClientMessage[] = [...upstream.keys()].map((event) => ({ t: 'subscribe', event }));
      const toSend = [...subscribes, ...queue.filter((m) => m.t !== 'subscribe')];
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
      void afterClose(opened);
    });
  }

  async function afterClose(wasOpen: boolean): Promise<void> {
    if (wasOpen) {
      report({ state: 'lost', message: 'Lost the connection to the Proximity dev bridge. Showing the last known values; reconnecting…' });
    } else {
      report(await diagnose());
    }
    queue = queue.filter((m) => m.t === 'subscribe');
    for (const [id, resolve] of pending) {
      resolve(unavailable());
      pending.delete(id);
    }
    if (status.state !== 'refused') scheduleRetry();
  }

  /** Why a socket never opened: the bridge's answer to a plain GET of its path with our token. */
  async function diagnose(): Promise<Omit<BridgeConnectionStatus, 'opens'>> {
    try {
      const res = await fetch(`${options.origin}${BRIDGE_PATH}?${query}`, { cache: 'no-store' });
      if (res.status === 401) {
        return {
          state: 'refused',
          message: 'The Proximity dev bridge refused this page (authentication failed): its token is not the current one. Open the URL that `npm run web` printed.',
        };
      }
    } catch {
      // Nothing answered.
    }
    if (status.state === 'lost') return { state: 'lost', message: status.message };
    return { state: 'unreachable', message: `Cannot reach the Proximity dev bridge at ${options.origin}. Is \`npm run web\` running? Retrying…` };
  }

  function scheduleRetry(): void {
    if (retryTimer !== null) return;
    const delay = retryDelays[Math.min(attempt, retryDelays.length - 1)];
    attempt++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  function send(message: BridgeClientMessage): void {
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
      return;
    }
    queue.push(message);
    connect();
  }

  const transport: DesktopTransport = {
    invoke: (channel, input) => {
      // Not connected (and not making the first connection): say so at once instead of waiting.
      if (status.state === 'refused' || ((status.state === 'unreachable' || status.state === 'lost') && socket?.readyState !== WebSocket.OPEN)) {
        return Promise.resolve(unavailable());
      }
      return new Promise<Result<unknown>>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        send({ t: 'invoke', id, channel, input });
      });
    },
    subscribe: createEventFanout((event, deliver) => {
      upstream.set(event, deliver);
      send({ t: 'subscribe', event });
    }),
  };
  options.onStatus?.(status);
  return createDesktopApi(transport);
}

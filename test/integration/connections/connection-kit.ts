// Test plumbing for connection tests: a real core (SQLite in a temp folder, a real AES-GCM cipher standing in for
// safeStorage) with the real IPC runtime on top, and a renderer-like event sink on its EventHub.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, type CoreContext, type OpenCoreOptions } from '../../../src-main/core/core-context';
import { aesGcmCipher } from '../../../src-main/core/secrets/aes-gcm-cipher';
import { createIpcRuntime, type IpcRuntime } from '../../../src-main/ipc';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../../src-shared/contract/origins';
import type { EventName } from '../../../src-shared/contract/names';
import type { Result } from '../../../src-shared/contract/result';

/** AES-256-GCM with a random key: a real cipher in place of Electron's safeStorage. */
export const aesCipher = aesGcmCipher;


export interface ReceivedEvent {
  event: EventName;
  payload: unknown;
}

export interface IpcKit {
  core: CoreContext;
  ipc: IpcRuntime;
  /** every request's channel and Result, in order (the no-secrets check serialises them all) */
  results: { channel: string; result: Result<unknown> }[];
  /** what the renderer sink received */
  received: ReceivedEvent[];
  call(channel: string, input: unknown): Promise<Result<unknown>>;
  /** `call`, throwing when the Result is an error */
  value<T = Record<string, unknown>>(channel: string, input: unknown): Promise<T>;
  /**
   * Resolves with the first event matching `match` received from now on (with `includePast`, also one received
   * before); rejects after `timeoutMs`.
   */
  waitForEvent(event: EventName, match: (payload: unknown) => boolean, opts?: { timeoutMs?: number; includePast?: boolean }): Promise<unknown>;
  close(): void;
}

/** A real core + IPC runtime, with a sink subscribed to `events` like a renderer window. */
export function openIpcKit(events: EventName[], proxmox?: OpenCoreOptions['proxmox']): IpcKit {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-conn-'));
  const core = openCore({ dataDir, appVersion: 'test', secretCipher: aesCipher(), proxmox });
  const ipc = createIpcRuntime(core, { runtime: 'electron', appName: 'Proximity', openExternal: async () => {}, allowedOrigins: [APP_ORIGIN], validateOutput: true });
  const received: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const sink = {
    id: 'renderer-under-test',
    send: (event: EventName, payload: unknown) => {
      received.push({ event, payload: structuredClone(payload) });
      for (const w of [...waiters]) w();
    },
  };
  for (const e of events) ipc.hub.subscribe(sink, e);
  const results: { channel: string; result: Result<unknown> }[] = [];
  const call = async (channel: string, input: unknown) => {
    const r = await ipc.dispatcher.dispatch(channel, input, { isTopFrame: true, url: APP_ENTRY_URL });
    results.push({ channel, result: r });
    return r;
  };
  return {
    core,
    ipc,
    results,
    received,
    call,
    async value<T>(channel: string, input: unknown): Promise<T> {
      const r = await call(channel, input);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    },
    waitForEvent(event, match, { timeoutMs = 10_000, includePast = false } = {}) {
      return new Promise((resolve, reject) => {
        let seen = includePast ? 0 : received.length;
        const check = () => {
          for (; seen < received.length; seen++) {
            const r = received[seen];
            if (r.event === event && match(r.payload)) {
              clearTimeout(timer);
              waiters.delete(check);
              resolve(r.payload);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching ${event} event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      ipc.close();
      core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

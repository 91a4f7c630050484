import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as electron from '../../fakes/electron-mock';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { bindElectronIpc } from '../../../src-main/ipc/electron-binding';
import type { EventHub } from '../../../src-main/ipc/event-hub';
import { createIpcRuntime } from '../../../src-main/ipc/ipc-runtime';
import { createHandlers } from '../../../src-main/ipc/handlers';
import type { Handlers } from '../../../src-main/ipc/handler-types';
import { createOriginPolicy } from '../../../src-main/ipc/sender-policy';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { CHANNEL_NAMES, EVENT_NAMES, IPC_SUBSCRIBE_CHANNEL, eventMethodName, ipcChannelFor } from '../../../src-shared/contract/names';
import { openTempCore } from './temp-core';

// The whole path as Electron runs it: the preload's `window.proximity` -> ipcRenderer.invoke -> ipcMain.handle
// -> dispatcher -> handler -> the real core on a temp SQLite file, and events back via webContents.send.
describe('preload + Electron IPC binding (electron mock, real core)', () => {
  let temp: ReturnType<typeof openTempCore>;
  let hub: EventHub;
  let api: DesktopApi;
  let unbind: () => void;
  const calls: string[] = [];

  beforeAll(async () => {
    electron.__reset();
    temp = openTempCore();
    const deps = {
      runtime: 'electron' as const,
      appName: 'Proximity',
      openExternal: (url: string) => electron.shell.openExternal(url),
    };
    // The runtime's hub follows core events; the dispatcher here is built from spied handlers.
    hub = createIpcRuntime(temp.core, { ...deps, allowedOrigins: ['app://proximity'] }).hub;
    const real = createHandlers({ core: temp.core, ...deps });
    // Record which handlers actually ran, to prove refused calls never reach one.
    const spied = Object.fromEntries(
      CHANNEL_NAMES.map((c) => [c, (input: never, ctx: never) => (calls.push(c), (real[c] as (i: never, x: never) => unknown)(input, ctx))]),
    ) as unknown as Handlers;
    const dispatcher = createDispatcher(spied, { policy: createOriginPolicy(['app://proximity']), validateOutput: true });
    unbind = bindElectronIpc(electron.ipcMain, dispatcher, hub);
    await import('../../../src-preload/index');
    api = electron.contextBridge.exposed.proximity as DesktopApi;
  });
  afterAll(() => {
    unbind();
    temp.dispose();
    electron.__reset();
  });

  it('registers one ipcMain handler per channel plus the event subscription, and the preload exposes one method per channel', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES.map(ipcChannelFor), IPC_SUBSCRIBE_CHANNEL].sort());
    const exposed = api as unknown as Record<string, Record<string, unknown>>;
    for (const channel of CHANNEL_NAMES) {
      const [ns, method] = channel.split('.');
      expect(typeof exposed[ns]?.[method], channel).toBe('function');
    }
    for (const event of EVENT_NAMES) expect(typeof (api as unknown as Record<string, unknown>)[eventMethodName(event)]).toBe('function');
    expect(Object.keys(exposed)).not.toContain('invoke');
  });

  it('answers from the real core', async () => {
    expect(await api.system.getInfo()).toMatchObject({ ok: true, value: { version: '9.8.7-test', runtime: 'electron' } });
    expect(await api.database.getStatus()).toMatchObject({ ok: true, value: { schemaVersion: temp.core.db.status().latestVersion, integrity: 'ok' } });
    expect(await api.links.openExternal({ url: 'https://example.org/' })).toEqual({ ok: true, value: { opened: true } });
    expect(electron.shell.openedExternal).toEqual(['https://example.org/']);
  });

  it('returns VALIDATION for invalid input', async () => {
    const r = await api.audit.list({ limit: 0 });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const bad = await (api.settings.setPortRanges as (i: unknown) => Promise<unknown>)({ public: 'all' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('refuses a call from an iframe with FORBIDDEN_SENDER and never runs the handler', async () => {
    calls.length = 0;
    electron.ipcRenderer.__setSenderFrame({ url: 'app://proximity/index.html', top: false });
    try {
      expect(await api.system.getInfo()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect(await api.links.openExternal({ url: 'https://evil.example/' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      // An embedded app page (a foreign origin inside our window) is refused the same way.
      electron.ipcRenderer.__setSenderFrame({ url: 'http://10.20.0.101:40000/', top: false });
      expect(await api.database.getStatus()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      // So is our own window after it was navigated elsewhere.
      electron.ipcRenderer.__setSenderFrame({ url: 'https://evil.example/', top: true });
      expect(await api.apps.list()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect(await electron.ipcRenderer.invoke(IPC_SUBSCRIBE_CHANNEL, { event: 'apps.changed' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN_SENDER' },
      });
    } finally {
      electron.ipcRenderer.__setSenderFrame({ url: 'app://proximity/index.html', top: true });
    }
    expect(calls).toEqual([]);
    expect(electron.shell.openedExternal).not.toContain('https://evil.example/');
  });

  it('replays the latest snapshot to a late subscriber and pushes later core changes', async () => {
    // Changed through core directly (no IPC call, nothing publishes by hand): core announces it.
    const app = temp.core.apps.insert({ catalogId: 'whoami', name: 'Who am I', hostname: 'whoami' });
    temp.core.ports.allocate(app.id);

    const first: unknown[] = [];
    const unsubscribe = api.onAppsChanged((apps) => first.push(apps));
    await vi.waitFor(() => expect(first).toHaveLength(1));
    expect(first[0]).toMatchObject([{ id: app.id, ports: { public: 30000, internal: 40000 } }]);

    // A second, later listener in the same renderer gets the snapshot too, without another round trip.
    const second: unknown[] = [];
    api.onAppsChanged((apps) => second.push(apps));
    expect(second).toEqual(first);

    unsubscribe();
    temp.core.ports.release(app.id);
    await vi.waitFor(() => expect(second).toHaveLength(2));
    expect(second[1]).toMatchObject([{ id: app.id, ports: null }]);
    expect(first).toHaveLength(1);
  });

  it('still resolves to a Result when main has no handler any more (quitting), so callers never see a rejection', async () => {
    const name = ipcChannelFor('system.getInfo');
    const handler = electron.ipcMain.handlers.get(name)!;
    electron.ipcMain.removeHandler(name);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(api.system.getInfo()).resolves.toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: "Proximity's main process did not answer system.getInfo." },
      });
    } finally {
      quiet.mockRestore();
      electron.ipcMain.handlers.set(name, handler);
    }
    expect(await api.system.getInfo()).toMatchObject({ ok: true });
  });

  it('pushes new port ranges after a settings change (announced by core, not by the handler)', async () => {
    const ranges: unknown[] = [];
    api.onSettingsPortRangesChanged((r) => ranges.push(r));
    await vi.waitFor(() => expect(ranges).toHaveLength(1));
    const next = { public: { start: 30000, end: 30099 }, internal: { start: 40000, end: 40099 } };
    const r = await api.settings.setPortRanges(next);
    expect(r.ok).toBe(true);
    await vi.waitFor(() => expect(ranges).toHaveLength(2));
    expect(ranges[1]).toEqual(next);
  });
});

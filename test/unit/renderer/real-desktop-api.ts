import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, type CoreContext, type OpenCoreOptions } from '../../../src-main/core/core-context';
import type { EventHub } from '../../../src-main/ipc/event-hub';
import { createIpcRuntime } from '../../../src-main/ipc/ipc-runtime';
import { createCoreFeatures, type CoreFeatures } from '../../../src-main/core/runtime/core-features';
import { createDesktopApi, type DesktopApi } from '../../../src-shared/contract/desktop-api';

export interface RealDesktopApi {
  core: CoreContext;
  api: DesktopApi;
  /** Main's event hub: what the tray or the Electron shell publishes (e.g. `ui.navigate`). */
  hub: EventHub;
  /** URLs `links.openExternal` was asked to open. */
  opened: string[];
  /** Every channel the renderer invoked, in order, with its input (as sent, before main's checks). */
  calls: Array<{ channel: string; input: unknown }>;
  dispose(): void;
}

/**
 * The renderer's `window.proximity` over main's REAL IPC runtime (dispatcher with zod checks, handlers, event
 * hub) and a real core on a temp SQLite file: the same path as Electron IPC, minus the Electron transport.
 * `secretCipher` (e.g. connection-kit's aesCipher) lets connections be saved; `proxmox` tunes their polling.
 */
export function openRealDesktopApi(options: Pick<OpenCoreOptions, 'secretCipher' | 'proxmox'> = {}): RealDesktopApi {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-renderer-'));
  const core = openCore({ dataDir, appVersion: '1.2.3-test', ...options });
  return wire(core, dataDir, {}, async () => {});
}

/** The built-in catalog (resources/catalog), as the shells load it. */
export const CATALOG_DIR = path.resolve(__dirname, '../../../resources/catalog');

/**
 * `openRealDesktopApi` plus main's product features as both shells wire them (`createCoreFeatures`): the apps
 * service (`apps.start|stop|restart|delete|get|deploy`, `commands.*`), the built-in catalog (`catalog.*`) and the
 * per-connection appliances (`appliance.*`, `proxy.status`). Without a saved connection these answer as main
 * does then (e.g. an app's lifecycle operation fails on the missing connection).
 */
export async function openRealDesktopApiWithFeatures(options: Pick<OpenCoreOptions, 'secretCipher' | 'proxmox'> = {}): Promise<RealDesktopApi> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-renderer-'));
  const core = openCore({ dataDir, appVersion: '1.2.3-test', ...options });
  const features = await createCoreFeatures(core, { catalogDir: CATALOG_DIR, logger: { error: () => {} } });
  return wire(core, dataDir, features.deps, () => features.close());
}

function wire(core: CoreContext, dataDir: string, deps: Partial<CoreFeatures['deps']>, closeFeatures: () => Promise<void>): RealDesktopApi {
  const opened: string[] = [];
  const runtime = createIpcRuntime(core, {
    runtime: 'electron',
    appName: 'Proximity',
    allowedOrigins: ['app://proximity'],
    validateOutput: true,
    openExternal: async (url) => void opened.push(url),
    logger: { error: () => {}, warn: () => {} },
    ...deps,
  });
  const sender = { isTopFrame: true, url: 'app://proximity/index.html' };
  let sinkId = 0;
  const calls: RealDesktopApi['calls'] = [];
  const api = createDesktopApi({
    invoke: (channel, input) => {
      calls.push({ channel, input });
      return runtime.dispatcher.dispatch(channel, input, sender);
    },
    subscribe: (event, listener) => runtime.hub.subscribe({ id: `renderer-test-${sinkId++}`, send: (_e, payload) => listener(payload) }, event),
  });
  return {
    core,
    api,
    hub: runtime.hub,
    opened,
    calls,
    dispose: () => {
      runtime.close();
      void closeFeatures();
      core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Inserts apps through the real repository and gives each its port pair. */
export function addApps(core: CoreContext, names: readonly string[]): string[] {
  return names.map((name, i) => {
    const hostname = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const app = core.apps.insert({ catalogId: hostname, name, hostname, node: i % 2 ? 'pve2' : 'pve1', vmid: 300 + i });
    core.ports.allocate(app.id);
    return app.id;
  });
}

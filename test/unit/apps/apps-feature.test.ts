// The apps feature over IPC without a cluster: the catalog answers from resources/catalog, the audit exports,
// and the apps channels refuse plainly until a connection exists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppsFeature } from '../../../src-main/core/apps/apps-feature';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { ProximityError } from '../../../src-main/core/errors';
import { createHandlers } from '../../../src-main/ipc/handlers';

const CATALOG = path.resolve(__dirname, '../../../resources/catalog');

describe('apps feature wiring', () => {
  let dir: string | undefined;
  let core: CoreContext | undefined;
  afterEach(() => {
    core?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    core = undefined;
    dir = undefined;
  });

  it('serves the catalog and the audit export; deploy needs a connected cluster', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apps-feature-'));
    const c = openCore({ dataDir: dir, appVersion: 'test' });
    core = c;
    const feature = await createAppsFeature(c, {
      catalogDir: CATALOG,
      connections: (id) => {
        throw new ProximityError('NOT_FOUND', `Connection ${id} is not connected.`);
      },
    });
    const ctx = { channel: 'catalog.list' as const, sender: { kind: 'test' } as never, signal: new AbortController().signal };
    const handlers = createHandlers({ core: c, runtime: 'web-bridge', appName: 'Proximity', openExternal: () => Promise.resolve(), apps: feature.apps, catalog: feature.catalog });
    const list = await handlers['catalog.list']({}, ctx);
    expect(list.length).toBeGreaterThanOrEqual(25);
    const homer = await handlers['catalog.get']({ id: 'homer' }, { ...ctx, channel: 'catalog.get' });
    expect(homer).toMatchObject({ id: 'homer', healthPath: '/' });
    expect(homer.iconSvg).toContain('<svg');
    expect(() => handlers['catalog.get']({ id: 'nope' }, { ...ctx, channel: 'catalog.get' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => handlers['apps.deploy']({ connectionId: 'c1', catalogId: 'homer', hostname: 'homer', params: {} }, { ...ctx, channel: 'apps.deploy' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(c.apps.list()).toEqual([]);
    const commands = await handlers['commands.list']({ appId: 'x' }, { ...ctx, channel: 'commands.list' });
    expect(commands.map((x) => x.id)).toContain('logs');
    const exported = await handlers['audit.export']({ format: 'json' }, { ...ctx, channel: 'audit.export' });
    expect(exported.format).toBe('json');
    const bare = createHandlers({ core: c, runtime: 'web-bridge', appName: 'Proximity', openExternal: () => Promise.resolve() });
    expect(() => bare['apps.start']({ id: 'a' }, { ...ctx, channel: 'apps.start' })).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
  });
});

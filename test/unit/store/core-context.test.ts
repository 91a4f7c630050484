import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../../../src-main/core/core-context';
import { makeTempDir } from './sqlite-test-files';

describe('openCore', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('wires store, audit, settings, apps and ports on <dataDir>/proximity.sqlite, and persists across reopen', () => {
    const now = () => new Date('2026-03-01T12:00:00.000Z');
    const core = openCore({ dataDir: dir, appVersion: '0.1.0', now });
    expect(core.db.path).toBe(path.join(dir, 'proximity.sqlite'));
    expect(fs.existsSync(core.db.path)).toBe(true);
    expect(core.appVersion).toBe('0.1.0');
    const app = core.apps.insert({ catalogId: 'nginx', name: 'Web', hostname: 'web' });
    const pair = core.ports.allocate(app.id, 'operator');
    expect(pair).toEqual({ appId: app.id, publicPort: 30000, internalPort: 40000, assignedAt: '2026-03-01T12:00:00.000Z' });
    core.close();

    const again = openCore({ dataDir: dir, appVersion: '0.1.0' });
    expect(again.ports.list()).toEqual([pair]);
    expect(again.audit.list().map((e) => e.action)).toEqual(['ports.allocate']);
    expect(again.db.status().integrity).toBe('ok');
    again.close();
  });
});

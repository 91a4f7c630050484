import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppRepository } from '../../../src-main/core/apps/app-repository';
import { CoreEvents } from '../../../src-main/core/events/core-events';
import type { ProximityDatabase } from '../../../src-main/core/store/database';
import { openTestDatabase } from '../store/sqlite-test-files';

describe('AppRepository', () => {
  let t: ReturnType<typeof openTestDatabase>;
  let db: ProximityDatabase;
  let apps: AppRepository;
  beforeEach(() => {
    t = openTestDatabase();
    db = t.db;
    apps = new AppRepository(db.handle, { now: t.now });
  });
  afterEach(() => t.close());

  it('inserts, gets, lists, updates status and deletes', () => {
    const a = apps.insert({ catalogId: 'nginx', name: 'Web', hostname: 'web', node: 'pve1', vmid: 101 });
    expect(a).toMatchObject({ catalogId: 'nginx', name: 'Web', hostname: 'web', node: 'pve1', vmid: 101, status: 'pending' });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    const b = apps.insert({ catalogId: 'gitea', name: 'Git', hostname: 'git' });
    expect(apps.list().map((x) => x.hostname)).toEqual(['web', 'git']);
    const updated = apps.updateStatus(a.id, 'running');
    expect(updated.status).toBe('running');
    expect(updated.updatedAt > a.updatedAt).toBe(true);
    apps.delete(b.id);
    expect(apps.get(b.id)).toBeUndefined();
    expect(() => apps.delete(b.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => apps.updateStatus(b.id, 'running')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('validates input', () => {
    for (const hostname of ['Web', 'web.example', '-web', 'web_1', '', 'a'.repeat(64), 'x; rm -rf /']) {
      expect(() => apps.insert({ catalogId: 'nginx', name: 'Web', hostname })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    }
    expect(() => apps.insert({ catalogId: '', name: 'Web', hostname: 'web' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    const a = apps.insert({ catalogId: 'nginx', name: 'Web', hostname: 'web' });
    expect(() => apps.updateStatus(a.id, 'exploded' as 'running')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(apps.list()).toHaveLength(1);
  });

  it('refuses a duplicate hostname or node/vmid with CONFLICT', () => {
    apps.insert({ catalogId: 'nginx', name: 'Web', hostname: 'web', node: 'pve1', vmid: 101 });
    expect(() => apps.insert({ catalogId: 'nginx', name: 'Web 2', hostname: 'web' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => apps.insert({ catalogId: 'nginx', name: 'Web 2', hostname: 'web2', node: 'pve1', vmid: 101 })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    apps.insert({ catalogId: 'nginx', name: 'Web 3', hostname: 'web3', node: 'pve2', vmid: 101 });
    expect(apps.list()).toHaveLength(2);
  });

  it('announces committed changes on core events, and nothing for a refused one', () => {
    const events = new CoreEvents();
    const seen: unknown[] = [];
    events.on('apps.changed', (e) => seen.push(e));
    const announced = new AppRepository(db.handle, { now: t.now, events });
    const a = announced.insert({ catalogId: 'nginx', name: 'Web', hostname: 'web' });
    expect(() => announced.insert({ catalogId: 'nginx', name: 'Again', hostname: 'web' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => announced.updateStatus(a.id, 'exploded' as 'running')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    announced.updateStatus(a.id, 'running');
    announced.delete(a.id);
    expect(seen).toEqual([
      { appId: a.id, change: 'created' },
      { appId: a.id, change: 'updated' },
      { appId: a.id, change: 'deleted' },
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/core/audit/audit-log';
import type { ProximityDatabase } from '../../../src-main/core/store/database';
import { openTestDatabase } from './sqlite-test-files';

describe('AuditLog', () => {
  let t: ReturnType<typeof openTestDatabase>;
  let db: ProximityDatabase;
  let audit: AuditLog;
  beforeEach(() => {
    t = openTestDatabase();
    db = t.db;
    audit = new AuditLog(db.handle, { now: t.now });
  });
  afterEach(() => t.close());

  it('appends entries and lists them newest first, with paging', () => {
    const first = audit.append({ actor: 'operator', action: 'app.create', target: 'app-1', details: { catalogId: 'nginx' } });
    expect(first).toEqual({ id: 1, at: '2026-01-01T00:00:01.000Z', actor: 'operator', action: 'app.create', target: 'app-1', details: { catalogId: 'nginx' } });
    for (let i = 0; i < 4; i++) audit.append({ actor: 'system', action: `step.${i}` });
    const page1 = audit.list({ limit: 2 });
    expect(page1.map((e) => e.action)).toEqual(['step.3', 'step.2']);
    expect(page1[0]).toMatchObject({ target: null, details: null });
    const page2 = audit.list({ limit: 10, beforeId: page1[1].id });
    expect(page2.map((e) => e.action)).toEqual(['step.1', 'step.0', 'app.create']);
    expect(new AuditLog(db.handle).list().length).toBe(5);
  });

  it('cannot be updated or deleted, even through raw SQL', () => {
    const entry = audit.append({ actor: 'operator', action: 'secret.rotate', target: 'c1' });
    expect(() => db.handle.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = ?").run(entry.id)).toThrow(
      'audit_log is append-only: rows cannot be updated',
    );
    expect(() => db.handle.prepare('DELETE FROM audit_log WHERE id = ?').run(entry.id)).toThrow('audit_log is append-only: rows cannot be deleted');
    expect(() => db.handle.exec('DELETE FROM audit_log')).toThrow(/append-only/);
    expect(audit.list()).toEqual([entry]);
  });

  it('rejects invalid entries and queries with VALIDATION and writes nothing', () => {
    expect(() => audit.append({ actor: '', action: 'x' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => audit.append({ actor: 'a', action: '   ' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => audit.append({ actor: 'a', action: 'b', details: cyclic })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => audit.list({ limit: 0 })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => audit.list({ limit: 5000 })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(audit.list()).toEqual([]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppRepository } from '../../../src-main/core/apps/app-repository';
import { openDatabase, type ProximityDatabase } from '../../../src-main/core/store/database';
import { LATEST_SCHEMA_VERSION } from '../../../src-main/core/store/migrations';
import { makeTempDir } from './sqlite-test-files';

describe('openDatabase', () => {
  let cleanup: () => void;
  let file: string;
  let db: ProximityDatabase;
  beforeEach(() => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    file = path.join(tmp.dir, 'proximity.sqlite');
    db = openDatabase({ file });
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('reports WAL, foreign keys, integrity, version and size', () => {
    const status = db.status();
    expect(status).toMatchObject({
      path: file,
      schemaVersion: LATEST_SCHEMA_VERSION,
      latestVersion: LATEST_SCHEMA_VERSION,
      journalMode: 'wal',
      foreignKeys: true,
      integrity: 'ok',
    });
    expect(status.sizeBytes).toBeGreaterThan(0);
    expect(db.handle.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('creates the file readable by its owner only', () => {
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('enforces foreign keys: no port pair without its app, no app deleted while it holds ports', () => {
    const h = db.handle;
    expect(() => h.prepare(`INSERT INTO port_assignments VALUES ('ghost', 30000, 40000, 'now')`).run()).toThrow(/FOREIGN KEY constraint failed/);
    const apps = new AppRepository(h);
    const app = apps.insert({ catalogId: 'nginx', name: 'Web', hostname: 'web' });
    h.prepare(`INSERT INTO port_assignments VALUES (?, 30000, 40000, 'now')`).run(app.id);
    expect(() => apps.delete(app.id)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(apps.get(app.id)).toBeDefined();
  });

  it('enforces the port uniqueness the allocator relies on', () => {
    const h = db.handle;
    const apps = new AppRepository(h);
    const a = apps.insert({ catalogId: 'x', name: 'A', hostname: 'a' });
    const b = apps.insert({ catalogId: 'x', name: 'B', hostname: 'b' });
    h.prepare(`INSERT INTO port_assignments VALUES (?, 30000, 40000, 'now')`).run(a.id);
    expect(() => h.prepare(`INSERT INTO port_assignments VALUES (?, 30000, 40001, 'now')`).run(b.id)).toThrow(/UNIQUE.*public_port/);
    expect(() => h.prepare(`INSERT INTO port_assignments VALUES (?, 30001, 40000, 'now')`).run(b.id)).toThrow(/UNIQUE.*internal_port/);
    expect(() => h.prepare(`INSERT INTO port_assignments VALUES (?, 30001, 40001, 'now')`).run(a.id)).toThrow(/UNIQUE.*app_id/);
  });

  it('gives a clear DB_ERROR when the file cannot be created', () => {
    expect(() => openDatabase({ file: path.join(path.dirname(file), 'missing-dir', 'x.sqlite') })).toThrow(
      expect.objectContaining({ code: 'DB_ERROR', message: expect.stringMatching(/Could not open the database/) }),
    );
  });

  it('reports corruption instead of ok', () => {
    const h = db.handle;
    h.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX filler_v ON filler (v);');
    const ins = h.prepare('INSERT INTO filler (v) VALUES (?)');
    h.transaction(() => {
      for (let i = 0; i < 2000; i++) ins.run(`value-${i}-${'x'.repeat(40)}`);
    })();
    const rootpage = h.prepare<[], number>("SELECT rootpage FROM sqlite_master WHERE name = 'filler_v'").pluck().get()!;
    const pageSize = h.pragma('page_size', { simple: true }) as number;
    db.close();
    // Scribble over the index's root page: quick_check must notice.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize - 200, 0x5a), 0, pageSize - 200, (rootpage - 1) * pageSize + 100);
    fs.closeSync(fd);
    db = openDatabase({ file });
    expect(db.status().integrity).not.toBe('ok');
  });
});

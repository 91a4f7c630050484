import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/core/store/database';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src-main/core/store/migrations';
import type { Migration } from '../../../src-main/core/store/migrations/migration';
import { makeTempDir } from './sqlite-test-files';

const tableNames = (db: Database.Database) =>
  db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Rows that exist from a given schema version on; written before upgrading, checked after. */
function seedRowsFor(version: number, db: Database.Database): void {
  const at = '2026-01-01T00:00:00.000Z';
  if (version >= 1) {
    db.prepare(`INSERT INTO apps VALUES ('app-1', 'nginx', 'Web', 'web', 'pve1', 101, 'running', ?, ?)`).run(at, at);
    db.prepare(`INSERT INTO port_assignments VALUES ('app-1', 30000, 40000, ?)`).run(at);
    db.prepare(
      `INSERT INTO pve_connections (id, name, host, port, auth_kind, auth_id, secret_ciphertext, created_at, updated_at)
       VALUES ('c1', 'lab', 'pve.example', 8006, 'token', 'root@pam!prox', x'00ff10', ?, ?)`,
    ).run(at, at);
  }
  if (version >= 2) {
    db.prepare(`INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, 'op', 'test.seed', 'app-1', '{"k":1}')`).run(at);
    db.prepare(`INSERT INTO settings VALUES ('ports.publicRange', '{"start":31000,"end":31099}', ?)`).run(at);
  }
}

describe('schema migrations', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    file = path.join(dir, 'proximity.sqlite');
  });
  afterEach(() => cleanup());

  it('creates a fresh database at the latest version with every table and a migration record', () => {
    const db = openDatabase({ file });
    expect(db.status().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(db.migration).toMatchObject({ fromVersion: 0, toVersion: LATEST_SCHEMA_VERSION });
    expect(tableNames(db.handle)).toEqual(
      expect.arrayContaining(['apps', 'audit_log', 'deployment_steps', 'deployments', 'port_assignments', 'pve_connections', 'schema_migrations', 'settings']),
    );
    expect(db.handle.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
    );
    db.close();
    // Re-opening an up-to-date database applies nothing.
    const again = openDatabase({ file });
    expect(again.migration.applied).toEqual([]);
    again.close();
  });

  for (let k = 0; k < MIGRATIONS.length; k++) {
    it(`upgrades a version-${k} database to the latest version and keeps its data`, () => {
      const old = openDatabase({ file, migrations: MIGRATIONS.slice(0, k) });
      expect(old.status().schemaVersion).toBe(k);
      seedRowsFor(k, old.handle);
      old.close();

      const db = openDatabase({ file });
      expect(db.migration).toMatchObject({ fromVersion: k, toVersion: LATEST_SCHEMA_VERSION });
      expect(db.migration.applied).toHaveLength(LATEST_SCHEMA_VERSION - k);
      const h = db.handle;
      expect(db.status()).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, integrity: 'ok', foreignKeys: true, journalMode: 'wal' });
      if (k >= 1) {
        expect(h.prepare('SELECT hostname, vmid FROM apps').all()).toEqual([{ hostname: 'web', vmid: 101 }]);
        expect(h.prepare('SELECT public_port, internal_port FROM port_assignments').all()).toEqual([{ public_port: 30000, internal_port: 40000 }]);
        const secret = h.prepare<[], Buffer>('SELECT secret_ciphertext FROM pve_connections').pluck().get();
        expect(Buffer.compare(secret!, Buffer.from([0x00, 0xff, 0x10]))).toBe(0);
      }
      if (k >= 2) {
        expect(h.prepare('SELECT action FROM audit_log').pluck().all()).toEqual(['test.seed']);
        expect(h.prepare("SELECT value FROM settings WHERE key = 'ports.publicRange'").pluck().get()).toBe('{"start":31000,"end":31099}');
      }
      // The newest tables work after the upgrade.
      h.prepare(`INSERT INTO deployments (id, app_id, kind, status, started_at) VALUES ('d1', NULL, 'install', 'running', 'now')`).run();
      db.close();
    });
  }

  it('004 adds the operations journal and renames the app status "error" to the contract\'s "failed"', () => {
    const v3 = openDatabase({ file, migrations: MIGRATIONS.slice(0, 3) });
    const at = '2026-01-01T00:00:00.000Z';
    v3.handle.prepare(`INSERT INTO apps VALUES ('app-e', 'nginx', 'Broken', 'broken', NULL, NULL, 'error', ?, ?)`).run(at, at);
    v3.handle.prepare(`INSERT INTO apps VALUES ('app-r', 'nginx', 'Fine', 'fine', NULL, NULL, 'running', ?, ?)`).run(at, at);
    v3.close();
    const db = openDatabase({ file });
    expect(db.handle.prepare('SELECT id, status FROM apps ORDER BY id').all()).toEqual([
      { id: 'app-e', status: 'failed' },
      { id: 'app-r', status: 'running' },
    ]);
    expect(() => db.handle.prepare(`INSERT INTO operations (id, kind, title, state, percent, started_at, owner_pid) VALUES ('o', 'k', 't', 'running', 101, ?, 1)`).run(at)).toThrow(/CHECK/);
    db.close();
  });

  it('rolls back every pending migration when one fails, leaving the version and data as they were', () => {
    const v1 = openDatabase({ file, migrations: MIGRATIONS.slice(0, 1) });
    seedRowsFor(1, v1.handle);
    v1.close();

    const broken: Migration = { version: MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);' };
    let error: unknown;
    try {
      openDatabase({ file, migrations: [...MIGRATIONS, broken] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'DB_MIGRATION_FAILED', details: { fromVersion: 1, failedVersion: broken.version } });
    expect((error as Error).message).toMatch(/no_such_table/);

    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(tableNames(raw)).not.toContain('half_done');
    expect(tableNames(raw)).not.toContain('audit_log'); // migration 2 ran in the same, rolled-back transaction
    expect(raw.prepare('SELECT COUNT(*) FROM apps').pluck().get()).toBe(1);
    raw.close();

    // The good migrations still apply afterwards.
    const db = openDatabase({ file });
    expect(db.status().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('rolls back a failing function migration too', () => {
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken-fn',
      up: (h) => {
        h.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('data transform failed');
      },
    };
    expect(() => openDatabase({ file, migrations: [...MIGRATIONS, broken] })).toThrow(expect.objectContaining({ code: 'DB_MIGRATION_FAILED' }));
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(tableNames(raw)).toEqual([]);
    raw.close();
  });

  it('refuses a database written by a newer Proximity and does not modify the file', () => {
    const db = openDatabase({ file });
    db.handle.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.handle.pragma('journal_mode = DELETE'); // so the whole database lives in the main file we hash
    db.close();
    const before = sha(file);
    expect(() => openDatabase({ file })).toThrow(
      expect.objectContaining({ code: 'DB_SCHEMA_TOO_NEW', details: expect.objectContaining({ schemaVersion: LATEST_SCHEMA_VERSION + 1 }) }),
    );
    expect(sha(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a file that is not SQLite with a clear error and leaves it alone', () => {
    fs.writeFileSync(file, 'this is not a database, but it is somebody\'s file'.repeat(20));
    const before = sha(file);
    expect(() => openDatabase({ file })).toThrow(expect.objectContaining({ code: 'DB_ERROR', message: expect.stringMatching(/not a usable Proximity database/) }));
    expect(sha(file)).toBe(before);
  });

  it('rejects a migration list with a gap', () => {
    expect(() => openDatabase({ file, migrations: [MIGRATIONS[0], MIGRATIONS[2]] })).toThrow(/out of order/);
  });
});

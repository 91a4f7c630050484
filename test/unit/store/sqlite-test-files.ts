import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase, type ProximityDatabase } from '../../../src-main/core/store/database';

/** A fresh private temp directory per test; removed by the returned cleanup. */
export function makeTempDir(prefix = 'proximity-store-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every row of every table plus the schema version: equal dumps mean an unchanged database. */
export function dumpDatabase(db: Database.Database): string {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((t) => t.name);
  const dump: Record<string, unknown> = {
    user_version: db.pragma('user_version', { simple: true }),
    schema: db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all(),
  };
  // Rows sorted by their JSON: works for WITHOUT ROWID tables too, and ignores physical order.
  for (const name of tables) dump[name] = db.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r)).sort();
  return JSON.stringify(dump);
}

/**
 * A migrated database in a fresh temp dir, with a test clock that advances one second per reading
 * (repositories take `now`). Call `close()` in afterEach.
 */
export function openTestDatabase(): { db: ProximityDatabase; now: () => Date; close: () => void } {
  const tmp = makeTempDir();
  const db = openDatabase({ file: path.join(tmp.dir, 'proximity.sqlite') });
  let clock = Date.UTC(2026, 0, 1);
  return {
    db,
    now: () => new Date((clock += 1000)),
    close: () => {
      db.close();
      tmp.cleanup();
    },
  };
}

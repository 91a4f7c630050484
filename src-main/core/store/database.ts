import Database from 'better-sqlite3';
import fs from 'node:fs';
import { ProximityError } from '../errors';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';
import { assertNotNewer, migrate, readSchemaVersion, type MigrationResult } from './migrator';

export type SqliteDatabase = Database.Database;

export interface DatabaseStatus {
  path: string;
  schemaVersion: number;
  latestVersion: number;
  journalMode: string;
  foreignKeys: boolean;
  /** 'ok', or the problems `PRAGMA quick_check` reported, joined. */
  integrity: 'ok' | string;
  /** Main file plus write-ahead log, in bytes. */
  sizeBytes: number;
}

export interface ProximityDatabase {
  readonly path: string;
  /** The raw better-sqlite3 handle, for repositories. */
  readonly handle: SqliteDatabase;
  readonly migration: MigrationResult;
  status(): DatabaseStatus;
  close(): void;
}

export interface OpenDatabaseOptions {
  file: string;
  /** Tests pass a prefix of MIGRATIONS (or a broken list); the product always uses all of them. */
  migrations?: readonly Migration[];
  busyTimeoutMs?: number;
  /**
   * Path of a better-sqlite3 `.node` build to load instead of the default. The Electron shell passes the
   * Electron-ABI copy built by scripts/ensure-native.mjs (Node's build in node_modules stays for tests).
   */
  nativeBinding?: string;
}

/** Opens (creating if needed) the database file, configures it and applies pending migrations. */
export function openDatabase(options: OpenDatabaseOptions): ProximityDatabase {
  const { file, migrations = MIGRATIONS, busyTimeoutMs = 5000, nativeBinding } = options;
  let handle: SqliteDatabase;
  try {
    if (file !== ':memory:' && !fs.existsSync(file)) {
      // Created up front so the file holding secret ciphertext is private to the user from its first byte.
      fs.closeSync(fs.openSync(file, 'a', 0o600));
    }
    handle = new Database(file, nativeBinding ? { timeout: busyTimeoutMs, nativeBinding } : { timeout: busyTimeoutMs });
  } catch (cause) {
    throw new ProximityError('DB_ERROR', `Could not open the database ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    // Check the version before any write (journal_mode = WAL writes the header): a newer database stays untouched.
    const h = handle;
    assertNotNewer(whileBusy(() => readVersionOrExplain(h, file), busyTimeoutMs), migrations.length, file);
    const journalMode = whileBusy(() => h.pragma('journal_mode = WAL', { simple: true }), busyTimeoutMs);
    if (file !== ':memory:' && journalMode !== 'wal') {
      throw new ProximityError('DB_ERROR', `The database ${file} could not switch to WAL mode (got ${journalMode}).`);
    }
    // NORMAL is the recommended pairing with WAL: commits are atomic and crash-safe; only an OS crash or power
    // loss can drop the last few commits, never corrupt the file. FULL would fsync every port allocation.
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = ON');
    const migration = migrate(handle, migrations, file);
    return wrap(handle, file, migrations.length, migration);
  } catch (e) {
    handle.close();
    throw e;
  }
}

/**
 * Runs `fn`, retrying while another process holds a lock SQLite's busy handler does not wait for (a WAL
 * recovery, or the last connection of another process checkpointing and deleting the WAL as we open).
 * Bounded by the busy timeout, so a truly stuck database still fails with a clear error.
 */
function whileBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      const code = (e as { code?: unknown }).code ?? ((e as { cause?: { code?: unknown } }).cause?.code);
      const busy = typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
      if (!busy || Date.now() >= deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(5 * 2 ** Math.min(attempt, 4), 50));
    }
  }
}

function readVersionOrExplain(handle: SqliteDatabase, file: string): number {
  try {
    return readSchemaVersion(handle);
  } catch (cause) {
    throw new ProximityError(
      'DB_ERROR',
      `The file ${file} is not a usable Proximity database (${(cause as Error).message}). Move it aside or choose another data directory.`,
      { details: { file }, cause },
    );
  }
}

function wrap(handle: SqliteDatabase, file: string, latestVersion: number, migration: MigrationResult): ProximityDatabase {
  return {
    path: file,
    handle,
    migration,
    status: () => ({
      path: file,
      schemaVersion: readSchemaVersion(handle),
      latestVersion,
      journalMode: handle.pragma('journal_mode', { simple: true }) as string,
      foreignKeys: handle.pragma('foreign_keys', { simple: true }) === 1,
      integrity: integrity(handle),
      sizeBytes: fileSize(file) + fileSize(`${file}-wal`),
    }),
    close: () => {
      if (handle.open) handle.close();
    },
  };
}

function integrity(handle: SqliteDatabase): string {
  const problems = handle.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
  const messages = problems.map((row) => row.quick_check);
  return messages.length === 1 && messages[0] === 'ok' ? 'ok' : messages.join('; ');
}

function fileSize(path: string): number {
  try {
    return fs.statSync(path).size;
  } catch {
    return 0;
  }
}

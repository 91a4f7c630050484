import type Database from 'better-sqlite3';
import { ProximityError } from '../errors';
import type { Migration } from './migrations/migration';

export interface MigrationResult {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly applied: readonly string[];
}

export function readSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** A list is usable only if versions are exactly 1..n, in order: a gap would make "version k" ambiguous. */
export function assertMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new ProximityError('INTERNAL', `Migration list is out of order: position ${i + 1} holds version ${m.version} (${m.name}).`);
    }
  });
}

export function assertNotNewer(version: number, latest: number, file: string): void {
  if (version > latest) {
    throw new ProximityError(
      'DB_SCHEMA_TOO_NEW',
      `The database ${file} has schema version ${version}, but this Proximity only knows up to version ${latest}. ` +
        'It was written by a newer Proximity; update Proximity. The database was not modified.',
      { details: { file, schemaVersion: version, latestVersion: latest } },
    );
  }
}

/**
 * Brings the schema to the newest version. All pending migrations run in ONE immediate transaction: either the
 * database reaches the latest version, or it stays exactly at the version it had (an older Proximity can still
 * open it). The version is re-read inside the write lock, so two processes starting at once cannot both migrate.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], file: string): MigrationResult {
  assertMigrationList(migrations);
  const latest = migrations.length;
  const fromVersion = readSchemaVersion(db);
  assertNotNewer(fromVersion, latest, file);
  if (fromVersion === latest) return { fromVersion, toVersion: latest, applied: [] };

  const applied: string[] = [];
  let startVersion = fromVersion;
  const run = db.transaction(() => {
    startVersion = readSchemaVersion(db);
    assertNotNewer(startVersion, latest, file);
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations.slice(startVersion)) {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
      applied.push(`${m.version}-${m.name}`);
    }
    db.pragma(`user_version = ${latest}`);
  });

  try {
    run.immediate();
  } catch (cause) {
    if (cause instanceof ProximityError) throw cause;
    const failed = migrations[startVersion + applied.length];
    throw new ProximityError(
      'DB_MIGRATION_FAILED',
      `Could not upgrade the database ${file} from schema version ${startVersion} to ${latest}: ` +
        `migration ${failed?.version}-${failed?.name} failed (${(cause as Error).message}). ` +
        `Nothing was changed; the database is still at version ${startVersion}.`,
      { details: { file, fromVersion: startVersion, failedVersion: failed?.version, latestVersion: latest }, cause },
    );
  }
  return { fromVersion: startVersion, toVersion: latest, applied };
}

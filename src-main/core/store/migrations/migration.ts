import type Database from 'better-sqlite3';

/**
 * One forward-only schema step. `up` is SQL (run with `exec`) or a function for data transforms. It runs inside
 * the migrator's transaction, so it must not contain statements SQLite refuses inside a transaction
 * (`VACUUM`, `PRAGMA journal_mode`, `PRAGMA foreign_keys`). Never edit a migration that has shipped: add one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string | ((db: Database.Database) => void);
}

import type { Migration } from './migration';

// The audit log is append-only: the triggers make UPDATE and DELETE fail inside SQLite itself, so no code path
// (ours or a future one) can rewrite history through this database handle.
export const migration002: Migration = {
  version: 2,
  name: 'audit-and-settings',
  up: `
    -- No AUTOINCREMENT needed: rows are never deleted, so rowids are never reused, and every append
    -- writes one page fewer (sqlite_sequence).
    CREATE TABLE audit_log (
      id       INTEGER PRIMARY KEY,
      at       TEXT NOT NULL,
      actor    TEXT NOT NULL,
      action   TEXT NOT NULL,
      target   TEXT,
      details  TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(details))
    );

    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be updated'); END;

    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted'); END;

    CREATE TABLE settings (
      key         TEXT PRIMARY KEY,
      value       TEXT NOT NULL CHECK (json_valid(value)),
      updated_at  TEXT NOT NULL
    );
  `,
};

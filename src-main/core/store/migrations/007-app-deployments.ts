import type { Migration } from './migration';

// What the deployment engine needs beyond migration 003: an app knows its connection, network place and the
// facts to reach and recover it (`spec`, JSON); a deployment keeps its plan (what was asked, JSON) and the pid
// of the process running it, so start-up recovery can tell a crashed run from a live one in another process;
// an app's secrets are kept encrypted.
export const migration007: Migration = {
  version: 7,
  name: 'app-deployments',
  up: `
    ALTER TABLE apps ADD COLUMN connection_id TEXT;
    ALTER TABLE apps ADD COLUMN ip TEXT;
    ALTER TABLE apps ADD COLUMN mac TEXT;
    ALTER TABLE apps ADD COLUMN spec TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(spec));

    ALTER TABLE deployments ADD COLUMN plan TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(plan));
    ALTER TABLE deployments ADD COLUMN owner_pid INTEGER;
    ALTER TABLE deployments ADD COLUMN operation_id TEXT;
    CREATE INDEX deployments_status ON deployments (status);

    -- Secrets of a deployment (generated passwords, ...), only as ciphertext from the injected SecretCipher;
    -- kept so a re-render (update, restore) reuses them, and gone with the app.
    CREATE TABLE app_secrets (
      app_id        TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
      parameter_id  TEXT NOT NULL,
      label         TEXT NOT NULL,
      ciphertext    BLOB NOT NULL CHECK (typeof(ciphertext) = 'blob'),
      created_at    TEXT NOT NULL,
      PRIMARY KEY (app_id, parameter_id)
    ) WITHOUT ROWID;
  `,
};

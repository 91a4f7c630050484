import type { Migration } from './migration';

// A deployment is journaled step by step so an interrupted deploy (crash, power loss) can be shown, resumed
// or rolled back from what actually happened, not from what the UI last believed.
export const migration003: Migration = {
  version: 3,
  name: 'deployment-journal',
  up: `
    CREATE TABLE deployments (
      id           TEXT PRIMARY KEY,
      app_id       TEXT REFERENCES apps (id) ON DELETE SET NULL,
      kind         TEXT NOT NULL,
      status       TEXT NOT NULL,
      started_at   TEXT NOT NULL,
      finished_at  TEXT,
      error        TEXT CHECK (error IS NULL OR json_valid(error))
    );
    CREATE INDEX deployments_app ON deployments (app_id);

    CREATE TABLE deployment_steps (
      deployment_id  TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
      seq            INTEGER NOT NULL CHECK (seq >= 0),
      step           TEXT NOT NULL,
      status         TEXT NOT NULL,
      started_at     TEXT NOT NULL,
      finished_at    TEXT,
      detail         TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(detail)),
      UNIQUE (deployment_id, seq)
    );
  `,
};

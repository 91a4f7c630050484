import type { Migration } from './migration';

// Long-running operations (deploy, provision, download, backup), one row each, rewritten as they progress so
// that after a crash the row still says `running`; opening the core then marks it `interrupted`. The log column
// holds only the bounded backlog (see OPERATION_LOG_LIMIT), never an unbounded history.
// Also: app status 'error' became 'failed' when the statuses moved into the contract as an enum.
export const migration004: Migration = {
  version: 4,
  name: 'operations',
  up: `
    CREATE TABLE operations (
      id           TEXT PRIMARY KEY,
      kind         TEXT NOT NULL,
      title        TEXT NOT NULL,
      target       TEXT,
      state        TEXT NOT NULL,
      step         TEXT,
      percent      REAL CHECK (percent IS NULL OR percent BETWEEN 0 AND 100),
      error        TEXT CHECK (error IS NULL OR json_valid(error)),
      log          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(log)),
      log_dropped  INTEGER NOT NULL DEFAULT 0 CHECK (log_dropped >= 0),
      started_at   TEXT NOT NULL,
      ended_at     TEXT,
      -- The process running it: another live process's operation (the \`npm run web\` bridge next to the
      -- desktop app, on the same data folder) is not taken for an interrupted one.
      owner_pid    INTEGER NOT NULL
    );
    CREATE INDEX operations_started ON operations (started_at);
    CREATE INDEX operations_running ON operations (state) WHERE state = 'running';

    UPDATE apps SET status = 'failed' WHERE status = 'error';
  `,
};

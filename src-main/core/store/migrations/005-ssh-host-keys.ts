import type { Migration } from './migration';

// SSH host keys pinned on first use, one per node (node_id is the SSH layer's node id, e.g.
// `<connectionId>/<nodeName>`). Only public fingerprints: nothing secret lives here.
export const migration005: Migration = {
  version: 5,
  name: 'ssh-host-keys',
  up: `
    CREATE TABLE ssh_host_keys (
      node_id      TEXT NOT NULL PRIMARY KEY,
      fingerprint  TEXT NOT NULL CHECK (fingerprint GLOB 'SHA256:*' AND length(fingerprint) = 50),
      algorithm    TEXT NOT NULL,
      pinned_at    TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
};

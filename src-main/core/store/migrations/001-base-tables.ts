import type { Migration } from './migration';

// Connections (secrets only as ciphertext from the injected SecretCipher; auth_id is the API token id
// "user@realm!name" or the user "root@pam"), apps and their port pair. The port table's UNIQUE constraints are what make a double
// assignment impossible, even for two processes sharing the file; the allocator only has to pick well.
export const migration001: Migration = {
  version: 1,
  name: 'base-tables',
  up: `
    CREATE TABLE pve_connections (
      id                        TEXT PRIMARY KEY,
      name                      TEXT NOT NULL UNIQUE,
      host                      TEXT NOT NULL,
      port                      INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
      auth_kind                 TEXT NOT NULL CHECK (auth_kind IN ('token', 'password')),
      auth_id                   TEXT NOT NULL,
      secret_ciphertext         BLOB NOT NULL CHECK (typeof(secret_ciphertext) = 'blob'),
      tls_fingerprint           TEXT,
      ssh_host                  TEXT,
      ssh_port                  INTEGER CHECK (ssh_port IS NULL OR ssh_port BETWEEN 1 AND 65535),
      ssh_user                  TEXT,
      ssh_secret_ciphertext     BLOB CHECK (ssh_secret_ciphertext IS NULL OR typeof(ssh_secret_ciphertext) = 'blob'),
      ssh_host_key_fingerprint  TEXT,
      created_at                TEXT NOT NULL,
      updated_at                TEXT NOT NULL
    );

    CREATE TABLE apps (
      id          TEXT PRIMARY KEY,
      catalog_id  TEXT NOT NULL,
      name        TEXT NOT NULL,
      hostname    TEXT NOT NULL UNIQUE,
      node        TEXT,
      vmid        INTEGER,
      status      TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    );
    CREATE UNIQUE INDEX apps_node_vmid ON apps (node, vmid) WHERE vmid IS NOT NULL;

    -- WITHOUT ROWID keyed by app_id (one pair per app): one b-tree fewer to write on every allocation.
    CREATE TABLE port_assignments (
      app_id         TEXT NOT NULL PRIMARY KEY REFERENCES apps (id) ON DELETE RESTRICT,
      public_port    INTEGER NOT NULL UNIQUE CHECK (public_port BETWEEN 1 AND 65535),
      internal_port  INTEGER NOT NULL UNIQUE CHECK (internal_port BETWEEN 1 AND 65535),
      assigned_at    TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
};

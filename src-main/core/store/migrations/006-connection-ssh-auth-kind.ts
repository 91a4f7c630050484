import type { Migration } from './migration';

// How a connection logs in to its nodes over SSH: 'key' or 'password' (the secret itself stays in
// ssh_secret_ciphertext). Kept in clear so listing connections never has to decrypt a secret to show it.
export const migration006: Migration = {
  version: 6,
  name: 'connection-ssh-auth-kind',
  up: `
    ALTER TABLE pve_connections ADD COLUMN ssh_auth_kind TEXT CHECK (ssh_auth_kind IS NULL OR ssh_auth_kind IN ('key', 'password'));
  `,
};

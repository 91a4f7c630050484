// Turning a stored connection plus its decrypted secret into what the PVE client and the SSH layer take. The
// secrets pass through here only on their way to a login; they are never logged or put in an error.
import { ProximityError } from '../errors';
import type { PveAuth } from '../pve/pve-auth';
import type { NodeSshAuth } from '../ssh/node-ssh-target';
import type { PveConnectionRecord } from './pve-connection-repository';

/** The PVE client's credentials: `PVEAPIToken` for tokens (the secret as PVE prints it, a UUID), else user + password. */
export function apiAuthOf(record: Pick<PveConnectionRecord, 'authKind' | 'authId'>, secret: string): PveAuth {
  return record.authKind === 'token' ? { tokenId: record.authId, tokenSecret: secret.trim().toLowerCase() } : { username: record.authId, password: secret };
}

/** The SSH layer's login: a private key or a password. VALIDATION when the stored kind is unknown. */
export function sshAuthOf(kind: 'key' | 'password' | null, secret: string): NodeSshAuth {
  if (kind === 'key') return { kind: 'key', privateKey: secret };
  if (kind === 'password') return { kind: 'password', password: secret };
  throw new ProximityError('VALIDATION', 'The saved SSH login does not say whether it is a key or a password; enter it again.');
}

/** `root@pam` -> {user: 'root', realm: 'pam'} (the realm is after the LAST @, as PVE splits userids). */
export function splitUserId(userid: string): { user: string; realm: string } {
  const at = userid.lastIndexOf('@');
  return { user: userid.slice(0, at), realm: userid.slice(at + 1) };
}

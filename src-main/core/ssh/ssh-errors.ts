// ssh2's errors, turned into ours. ssh2 marks where an error came from in `err.level` (client-socket,
// client-dns, client-timeout, client-authentication, handshake, protocol); we map those facts, not message texts.
import { ProximityError } from '../errors';

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

/** Where a connection error happened, for the message. */
export interface SshEndpoint {
  nodeId: string;
  host: string;
  port: number;
  user: string;
  authKind: 'key' | 'password';
}

/**
 * Maps an ssh2 connection error to a ProximityError: `SSH_AUTH_FAILED` (login refused), `SSH_TIMEOUT`
 * (handshake or keepalive timed out), otherwise `SSH_FAILED` (unreachable, DNS, protocol). The cause is kept.
 */
export function connectionError(err: unknown, at: SshEndpoint): ProximityError {
  if (err instanceof ProximityError) return err;
  const e = (err ?? {}) as Ssh2Error;
  const where = `${at.user}@${at.host}:${at.port} (node ${at.nodeId})`;
  const details = { nodeId: at.nodeId, host: at.host, port: at.port, user: at.user, level: e.level, errno: e.code };
  switch (e.level) {
    case 'client-authentication':
      return new ProximityError(
        'SSH_AUTH_FAILED',
        `SSH login to ${where} with ${at.authKind === 'key' ? 'the private key' : 'the password'} was refused. ` +
          'Check the user and the key or password in the connection settings (the key must be in the node\'s ' +
          '~/.ssh/authorized_keys; password logins need PasswordAuthentication yes in sshd_config).',
        { details, cause: err },
      );
    case 'client-timeout':
      return new ProximityError('SSH_TIMEOUT', `SSH to ${where} timed out (${e.message}). Check that the node is up and reachable.`, { details, cause: err });
    case 'client-dns':
      return new ProximityError('SSH_FAILED', `Cannot resolve the node's SSH host ${at.host}: ${e.message}.`, { details, cause: err });
    case 'client-socket':
      return new ProximityError('SSH_FAILED', `Cannot reach SSH at ${where}: ${socketReason(e)}.`, { details, cause: err });
    default:
      return new ProximityError('SSH_FAILED', `SSH connection to ${where} failed: ${e.message ?? String(err)}.`, { details, cause: err });
  }
}

function socketReason(e: Ssh2Error): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is sshd running on that port?)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return e.message;
  }
}

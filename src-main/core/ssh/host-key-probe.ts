// Reads a node's SSH host key without logging in: for the "confirm this fingerprint" step of first contact.
import { Client } from 'ssh2';
import { ProximityError } from '../errors';
import { hostKeyAlgorithm, hostKeyFingerprint, type HostKeyOffer } from './host-key-pins';
import { connectionError } from './ssh-errors';

/**
 * Performs the SSH key exchange with host:port, takes the host key the server proves it holds, and disconnects
 * before authentication (no credentials are sent). Resolves with its OpenSSH SHA256 fingerprint and algorithm.
 * Throws ProximityError `SSH_FAILED` (unreachable, not SSH) or `SSH_TIMEOUT` (no key within `timeoutMs`).
 */
export function probeHostKey(endpoint: { nodeId: string; host: string; port: number }, timeoutMs = 15_000): Promise<HostKeyOffer> {
  return new Promise<HostKeyOffer>((resolve, reject) => {
    const client = new Client();
    let offer: HostKeyOffer | undefined;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      client.destroy();
      fn();
    };
    const fail = (err: unknown) => settle(() => reject(connectionError(err, { ...endpoint, user: '(none)', authKind: 'key' })));
    client.on('error', fail);
    client.on('close', () => fail(new ProximityError('SSH_FAILED', `The server at ${endpoint.host}:${endpoint.port} closed the connection before showing a host key.`)));
    client.connect({
      host: endpoint.host,
      port: endpoint.port,
      username: 'proximity-host-key-probe',
      readyTimeout: timeoutMs,
      // ssh2 shows the key before checking the server's signature with it; the key counts only once the
      // handshake completes (signature verified), and the connection is dropped there, before any login
      hostVerifier: (key: Buffer) => {
        offer = { ...endpoint, fingerprint: hostKeyFingerprint(key), algorithm: hostKeyAlgorithm(key) };
        return true;
      },
    });
    client.on('handshake', () => {
      if (offer) settle(() => resolve(offer!));
    });
  });
}

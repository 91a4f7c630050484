// SSH host keys, trusted on first use and pinned per node (like OpenSSH's known_hosts, keyed by our own node id
// rather than by address, so a node keeps its pin when its address changes and two nodes behind one NAT address
// do not share one).
import crypto from 'node:crypto';
import { ProximityError } from '../errors';

/** One pinned host key. `fingerprint` as `ssh-keygen -l -E sha256` prints it: `SHA256:` + unpadded base64. */
export interface HostKeyPin {
  fingerprint: string;
  /** the key's algorithm as named on the wire, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa` */
  algorithm: string;
  /** ISO 8601 time of pinning */
  pinnedAt: string;
}

/** The host key a server presented, before it is trusted. */
export interface HostKeyOffer {
  nodeId: string;
  host: string;
  port: number;
  fingerprint: string;
  algorithm: string;
}

/**
 * Where pins live, per node id (the caller's stable name for a node, e.g. `<connectionId>/<nodeName>`).
 * Persistence (the SQLite store) implements this same interface; `MemoryHostKeyPinStore` is the in-process one.
 */
export interface HostKeyPinStore {
  get(nodeId: string): Promise<HostKeyPin | undefined>;
  /** Pins (or re-pins, replacing the old pin) the node's host key. */
  set(nodeId: string, pin: HostKeyPin): Promise<void>;
  /** Forgets the node's pin; the next connection is a first contact again. */
  delete(nodeId: string): Promise<void>;
}

/** Host key pins kept in memory (tests, and until the database-backed store is wired in). */
export class MemoryHostKeyPinStore implements HostKeyPinStore {
  private readonly pins = new Map<string, HostKeyPin>();

  async get(nodeId: string): Promise<HostKeyPin | undefined> {
    const p = this.pins.get(nodeId);
    return p && { ...p };
  }

  async set(nodeId: string, pin: HostKeyPin): Promise<void> {
    this.pins.set(nodeId, { ...pin });
  }

  async delete(nodeId: string): Promise<void> {
    this.pins.delete(nodeId);
  }
}

/**
 * The OpenSSH SHA256 fingerprint of a host key blob as sent in the key exchange (RFC 4253 §6.6 public key
 * format): `SHA256:` + base64 of SHA-256(blob) without `=` padding (OpenSSH sshkey.c, `sshkey_fingerprint`).
 */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of a host key blob (an RFC 4251 `string`), or `unknown`. */
export function hostKeyAlgorithm(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) return 'unknown';
  const name = keyBlob.subarray(4, 4 + len).toString('latin1');
  return /^[a-z0-9@.-]+$/.test(name) ? name : 'unknown';
}

/** `SSH_HOST_KEY_MISMATCH`: the node presented a different key than the pinned one. Says old vs new and how to re-pin. */
export function hostKeyMismatchError(offer: HostKeyOffer, pinned: HostKeyPin): ProximityError {
  return new ProximityError(
    'SSH_HOST_KEY_MISMATCH',
    `The SSH host key of node ${offer.nodeId} (${offer.host}:${offer.port}) has changed: pinned ${pinned.algorithm} ` +
      `${pinned.fingerprint} (since ${pinned.pinnedAt}), now offered ${offer.algorithm} ${offer.fingerprint}. ` +
      'The connection was refused. If the node was reinstalled or its keys regenerated, check the new fingerprint on ' +
      `the node (\`ssh-keygen -l -f ${hostKeyFile(offer.algorithm)}\`), then re-pin it in the connection settings; ` +
      'otherwise someone may be intercepting the connection.',
    { details: { nodeId: offer.nodeId, host: offer.host, port: offer.port, pinned, offered: { fingerprint: offer.fingerprint, algorithm: offer.algorithm } } },
  );
}

/** `SSH_HOST_KEY_UNCONFIRMED`: first contact; the operator must confirm the fingerprint before it is pinned. */
export function hostKeyUnconfirmedError(offer: HostKeyOffer): ProximityError {
  return new ProximityError(
    'SSH_HOST_KEY_UNCONFIRMED',
    `First SSH contact with node ${offer.nodeId} (${offer.host}:${offer.port}): its ${offer.algorithm} host key is ` +
      `${offer.fingerprint}. Compare it with \`ssh-keygen -l -f ${hostKeyFile(offer.algorithm)}\` on the node and ` +
      'confirm it to pin it.',
    { details: { ...offer } },
  );
}

/** Where OpenSSH keeps the public host key of this algorithm on a Debian/PVE node. */
function hostKeyFile(algorithm: string): string {
  const kind = algorithm === 'ssh-ed25519' ? 'ed25519' : algorithm.startsWith('ecdsa-') ? 'ecdsa' : algorithm === 'ssh-rsa' ? 'rsa' : '*';
  return `/etc/ssh/ssh_host_${kind}_key.pub`;
}

// First contact with a Proxmox VE host, before anything is trusted or stored: the API certificate's SHA-256
// fingerprint, the SSH host key's fingerprint, and (when a login is given) the cluster CA read over SSH, for the
// operator to compare with what the node shows and confirm.
import type { z } from 'zod';
import type { connectionProbeInputSchema, ConnectionProbeResult } from '../../../src-shared/contract/connection-schemas';
import { describeFirstContact, type ClusterCaReader } from '../pve/pinned-fetch';
import { MemoryHostKeyPinStore } from '../ssh/host-key-pins';
import { probeHostKey } from '../ssh/host-key-probe';
import { NodeSshClient } from '../ssh/node-ssh-client';

export type ConnectionProbeInput = z.output<typeof connectionProbeInputSchema>;

/** Where the cluster CA lives on every PVE node (pve-cluster, /etc/pve is the cluster file system). */
export const CLUSTER_CA_PATH = '/etc/pve/pve-root-ca.pem';

/**
 * Probes `host:port` (TLS) and `ssh.host:ssh.port` (SSH key exchange only). With `ssh.auth`, also reads the
 * cluster CA over SSH (see the contract's probe input for when a login is used). Sends no API credential.
 * Throws PVE_UNREACHABLE (no TLS connection), SSH_FAILED / SSH_TIMEOUT (no SSH host key); a failed CA read is
 * reported in `clusterCaError`, not thrown.
 */
export async function probeConnection(input: ConnectionProbeInput, opts: { timeoutMs?: number } = {}): Promise<ConnectionProbeResult> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const ssh = input.ssh;
  const hostKey = ssh ? await probeHostKey({ nodeId: 'probe', host: ssh.host, port: ssh.port }, timeoutMs) : undefined;
  let readClusterCa: ClusterCaReader | undefined;
  let caSkipped: string | null = null;
  if (ssh?.auth && hostKey) {
    const trusted = ssh.auth.kind === 'key' ? (ssh.hostKeyFingerprint ?? hostKey.fingerprint) : ssh.hostKeyFingerprint;
    if (!trusted) caSkipped = 'The cluster CA is read with a password login only after the SSH host key was confirmed.';
    else readClusterCa = () => readCaOverSsh(ssh.host, ssh.port, ssh.user, ssh.auth!, trusted, timeoutMs);
  }
  const first = await describeFirstContact(input.host, input.port, { readClusterCa, timeoutMs });
  return {
    tls: {
      fingerprint: first.fingerprint,
      clusterCa: first.clusterCa ?? null,
      clusterCaError: first.clusterCaError ?? caSkipped,
    },
    ssh: hostKey ? { fingerprint: hostKey.fingerprint, algorithm: hostKey.algorithm } : null,
  };
}

async function readCaOverSsh(
  host: string,
  port: number,
  user: string,
  auth: { kind: 'key'; privateKey: string } | { kind: 'password'; password: string },
  fingerprint: string,
  timeoutMs: number,
): Promise<string> {
  const pins = new MemoryHostKeyPinStore();
  await pins.set('probe', { fingerprint, algorithm: 'probed', pinnedAt: new Date().toISOString() });
  const client = new NodeSshClient({ nodeId: 'probe', host, port, user, auth }, { pins, connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs });
  try {
    const r = await client.exec(['cat', CLUSTER_CA_PATH], { maxOutputBytes: 64 * 1024 });
    return r.stdout;
  } finally {
    await client.close();
  }
}

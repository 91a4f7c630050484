// Self-signed certificate for the emulator's HTTPS listener, like a fresh PVE node's pve-ssl.pem (RSA 2048).
// Generated with the system openssl (argv, no shell). The fingerprint is reported the way PVE shows it
// (GET /nodes ssl_fingerprint, pve-common Certificate.pm): SHA-256, upper-case hex, colon separated.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LabCertificate {
  key: string;
  cert: string;
  /** SHA-256, `AB:CD:...` upper case */
  fingerprint: string;
}

export async function generateCertificate(commonName = 'pve.lab'): Promise<LabCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'lab-pve-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
      '-keyout', keyPath, '-out', certPath,
      '-subj', `/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=${commonName}`,
      '-addext', `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${commonName}`,
    ], { timeout: 60_000 });
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return { key, cert, fingerprint: certificateFingerprint(cert) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function certificateFingerprint(pem: string): string {
  // Node already formats fingerprint256 as upper-case colon-separated hex
  return new X509Certificate(pem).fingerprint256;
}

let shared: Promise<LabCertificate> | undefined;

/**
 * One certificate per process, reused by every emulator started in it (RSA key generation is slow on a busy
 * machine). Pass `fresh: true` to createEmulator for a distinct certificate (e.g. to test a changed pin).
 */
export function sharedCertificate(): Promise<LabCertificate> {
  shared ??= generateCertificate().catch((e) => {
    shared = undefined;
    throw e;
  });
  return shared;
}

// Test-side SSH client (ssh2) that pins the node's host key by its SHA256 fingerprint, as Proximity does.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'ssh2';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  privateKeyPath: string;
  hostKeyFingerprint: string;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export function fingerprintOf(key: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export function connectPinned(t: SshTarget, pin = t.hostKeyFingerprint): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({
      host: t.host,
      port: t.port,
      username: t.user,
      privateKey: fs.readFileSync(t.privateKeyPath),
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === pin,
    });
  });
}

export function sshExec(c: Client, command: string, opts: { stdin?: string | Buffer; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        stream.close();
        reject(new Error(`ssh exec timed out: ${command}\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, opts.timeoutMs ?? 15_000);
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      stream.on('close', (code: number | null) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, code });
      });
      if (opts.stdin !== undefined) stream.end(opts.stdin);
      else stream.end();
    });
  });
}

/** Quotes one argv word for the remote POSIX shell. */
export function q(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function cmd(...argv: string[]): string {
  return argv.map(q).join(' ');
}

// "Test connection": each part on its own, in order (tcp, tls, auth, privileges, ssh, pct), ok / failed /
// skipped with a message, within one bounded total time. A part whose prerequisite failed is skipped (all of
// them when the host cannot be reached at all). Nothing is changed on the host or in the store.
import net from 'node:net';
import { z } from 'zod';
import type { ConnectionTestReport } from '../../../src-shared/contract/connection-schemas';
import type { ErrorCode } from '../../../src-shared/contract/errors';
import { ProximityError } from '../errors';
import { listNodes } from '../pve/nodes';
import { probeFingerprint } from '../pve/pinned-fetch';
import { PveClient } from '../pve/pve-client';
import { MemoryHostKeyPinStore } from '../ssh/host-key-pins';
import { NodeSshClient } from '../ssh/node-ssh-client';
import type { NodeSshAuth } from '../ssh/node-ssh-target';
import { apiAuthOf, sshAuthOf } from './connection-credentials';
import type { PveConnectionRecord } from './pve-connection-repository';
import { requiredPrivilegesFor } from './required-privileges';

type Step = ConnectionTestReport['steps'][number];
type StepName = Step['step'];

/** What a test needs: the stored connection and its decrypted secrets (read just before, never kept). */
export interface ConnectionTestSubject {
  record: PveConnectionRecord;
  apiSecret: string;
  sshSecret?: string;
}

/** Deadlines of the test (ms). Each step gets its own, all of them together at most `totalMs`. */
export interface ConnectionTestOptions {
  totalMs?: number;
  stepMs?: number;
  signal?: AbortSignal;
}

const versionSchema = z.object({ version: z.string(), release: z.string().optional() }).passthrough();
const permissionsSchema = z.record(z.string(), z.record(z.string(), z.coerce.number()));

/**
 * Runs the six checks against the connection and returns every step (CONNECTION_TEST_STEPS order). Never throws
 * for what it finds (a failure is a step's status); rejects only when `signal` aborts (its reason).
 */
export async function testConnection(subject: ConnectionTestSubject, opts: ConnectionTestOptions = {}): Promise<ConnectionTestReport> {
  const started = Date.now();
  const total = AbortSignal.timeout(opts.totalMs ?? 45_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, total]) : total;
  const stepMs = opts.stepMs ?? 10_000;
  const { record } = subject;
  const steps: Step[] = [];
  const failedSteps = new Set<StepName>();

  const run = async (step: StepName, needs: StepName[], work: (deadlineMs: number) => Promise<{ message: string; missing?: string[]; failed?: boolean; code?: ErrorCode }>) => {
    const blocker = needs.find((n) => failedSteps.has(n));
    if (blocker) {
      failedSteps.add(step);
      steps.push({ step, status: 'skipped', message: `Skipped: the ${blocker} check did not pass.`, code: null, durationMs: 0 });
      return;
    }
    const t0 = Date.now();
    try {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (total.aborted) throw new ProximityError('PVE_TIMEOUT', 'The connection test ran out of time.');
      const r = await work(stepMs);
      if (r.failed) failedSteps.add(step);
      steps.push({ step, status: r.failed ? 'failed' : 'ok', message: r.message, code: r.code ?? null, ...(r.missing ? { missing: r.missing } : {}), durationMs: Date.now() - t0 });
    } catch (e) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      failedSteps.add(step);
      const pe = e instanceof ProximityError ? e : undefined;
      steps.push({ step, status: 'failed', message: pe?.message ?? String((e as Error)?.message ?? e), code: pe?.code ?? 'INTERNAL', durationMs: Date.now() - t0 });
    }
  };

  let client: PveClient | undefined;
  let nodes: string[] = [];
  try {
    await run('tcp', [], async (ms) => {
      await tcpReachable(record.host, record.port, Math.min(ms, 5000), signal);
      return { message: `${record.host}:${record.port} accepts TCP connections.` };
    });
    // Nothing else can work when the API host does not answer: skip everything after it.
    const afterTcp: StepName[] = ['tcp'];
    await run('tls', afterTcp, async (ms) => {
      const actual = await probeFingerprint(record.host, record.port, ms);
      if (!record.tlsFingerprint) return { failed: true, code: 'VALIDATION', message: `No certificate is pinned yet; the server presents ${actual}.` };
      if (actual !== record.tlsFingerprint) {
        return {
          failed: true,
          code: 'TLS_FINGERPRINT_MISMATCH',
          message:
            `The certificate changed: pinned ${record.tlsFingerprint}, now presented ${actual}. If the node got a new ` +
            'certificate (reinstall, renewal, ACME), compare it with the one shown under Node > System > Certificates ' +
            'and re-pin it; otherwise someone may be intercepting the connection.',
        };
      }
      return { message: `The certificate matches the pinned fingerprint ${actual}.` };
    });
    await run('auth', ['tcp', 'tls'], async (ms) => {
      client = new PveClient({
        host: record.host,
        port: record.port,
        fingerprint: record.tlsFingerprint!,
        auth: apiAuthOf(record, subject.apiSecret),
        requestTimeoutMs: ms,
        readRetry: { attempts: 1 },
      });
      const v = await client.get((api) => api.version.$get(), versionSchema, { signal });
      return { message: `Logged in as ${record.authId} (${record.authKind === 'token' ? 'API token' : 'password'}); Proxmox VE ${v.version}.` };
    });
    await run('privileges', ['tcp', 'tls', 'auth'], async () => {
      nodes = (await listNodes(client!, signal)).map((n) => n.node).sort();
      const missing: string[] = [];
      for (const { path, privs } of requiredPrivilegesFor(nodes)) {
        const answer = await client!.get((api) => api.access.permissions.$get({ path }), permissionsSchema, { signal });
        const have = answer[path] ?? {};
        for (const p of privs) if (!(p.priv in have)) missing.push(`${p.priv} on ${path}`);
      }
      if (missing.length > 0) {
        return {
          failed: true,
          code: 'PVE_PERMISSION_DENIED',
          missing,
          message: `${record.authId} lacks privileges Proximity needs: ${missing.join(', ')}. Grant them (Datacenter > Permissions)` +
            (record.authKind === 'token' ? ', to the token itself when it has privilege separation.' : '.'),
        };
      }
      return { message: `${record.authId} has every privilege Proximity needs on /vms, /storage and ${nodes.map((n) => `/nodes/${n}`).join(', ') || 'the nodes'}.` };
    });
    if (!record.ssh) {
      for (const step of ['ssh', 'pct'] as const) steps.push({ step, status: 'skipped', message: 'No SSH login is configured for this connection.', code: null, durationMs: 0 });
      return report(record.id, steps, started);
    }
    const sshProfile = record.ssh;
    let ssh: NodeSshClient | undefined;
    try {
      await run('ssh', ['tcp'], async (ms) => {
        if (!subject.sshSecret) return { failed: true, code: 'VALIDATION', message: 'No SSH key or password is saved for this connection.' };
        if (!sshProfile.hostKeyFingerprint) return { failed: true, code: 'SSH_HOST_KEY_UNCONFIRMED', message: 'No SSH host key is pinned yet; probe the connection and confirm it.' };
        const pins = new MemoryHostKeyPinStore();
        await pins.set(record.id, { fingerprint: sshProfile.hostKeyFingerprint, algorithm: 'pinned', pinnedAt: record.updatedAt });
        const auth: NodeSshAuth = sshAuthOf(sshProfile.authKind, subject.sshSecret);
        ssh = new NodeSshClient({ nodeId: record.id, host: sshProfile.host, port: sshProfile.port, user: sshProfile.user, auth }, { pins, connectTimeoutMs: ms, commandTimeoutMs: ms });
        await ssh.exec(['true'], { signal, timeoutMs: ms });
        return { message: `Logged in to ${sshProfile.user}@${sshProfile.host}:${sshProfile.port}; the host key matches ${sshProfile.hostKeyFingerprint}.` };
      });
      await run('pct', ['ssh'], async (ms) => {
        const r = await ssh!.exec(['which', 'pct'], { signal, timeoutMs: ms, check: false });
        if (r.exitCode !== 0) return { failed: true, code: 'COMMAND_FAILED', message: `pct was not found on ${sshProfile.host}: is this a Proxmox VE node?` };
        return { message: `pct is installed at ${r.stdout.trim()}.` };
      });
    } finally {
      await ssh?.close();
    }
    return report(record.id, steps, started);
  } finally {
    await client?.close();
  }
}

function report(id: string, steps: Step[], started: number): ConnectionTestReport {
  return { id, ok: steps.every((s) => s.status === 'ok'), steps, durationMs: Date.now() - started };
}

/** Resolves once a TCP connection to host:port is established (then closes it). Throws PVE_UNREACHABLE. */
function tcpReachable(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const done = (e?: ProximityError) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (e) reject(e);
      else resolve();
    };
    const onAbort = () => done(new ProximityError('PVE_UNREACHABLE', `The test was stopped while connecting to ${host}:${port}.`));
    const timer = setTimeout(() => done(new ProximityError('PVE_UNREACHABLE', `${host}:${port} did not accept a TCP connection within ${timeoutMs} ms. Check the address, the port (8006) and any firewall.`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done(new ProximityError('PVE_UNREACHABLE', `Cannot reach ${host}:${port}: ${e.code === 'ECONNREFUSED' ? 'connection refused (is pveproxy running on that port?)' : e.message}.`, { cause: e })),
    );
  });
}

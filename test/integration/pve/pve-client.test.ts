// ACCEPTANCE (issue 8, items 2-4): the PVE client against the lab (virtual backend). Token and ticket auth,
// ticket renewal (before expiry, and after a forced expiry with both 401 texts), the certificate pin, retries
// of a held lock (500 at dispatch, and a start task that failed on the lock), a failed task's error with its
// log, the container lifecycle on PVE 8.4 and 9.1. Every request the client sends must pass the lab's schema
// validator (checked after each test).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProximityError } from '../../../src-main/core/errors';
import { createContainer, destroyContainer, getContainerConfig, setContainerConfig, containerStatus, containerInterfaces, startContainer, stopContainer, shutdownContainer, rebootContainer } from '../../../src-main/core/pve/lxc';
import { clusterResources, listNodes, nextVmid, nodeStatus, readNodeHealth } from '../../../src-main/core/pve/nodes';
import { describeFirstContact, probeFingerprint } from '../../../src-main/core/pve/pinned-fetch';
import { PveClient, type PveAuth } from '../../../src-main/core/pve/pve-client';
import { runTask, waitForTask, upidSchema, pollIntervalMs, type TaskLogLine } from '../../../src-main/core/pve/tasks';
import { createBackend } from '../../lab/backends';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';
import { validateRecordedRequest } from '../../lab/pve/schema';
import { PveHttpError, type RouteHandler } from '../../lab/pve/types';

const ALPINE = 'alpine-3.22-default_20250617_amd64.tar.xz';
const FAST = { baseDelayMs: 20, maxDelayMs: 200 };

const emus: Emulator[] = [];
const clients: PveClient[] = [];
/** requests of each emulator already checked by the schema validator */
const checked = new Map<Emulator, number>();

async function lab(opts: Partial<Parameters<typeof createEmulator>[0]> = {}): Promise<Emulator> {
  const emu = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0, ...opts });
  emus.push(emu);
  checked.set(emu, 0);
  return emu;
}

function client(emu: Emulator, auth: 'token' | 'ticket' = 'token', extra: Partial<ConstructorParameters<typeof PveClient>[0]> = {}): PveClient {
  const a: PveAuth = auth === 'token' ? { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret } : { username: emu.user, password: emu.password };
  const c = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: a, ...extra });
  clients.push(c);
  return c;
}

async function errorOf(p: Promise<unknown>): Promise<ProximityError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ProximityError);
  return e as ProximityError;
}

async function seedTemplate(emu: Emulator): Promise<string> {
  await emu.waitTask(await emu.callApi('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE }));
  return `local:vztmpl/${ALPINE}`;
}

// Every HTTP request our client sent must be one PVE accepts (the schema is the contract, not the lab's routes).
afterEach(() => {
  for (const emu of emus) {
    const fresh = emu.requests.slice(checked.get(emu) ?? 0).filter((r) => r.source === 'http');
    checked.set(emu, emu.requests.length);
    const invalid = fresh.map((r) => ({ r: `${r.method} ${r.path}`, problems: validateRecordedRequest(emu.schema, r) })).filter((x) => x.problems.length > 0);
    expect(invalid).toEqual([]);
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(emus.map((e) => e.close()));
});

describe('auth', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await lab();
  });

  it.each(['token', 'ticket'] as const)('reads nodes and node status with a %s', async (auth) => {
    const c = client(emu, auth);
    const nodes = await listNodes(c);
    expect(nodes).toEqual([expect.objectContaining({ node: 'pve', status: 'online', ssl_fingerprint: emu.fingerprint })]);
    const st = await nodeStatus(c, 'pve');
    expect(st.memory.total).toBeGreaterThan(0);
    expect(st.pveversion).toMatch(/^pve-manager\/8\.4/);
    if (auth === 'ticket') expect(c.auth.logins).toBe(1);
  });

  it('refuses wrong credentials with PVE_AUTH_FAILED', async () => {
    const c = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: { username: 'root@pam', password: 'wrong' } });
    clients.push(c);
    const e = await errorOf(listNodes(c));
    expect(e.code).toBe('PVE_AUTH_FAILED');
    expect(e.details).toMatchObject({ status: 401, reason: 'authentication failure', path: '/access/ticket' });
    const t = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: { tokenId: emu.tokenId, tokenSecret: '00000000-0000-4000-8000-000000000000' } });
    clients.push(t);
    expect((await errorOf(listNodes(t))).code).toBe('PVE_AUTH_FAILED');
    expect(() => new PveClient({ host: emu.host, fingerprint: emu.fingerprint, auth: { tokenId: 'no-bang', tokenSecret: 'x' } })).toThrow(/API token id/);
  });

  it('renews a ticket before it expires, with the ticket as password', async () => {
    let now = 1_000_000;
    const c = client(emu, 'ticket', { renewTicketAfterMs: 60 * 60_000 });
    (c.auth as any).now = () => now;
    await listNodes(c);
    now += 61 * 60_000;
    const before = emu.requests.length;
    await listNodes(c);
    const logins = emu.requests.slice(before).filter((r) => r.path === '/api2/json/access/ticket');
    expect(logins).toHaveLength(1);
    expect(String(logins[0].params.password)).toMatch(/^PVE:root@pam:/);
    expect(logins[0].status).toBe(200);
    expect(c.auth.logins).toBe(2);

    // after a long sleep the old ticket cannot renew itself: the password logs in again
    emu.faults.expireAllTickets();
    now += 3 * 60 * 60_000;
    const from = emu.requests.length;
    await listNodes(c);
    const sent = emu.requests.slice(from).map((r) => `${r.method} ${r.path} ${r.status} ${r.path.endsWith('/ticket') && String(r.params.password).startsWith('PVE:') ? 'ticket' : ''}`.trim());
    expect(sent).toEqual(['POST /api2/json/access/ticket 401 ticket', 'POST /api2/json/access/ticket 200', 'GET /api2/json/nodes 200']);
  });

  it.each([
    ['8.4.16', 'permission denied - invalid PVE ticket'],
    ['8.4.17', 'Authentication failed!'],
  ])('pve-manager %s: after tickets expired (401 "%s") it logs in once and resends', async (pveVersion, reason) => {
    // a lab of its own: tickets of an earlier expireAllTickets() in the same second would still look fresh
    const e = await lab({ pveVersion });
    const c = client(e, 'ticket');
    await listNodes(c);
    e.faults.expireAllTickets();
    const before = e.requests.length;
    const vmid = await nextVmid(c);
    expect(vmid).toBe(100);
    const sent = e.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status} ${r.message}`);
    expect(sent).toEqual([
      `GET /api2/json/cluster/nextid 401 ${reason}`,
      'POST /api2/json/access/ticket 200 OK',
      'GET /api2/json/cluster/nextid 200 OK',
    ]);
    // a write after re-login carries the new CSRF token
    await setContainerConfig(c, 'pve', 100, { set: { description: 'x' } }).catch((x: ProximityError) => expect(x.code).toBe('PVE_NOT_FOUND'));
  });
});

describe('TLS trust on first use', () => {
  it('probes the fingerprint; a changed certificate on the same address is refused, saying what changed', async () => {
    const first = await lab();
    const pinned = await probeFingerprint(first.host, first.port);
    expect(pinned).toBe(first.fingerprint);
    expect(await describeFirstContact(first.host, first.port, { readClusterCa: async () => first.certificatePem })).toEqual({
      fingerprint: first.fingerprint,
      clusterCa: { fingerprint: first.fingerprint, signsLeaf: true },
    });
    const c = new PveClient({ host: first.host, port: first.port, fingerprint: pinned, auth: { tokenId: first.tokenId, tokenSecret: first.tokenSecret } });
    clients.push(c);
    expect(await listNodes(c)).toHaveLength(1);
    const port = first.port;
    const firstPem = first.certificatePem;
    await c.close();
    await first.close();

    // the same host:port now presents another certificate (a reinstalled node, or someone in between)
    const second = await lab({ freshCertificate: true, port });
    expect(second.fingerprint).not.toBe(pinned);
    const again = new PveClient({ host: second.host, port, fingerprint: pinned, auth: { tokenId: second.tokenId, tokenSecret: second.tokenSecret } });
    clients.push(again);
    const e = await errorOf(listNodes(again));
    expect(e.code).toBe('TLS_FINGERPRINT_MISMATCH');
    expect(e.details).toEqual({ host: '127.0.0.1', port, expected: pinned, actual: second.fingerprint });
    expect(e.message).toContain(pinned);
    expect(e.message).toContain(second.fingerprint);
    expect(e.message).toMatch(/re-pin/);
    // nothing reached the HTTP layer
    expect(second.requests.filter((r) => r.source === 'http')).toHaveLength(0);
    // on first contact with the new certificate: a CA that did not issue it is said so; a failed read is reported
    expect(await describeFirstContact(second.host, port, { readClusterCa: async () => firstPem })).toEqual({
      fingerprint: second.fingerprint,
      clusterCa: { fingerprint: pinned, signsLeaf: false },
    });
    expect(await describeFirstContact(second.host, port, { readClusterCa: async () => { throw new Error('ssh: connection refused'); } })).toEqual({
      fingerprint: second.fingerprint,
      clusterCaError: 'ssh: connection refused',
    });
  });
});

describe('tasks and retries', () => {
  let emu: Emulator;
  let c: PveClient;
  let ostemplate: string;
  beforeAll(async () => {
    emu = await lab({ taskSeconds: 0.3 });
    c = client(emu);
    ostemplate = await seedTemplate(emu);
  });

  it('waitForTask streams the log while the task runs and returns its outcome', async () => {
    const lines: TaskLogLine[] = [];
    const upid = await c.get((api) => api.nodes.$('pve').lxc.$post({ vmid: 150, ostemplate, rootfs: 'local-lvm:1', hostname: 'stream' }), upidSchema);
    const out = await waitForTask(c, upid, { onLog: (l) => lines.push(...l) });
    expect(out).toMatchObject({ exitstatus: 'OK', type: 'vzcreate', id: '150', node: 'pve', warnings: [] });
    expect(out.durationMs).toBeGreaterThanOrEqual(250);
    expect(lines.map((l) => l.n)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.at(-1)?.t).toBe('TASK OK');
    expect(lines.some((l) => l.t.startsWith('extracting archive'))).toBe(true);
    expect(out.lastLines.at(-1)).toBe('Detected container architecture: amd64');
  });

  it('a failed task becomes PVE_TASK_FAILED carrying its last log lines', async () => {
    emu.faults.failNextTask('vzcreate', 'unable to create CT 151 - no space left on device');
    const e = await errorOf(createContainer(c, 'pve', { ostemplate, rootfs: 'local-lvm:1' }, { vmid: 151 }));
    expect(e.code).toBe('PVE_TASK_FAILED');
    expect(e.details).toMatchObject({ type: 'vzcreate', id: '151', exitstatus: 'unable to create CT 151 - no space left on device' });
    expect(e.message).toContain('no space left on device');
    expect(emu.requests.filter((r) => r.method === 'POST' && r.path === '/api2/json/nodes/pve/lxc' && r.params.vmid === '151')).toHaveLength(1);

    const bridgeless = await createContainer(c, 'pve', { ostemplate, rootfs: 'local-lvm:1', nets: ['name=eth0,bridge=vmbr9,ip=dhcp'] }, { vmid: 152 });
    const failed = await errorOf(startContainer(c, 'pve', bridgeless.vmid));
    expect(failed.code).toBe('PVE_TASK_FAILED');
    expect((failed.details as any).lastLines).toContain("bridge 'vmbr9' does not exist");
    expect(failed.message).toMatch(/startup for container '152' failed[\s\S]*Last log lines:[\s\S]*bridge 'vmbr9' does not exist/);
  });

  it('a lock held shorter than PVE waits for it: start and config PUT wait it out; starting a running CT is success', async () => {
    const { vmid } = await createContainer(c, 'pve', { ostemplate, rootfs: 'local-lvm:1', nets: ['name=eth0,bridge=vmbr0,ip=dhcp'] });
    emu.faults.holdGuestLock(vmid, 600);
    const retries: string[] = [];
    const run = await startContainer(c, 'pve', vmid, { retry: { ...FAST, attempts: 10, baseDelayMs: 100 }, onRetry: (e) => retries.push((e as ProximityError).code) });
    expect(run).toMatchObject({ alreadyDone: false, outcome: { exitstatus: 'OK', type: 'vzstart' } });
    // PVE before pve-container 5.x refuses at dispatch; later ones take the lock inside the worker, whose task
    // waits for it (or fails on it and is dispatched again, see the next test). Either way: one start that worked.
    const starts = emu.requests.filter((r) => r.path === `/api2/json/nodes/pve/lxc/${vmid}/status/start`);
    expect(starts.filter((r) => r.status === 200)).toHaveLength(1);
    expect(starts.at(-1)!.status).toBe(200);
    for (const refused of starts.slice(0, -1)) expect([refused.status, refused.message]).toEqual([500, `can't lock file '/run/lock/lxc/pve-config-${vmid}.lock' - got timeout`]);
    expect(retries.length).toBe(starts.length - 1 + emu.tasks.list().filter((t) => t.type === 'vzstart' && t.id === String(vmid) && t.exitstatus !== 'OK').length);
    expect(new Set(retries)).toEqual(retries.length ? new Set(['PVE_LOCKED']) : new Set());
    expect((await containerStatus(c, 'pve', vmid)).status).toBe('running');

    // already running: success without a task
    const before = emu.tasks.list().length;
    expect(await startContainer(c, 'pve', vmid)).toEqual({ alreadyDone: true });
    expect(emu.tasks.list().length).toBe(before);

    // a synchronous config change waits out the lock the same way
    emu.faults.holdGuestLock(vmid, 400);
    await setContainerConfig(c, 'pve', vmid, { set: { description: 'after the lock' } }, { retry: { ...FAST, attempts: 10, baseDelayMs: 100 } });
    expect((await getContainerConfig(c, 'pve', vmid)).description).toBe('after the lock');
    await stopContainer(c, 'pve', vmid);
  }, 60_000);

  it('a start task that failed on the lock inside the worker is dispatched again; other failed tasks never are', async () => {
    const { vmid } = await createContainer(c, 'pve', { ostemplate, rootfs: 'local-lvm:1', nets: ['name=eth0,bridge=vmbr0,ip=dhcp'] });
    const lockText = `can't lock file '/run/lock/lxc/pve-config-${vmid}.lock' - got timeout`;
    emu.faults.failNextTask('vzstart', lockText);
    const run = await startContainer(c, 'pve', vmid, { retry: FAST });
    expect(run.alreadyDone).toBe(false);
    const starts = emu.tasks.list().filter((t) => t.type === 'vzstart' && t.id === String(vmid));
    expect(starts.map((t) => t.exitstatus)).toEqual([lockText, 'OK']);

    // locked, retries exhausted: PVE_LOCKED carrying the task
    emu.faults.failNextTask('vzstop', lockText);
    emu.faults.failNextTask('vzstop', lockText);
    const e = await errorOf(stopContainer(c, 'pve', vmid, { retry: { ...FAST, attempts: 2 } }));
    expect(e.code).toBe('PVE_LOCKED');
    expect(e.details).toMatchObject({ type: 'vzstop', exitstatus: lockText });

    // any other task failure is final: one dispatch only
    emu.faults.failNextTask('vzstop', 'command failed');
    const stopsBefore = emu.tasks.list().filter((t) => t.type === 'vzstop').length;
    expect((await errorOf(stopContainer(c, 'pve', vmid, { retry: FAST }))).code).toBe('PVE_TASK_FAILED');
    expect(emu.tasks.list().filter((t) => t.type === 'vzstop').length).toBe(stopsBefore + 1);
    await stopContainer(c, 'pve', vmid);
    expect(await stopContainer(c, 'pve', vmid)).toEqual({ alreadyDone: true });
  });

  it('retries the dispatch on "got no worker upid" and 503, not on 400', async () => {
    emu.faults.startWorkerFailed(2);
    const retried: number[] = [];
    const run = await runTask(c, () => c.get((api) => api.nodes.$('pve').aplinfo.$post({ storage: 'local', template: ALPINE }), upidSchema), {
      what: 'download', retry: FAST, onRetry: (_e, n) => retried.push(n),
    });
    expect(run.alreadyDone).toBe(false);
    expect(retried).toEqual([1, 2]);
    emu.faults.httpError(503, 'Service Unavailable', { pathPattern: '^POST /nodes/pve/aplinfo$', count: 1 });
    await runTask(c, () => c.get((api) => api.nodes.$('pve').aplinfo.$post({ storage: 'local', template: ALPINE }), upidSchema), { what: 'download', retry: FAST });
    const before = emu.requests.length;
    const bad = await errorOf(runTask(c, () => c.get((api) => api.nodes.$('pve').aplinfo.$post({ storage: 'local', template: 'nope.tar.xz' }), upidSchema), { what: 'download', retry: FAST }));
    expect(bad).toMatchObject({ code: 'PVE_API_ERROR', details: { status: 400, errors: { template: 'no such template' } } });
    expect(emu.requests.length - before).toBe(1);

    // a 500 that states a fact is not retried either: destroying a running container without force
    const { vmid } = await createContainer(c, 'pve', { ostemplate, rootfs: 'local-lvm:1', nets: ['name=eth0,bridge=vmbr0,ip=dhcp'], start: true });
    const from = emu.requests.length;
    const running = await errorOf(destroyContainer(c, 'pve', vmid, { retry: FAST }));
    expect(running).toMatchObject({ code: 'PVE_API_ERROR', details: { status: 500, reason: `unable to destroy CT ${vmid} - container is running` } });
    expect(emu.requests.slice(from).filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(await destroyContainer(c, 'pve', vmid, { force: true, purge: true })).toBe(true);
  });

  it('honours cancellation and a deadline', async () => {
    // a task that runs until the test lets it end
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const upid = emu.tasks.start({ node: 'pve', type: 'vzstart', id: '160', identity: emu.auth.rootIdentity(), run: () => gate });
    const e = await errorOf(waitForTask(c, upid, { timeoutMs: 50 }));
    expect(e).toMatchObject({ code: 'PVE_TIMEOUT', details: { upid } });
    const ac = new AbortController();
    const p = waitForTask(c, upid, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect((await errorOf(p)).code).toBe('CANCELLED');
    finish();
    expect((await waitForTask(c, upid)).exitstatus).toBe('OK');
  });

  it('retries "no such task" right after the dispatch (not visible yet, as bpg does), but not past the grace', async () => {
    // PVE's task index can lag the dispatch; the lab's is immediate, so its status route hides the task twice
    const handlers = (emu.routes as unknown as { handlers: Map<string, RouteHandler> }).handlers;
    const key = 'GET /nodes/{node}/tasks/{upid}/status';
    const real = handlers.get(key)!;
    let hidden = 2;
    handlers.set(key, (ctx) => {
      if (hidden-- > 0) throw new PveHttpError(400, 'Parameter verification failed.', { upid: 'no such task' });
      return real(ctx);
    });
    try {
      const upid = await c.get((api) => api.nodes.$('pve').aplinfo.$post({ storage: 'local', template: ALPINE }), upidSchema);
      expect((await waitForTask(c, upid)).exitstatus).toBe('OK');
      expect(hidden).toBeLessThan(0);
      hidden = 1;
      const e = await errorOf(waitForTask(c, upid, { unknownTaskGraceMs: 0 }));
      expect(e).toMatchObject({ code: 'PVE_API_ERROR', details: { status: 400, errors: { upid: 'no such task' } } });
    } finally {
      handlers.set(key, real);
    }
  });

  it('a task ending "WARNINGS: n" is a success that carries its WARN lines', async () => {
    // a worker that warns as pve-container 9.1.5+ does for systemd 255 without nesting (the lab's own task runner)
    const upid = emu.tasks.start({
      node: 'pve', type: 'vzstart', id: '170', identity: emu.auth.rootIdentity(),
      run: (log) => {
        log.line('starting');
        log.warn('Systemd 255 detected. You may need to enable nesting.');
      },
    });
    const out = await waitForTask(c, upid);
    expect(out).toMatchObject({ exitstatus: 'WARNINGS: 1', warnings: ['WARN: Systemd 255 detected. You may need to enable nesting.'] });
  });

  it('destroying a container that does not exist is success; reading one is PVE_NOT_FOUND', async () => {
    expect(await destroyContainer(c, 'pve', 999)).toBe(false);
    const e = await errorOf(containerStatus(c, 'pve', 999));
    expect(e).toMatchObject({ code: 'PVE_NOT_FOUND', details: { status: 500, reason: "Configuration file 'nodes/pve/lxc/999.conf' does not exist" } });
  });

  it('polls from 100 ms, backing off with the task age to 1 s', () => {
    expect([0, 500, 1000, 3000, 10_000, 60_000].map((a) => pollIntervalMs(a))).toEqual([100, 100, 100, 300, 1000, 1000]);
  });
});

describe.each(['8.4', '9.1'] as const)('container lifecycle on PVE %s', (schema) => {
  let emu: Emulator;
  let c: PveClient;
  let racer: Promise<unknown> | undefined;
  let ostemplate: string;
  beforeAll(async () => {
    emu = await lab({ schema });
    ostemplate = await seedTemplate(emu);
    // another client creates the VMID that /cluster/nextid just gave us, before our create arrives
    c = client(emu, 'ticket', {
      onAnswer: (a) => {
        if (a.path === '/cluster/nextid' && !racer) racer = emu.callApi('POST', '/nodes/pve/lxc', { vmid: Number(a.data), ostemplate, rootfs: 'local-lvm:1' }).then((u) => emu.waitTask(u));
      },
    });
  });

  it('create (nextid race lost, lock cleared), start, interfaces, config, shutdown, reboot, stop, destroy', async () => {
    const { vmid, outcome } = await createContainer(c, 'pve', {
      ostemplate, hostname: `life-${schema.replace('.', '')}`, memory: 256, cores: 1, rootfs: 'local-lvm:1',
      nets: ['name=eth0,bridge=vmbr0,ip=dhcp'], unprivileged: true, features: 'nesting=1', start: true,
    });
    await racer;
    const creates = emu.requests.filter((r) => r.source === 'http' && r.method === 'POST' && r.path === '/api2/json/nodes/pve/lxc');
    expect(creates.map((r) => [r.params.vmid, r.status, r.message])).toEqual([
      ['100', 500, "CT 100 already exists on node 'pve'"],
      ['101', 200, 'OK'],
    ]);
    expect(vmid).toBe(101);
    expect(outcome.exitstatus).toBe('OK');
    expect((await getContainerConfig(c, 'pve', vmid)).lock).toBeUndefined();
    expect((await containerStatus(c, 'pve', vmid)).status).toBe('running');
    const ifaces = await containerInterfaces(c, 'pve', vmid);
    expect(ifaces.find((i) => i.name === 'eth0')?.inet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    const cfg = await getContainerConfig(c, 'pve', vmid);
    await setContainerConfig(c, 'pve', vmid, { set: { memory: 512, description: 'two\nlines' }, digest: cfg.digest });
    expect(await getContainerConfig(c, 'pve', vmid)).toMatchObject({ memory: 512, description: 'two\nlines' });
    await setContainerConfig(c, 'pve', vmid, { delete: ['description'] });
    expect((await rebootContainer(c, 'pve', vmid)).alreadyDone).toBe(false);
    expect((await shutdownContainer(c, 'pve', vmid, { timeoutS: 10, forceStop: true })).alreadyDone).toBe(false);
    expect(await containerInterfaces(c, 'pve', vmid)).toEqual([]);
    expect(await shutdownContainer(c, 'pve', vmid)).toEqual({ alreadyDone: true });
    expect(await destroyContainer(c, 'pve', vmid, { purge: true })).toBe(true);
    const rows = await clusterResources(c, { type: 'vm' });
    expect(rows.map((r) => r.vmid)).toEqual([100]);
  });
});

describe('offline node', () => {
  it('node status of an offline node reads as offline, not as a crash', async () => {
    const emu = await lab({ nodes: 2 });
    const c = client(emu);
    emu.faults.nodeOffline('pve2', true);
    expect(await readNodeHealth(c, 'pve2')).toEqual({ status: 'offline', reason: expect.stringMatching(/595 No route to host/) });
    expect((await readNodeHealth(c, 'pve1')).status).toBe('online');
    const e = await errorOf(nodeStatus(c, 'pve2'));
    expect(e).toMatchObject({ code: 'PVE_NODE_OFFLINE', details: { status: 595 } });
    const nodes = await listNodes(c);
    expect(nodes.find((n) => n.node === 'pve2')?.status).toBe('offline');
  });
});

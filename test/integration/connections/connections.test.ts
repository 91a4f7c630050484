// ACCEPTANCE (issue 8 item 1, issue 11 item 11 wiring): connection profiles over the REAL IPC dispatcher, against
// the lab (PVE emulator + the node's real OpenSSH with lab `pct`). Add/list/edit/remove with secrets never in an
// output, an event or the audit log; "Test connection" step by step (all ok, missing privileges named, an
// unreachable host); TLS and SSH host key pins refused when changed and re-pinned by the operator.
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateRecordedRequest } from '../../lab/pve/schema';
import type { Connection, ConnectionProbeResult, ConnectionTestReport } from '../../../src-shared/contract/connection-schemas';
import { CHANNEL_NAMES } from '../../../src-shared/contract/names';
import { ProximityError } from '../../../src-main/core/errors';
import { listNodes } from '../../../src-main/core/pve/nodes';
import { createBackend } from '../../lab/backends';
import { seedAccess } from '../../lab/pve/access/access-seed';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';
import type { NodeSsh } from '../../lab/node/ssh-server';
import { startSshLab, startTcpRelay, type SshLab, type TcpRelay } from '../ssh/ssh-test-kit';
import { openIpcKit, type IpcKit } from './connection-kit';

let lab: SshLab;
let kit: IpcKit;
let privateKey: string;
const secrets: string[] = [];
const toClose: (() => Promise<void>)[] = [];
const extraEmulators: Emulator[] = [];

beforeAll(async () => {
  lab = await startSshLab({ nodes: ['pve', 'pve2'] });
  privateKey = fs.readFileSync(lab.ssh.privateKeyPath, 'utf8');
  // the token secret, the root password and a line from the middle of the private key must never come back
  const keyLines = privateKey.trim().split('\n');
  secrets.push(lab.lab.info.api.tokenSecret, lab.lab.info.api.password, keyLines[Math.floor(keyLines.length / 2)]);
  kit = openIpcKit(['connections.changed'], { requestTimeoutMs: 5000, test: { totalMs: 20_000, stepMs: 5000 } });
}, 60_000);

// Every HTTP request Proximity sent must be one PVE accepts (the schema is the contract, not the lab's routes).
const checked = new Map<object, number>();
afterEach(() => {
  for (const e of [emu(), ...extraEmulators]) {
    const fresh = e.requests.slice(checked.get(e) ?? 0).filter((r) => r.source === 'http');
    checked.set(e, e.requests.length);
    const invalid = fresh.map((r) => ({ r: `${r.method} ${r.path}`, problems: validateRecordedRequest(e.schema, r) })).filter((x) => x.problems.length > 0);
    expect(invalid).toEqual([]);
  }
});

afterAll(async () => {
  kit?.close();
  for (const c of toClose.reverse()) await c().catch(() => {});
  await lab?.close();
});

const emu = () => lab.lab.emulator;
const sshKey = () => ({ kind: 'key' as const, privateKey });

async function probe(apiPort = emu().port, sshPort = lab.ssh.port): Promise<ConnectionProbeResult> {
  return kit.value<ConnectionProbeResult>('connections.probe', { host: '127.0.0.1', port: apiPort, ssh: { host: '127.0.0.1', port: sshPort } });
}

async function addConnection(name: string, over: { auth?: unknown; apiPort?: number; sshPort?: number } = {}): Promise<Connection> {
  const p = await probe(over.apiPort, over.sshPort);
  return kit.value<Connection>('connections.add', {
    name,
    host: '127.0.0.1',
    port: over.apiPort ?? emu().port,
    auth: over.auth ?? { kind: 'token', tokenId: emu().tokenId, secret: emu().tokenSecret },
    tlsFingerprint: p.tls.fingerprint,
    ssh: { host: '127.0.0.1', port: over.sshPort ?? lab.ssh.port, user: lab.ssh.user, auth: sshKey(), hostKeyFingerprint: p.ssh!.fingerprint },
  });
}

const stepsOf = (r: ConnectionTestReport) => r.steps.map((s) => [s.step, s.status]);

describe('connection profiles over IPC', () => {
  it('probes the fingerprints, adds with them pinned, lists, edits keeping secrets, removes', async () => {
    const p = await probe();
    expect(p.tls.fingerprint).toBe(emu().fingerprint);
    expect(p.ssh).toEqual({ fingerprint: lab.ssh.hostKeyFingerprint, algorithm: expect.stringMatching(/^ssh-|^ecdsa-/) });

    // with a key login, the probe also tries to read the cluster CA over SSH (the lab's node has none: reported)
    const withCa = await kit.value<ConnectionProbeResult>('connections.probe', { host: '127.0.0.1', port: emu().port, ssh: { host: '127.0.0.1', port: lab.ssh.port, auth: sshKey() } });
    expect(withCa.tls.fingerprint).toBe(emu().fingerprint);
    expect(withCa.tls.clusterCa !== null || withCa.tls.clusterCaError !== null).toBe(true);
    // a password login is sent only to an already confirmed host key
    const pwProbe = await kit.value<ConnectionProbeResult>('connections.probe', { host: '127.0.0.1', port: emu().port, ssh: { host: '127.0.0.1', port: lab.ssh.port, auth: { kind: 'password', password: 'not-sent' } } });
    expect(pwProbe.tls).toMatchObject({ clusterCa: null, clusterCaError: expect.stringContaining('confirmed') });

    const added = await addConnection('lab');
    expect(added).toMatchObject({
      name: 'lab',
      host: '127.0.0.1',
      port: emu().port,
      auth: { kind: 'token', tokenId: emu().tokenId },
      hasSecret: true,
      tlsFingerprint: emu().fingerprint,
      ssh: { host: '127.0.0.1', port: lab.ssh.port, user: 'root', authKind: 'key', hasSecret: true, hostKeyFingerprint: lab.ssh.hostKeyFingerprint },
    });
    const byPassword = await addConnection('lab-password', { auth: { kind: 'password', user: 'root', realm: 'pam', password: emu().password } });
    expect(byPassword.auth).toEqual({ kind: 'password', user: 'root', realm: 'pam' });

    // the fingerprints must be confirmed: no add without them
    const unconfirmed = await kit.call('connections.add', { name: 'x', host: '127.0.0.1', auth: { kind: 'token', tokenId: emu().tokenId, secret: emu().tokenSecret }, ssh: { host: '127.0.0.1', auth: sshKey() } });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // a name is unique
    expect(await kit.call('connections.add', { ...(await baseInput()), name: 'lab' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    expect((await kit.value<Connection[]>('connections.list', {})).map((c) => c.name)).toEqual(['lab', 'lab-password']);

    // edit without re-entering secrets: they are kept (auth and SSH still log in)
    const renamed = await kit.value<Connection>('connections.update', { id: added.id, name: 'lab-renamed', auth: { kind: 'token', tokenId: emu().tokenId } });
    expect(renamed.name).toBe('lab-renamed');
    const report = await kit.value<ConnectionTestReport>('connections.test', { id: added.id });
    expect(report.steps.find((s) => s.step === 'auth')?.status).toBe('ok');
    expect(report.steps.find((s) => s.step === 'ssh')?.status).toBe('ok');
    // changing the auth kind needs the new secret
    expect(await kit.call('connections.update', { id: added.id, auth: { kind: 'password', user: 'root', realm: 'pam' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const pw = await kit.value<ConnectionTestReport>('connections.test', { id: byPassword.id });
    expect(pw.steps.find((s) => s.step === 'auth')).toMatchObject({ status: 'ok', message: expect.stringContaining('password') });

    expect(await kit.value('connections.remove', { id: byPassword.id })).toEqual({ removed: true });
    expect((await kit.value<Connection[]>('connections.list', {})).map((c) => c.name)).toEqual(['lab-renamed']);
    expect(await kit.call('connections.remove', { id: byPassword.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // the renderer heard every change as the full list
    const last = kit.received.filter((e) => e.event === 'connections.changed').at(-1)!.payload as Connection[];
    expect(last.map((c) => c.name)).toEqual(['lab-renamed']);
    const actions = kit.core.audit.list({ limit: 50 }).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['connection.create', 'connection.update', 'connection.delete']));
  });

  it('Test connection: every part ok against the lab, in order', async () => {
    const c = await addConnection('all-ok');
    const r = await kit.value<ConnectionTestReport>('connections.test', { id: c.id });
    expect(stepsOf(r)).toEqual([['tcp', 'ok'], ['tls', 'ok'], ['auth', 'ok'], ['privileges', 'ok'], ['ssh', 'ok'], ['pct', 'ok']]);
    expect(r.ok).toBe(true);
    expect(r.steps.find((s) => s.step === 'pct')?.message).toMatch(/pct is installed at \/\S*pct/);
    expect(r.steps.find((s) => s.step === 'privileges')?.message).toContain('/nodes/pve2');
  });

  it('Test connection names the privileges a limited token lacks', async () => {
    const { tokens } = seedAccess(emu().access, {
      userid: 'ops@pve',
      password: 'ops-password',
      acl: [{ path: '/vms', roles: ['PVEVMUser'] }],
      tokens: [{ tokenid: 'app', acl: [{ path: '/vms', roles: ['PVEVMUser'] }] }],
    });
    secrets.push(tokens[0].tokenSecret);
    const c = await addConnection('limited', { auth: { kind: 'token', tokenId: tokens[0].tokenId, secret: tokens[0].tokenSecret } });
    const r = await kit.value<ConnectionTestReport>('connections.test', { id: c.id });
    expect(stepsOf(r)).toEqual([['tcp', 'ok'], ['tls', 'ok'], ['auth', 'ok'], ['privileges', 'failed'], ['ssh', 'ok'], ['pct', 'ok']]);
    const priv = r.steps.find((s) => s.step === 'privileges')!;
    expect(priv.code).toBe('PVE_PERMISSION_DENIED');
    expect(priv.missing).toEqual(expect.arrayContaining(['VM.Allocate on /vms', 'VM.Config.Disk on /vms', 'Datastore.AllocateTemplate on /storage', 'Sys.Modify on /nodes/pve', 'Sys.Audit on /nodes/pve2']));
    // PVEVMUser has these: not named
    expect(priv.missing).not.toContain('VM.PowerMgmt on /vms');
    expect(priv.missing).not.toContain('VM.Audit on /vms');
    expect(priv.message).toContain('VM.Allocate on /vms');
    expect(r.ok).toBe(false);
  });

  it('Test connection to an unreachable host: TCP failed, the rest skipped', async () => {
    const port = await closedPort();
    const p = await probe();
    const c = await kit.value<Connection>('connections.add', {
      name: 'gone',
      host: '127.0.0.1',
      port,
      auth: { kind: 'token', tokenId: emu().tokenId, secret: emu().tokenSecret },
      tlsFingerprint: p.tls.fingerprint,
      ssh: { host: '127.0.0.1', port, auth: sshKey(), hostKeyFingerprint: p.ssh!.fingerprint },
    });
    const r = await kit.value<ConnectionTestReport>('connections.test', { id: c.id });
    expect(stepsOf(r)).toEqual([['tcp', 'failed'], ['tls', 'skipped'], ['auth', 'skipped'], ['privileges', 'skipped'], ['ssh', 'skipped'], ['pct', 'skipped']]);
    expect(r.steps[0]).toMatchObject({ code: 'PVE_UNREACHABLE', message: expect.stringContaining(`127.0.0.1:${port}`) });
    expect(r.steps[1].message).toMatch(/tcp/);
    // probing it fails with the same code
    expect(await kit.call('connections.probe', { host: '127.0.0.1', port })).toMatchObject({ ok: false, error: { code: 'PVE_UNREACHABLE' } });
  });
});

describe('IPv6', () => {
  it('a bare IPv6 host is stored bare and works (the client brackets it only in the URL); a bracketed one is refused', async () => {
    // the API reached over ::1 (a relay on the IPv6 loopback in front of the lab)
    const relay = net.createServer((client) => {
      const upstream = net.connect(emu().port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '::1', resolve));
    toClose.push(() => new Promise((r) => relay.close(() => r())));
    const port = (relay.address() as net.AddressInfo).port;
    const p = await kit.value<ConnectionProbeResult>('connections.probe', { host: '::1', port });
    expect(p.tls.fingerprint).toBe(emu().fingerprint);
    const base = await baseInput();
    const c = await kit.value<Connection>('connections.add', { ...base, name: 'ipv6', host: '::1', port });
    expect(c.host).toBe('::1');
    const r = await kit.value<ConnectionTestReport>('connections.test', { id: c.id });
    expect(stepsOf(r).slice(0, 4)).toEqual([['tcp', 'ok'], ['tls', 'ok'], ['auth', 'ok'], ['privileges', 'ok']]);
    expect(await kit.call('connections.add', { ...base, name: 'bracketed', host: '[::1]', port })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('pins: a changed certificate or host key is refused until the operator re-pins', () => {
  it('TLS: pinned on add, a new certificate on the same address refused with TLS_FINGERPRINT_MISMATCH, then re-pinned', async () => {
    // same token as the lab's, so the connection's saved token works on both emulators
    const first = await emulator({ tokenSecret: emu().tokenSecret });
    const c = await addConnection('tls-pin', { apiPort: first.port });
    const before = await kit.value<{ health: { status: string }; nodes: unknown[] }>('cluster.get', { connectionId: c.id });
    expect(before.health.status).toBe('ok');
    expect(before.nodes).toHaveLength(1);
    const port = first.port;
    await first.close();

    // the same host:port now presents another certificate (a reinstalled node, or someone in between)
    const second = await emulator({ port, freshCertificate: true, tokenSecret: first.tokenSecret });
    expect(second.fingerprint).not.toBe(first.fingerprint);
    const e = await listNodes(kit.core.proxmox.client(c.id)).then(() => undefined, (x: unknown) => x as ProximityError);
    expect(e?.code).toBe('TLS_FINGERPRINT_MISMATCH');
    expect(second.requests.filter((r) => r.source === 'http')).toHaveLength(0);
    const refused = await kit.value<{ health: { status: string; error: { code: string } | null } }>('cluster.get', { connectionId: c.id });
    expect(refused.health).toMatchObject({ status: 'unreachable', error: { code: 'TLS_FINGERPRINT_MISMATCH' } });
    const test = await kit.value<ConnectionTestReport>('connections.test', { id: c.id });
    expect(test.steps.slice(0, 4).map((s) => [s.step, s.status])).toEqual([['tcp', 'ok'], ['tls', 'failed'], ['auth', 'skipped'], ['privileges', 'skipped']]);
    expect(test.steps[1]).toMatchObject({ code: 'TLS_FINGERPRINT_MISMATCH', message: expect.stringContaining(second.fingerprint) });

    // the operator compares and re-pins: audited with the new fingerprint
    const p = await probe(port);
    expect(p.tls.fingerprint).toBe(second.fingerprint);
    const repinned = await kit.value<Connection>('connections.repin', { id: c.id, kind: 'tls', fingerprint: p.tls.fingerprint.toLowerCase() });
    expect(repinned.tlsFingerprint).toBe(second.fingerprint);
    expect((await kit.value<{ health: { status: string } }>('cluster.get', { connectionId: c.id })).health.status).toBe('ok');
    expect(kit.core.audit.list({ limit: 100 }).find((a) => a.action === 'connection.tls.pin' && a.target === c.id)?.details).toEqual({ fingerprint: second.fingerprint, previous: first.fingerprint });
  });

  it('SSH: a changed host key is refused with SSH_HOST_KEY_MISMATCH (node pool and Test connection), then re-pinned', async () => {
    const relay = await relayTo(lab.ssh.port);
    const c = await addConnection('ssh-pin', { sshPort: relay.port });
    const node = await kit.core.proxmox.ssh(c.id, 'pve');
    expect((await node.exec(['echo', 'hello'])).stdout).toBe('hello\n');
    expect((await kit.core.hostKeys.get(`${c.id}/pve`))?.fingerprint).toBe(lab.ssh.hostKeyFingerprint);

    // the node's address now leads to an sshd with another host key
    const other: NodeSsh = await lab.extraSshd('other');
    relay.retarget(other.port);
    relay.dropAll();
    const e = await node.exec(['true']).then(() => undefined, (x: unknown) => x as ProximityError);
    expect(e?.code).toBe('SSH_HOST_KEY_MISMATCH');
    expect(e?.message).toContain(other.hostKeyFingerprint);
    const test = await kit.value<ConnectionTestReport>('connections.test', { id: c.id });
    expect(test.steps.slice(4).map((s) => [s.step, s.status])).toEqual([['ssh', 'failed'], ['pct', 'skipped']]);
    expect(test.steps[4].code).toBe('SSH_HOST_KEY_MISMATCH');

    // probe shows the new key; the operator re-pins it; the next login pins it for the node
    const p = await probe(emu().port, relay.port);
    expect(p.ssh?.fingerprint).toBe(other.hostKeyFingerprint);
    const repinned = await kit.value<Connection>('connections.repin', { id: c.id, kind: 'ssh', fingerprint: p.ssh!.fingerprint });
    expect(repinned.ssh?.hostKeyFingerprint).toBe(other.hostKeyFingerprint);
    const again = await kit.core.proxmox.ssh(c.id, 'pve');
    expect((await again.exec(['echo', 'again'])).stdout).toBe('again\n');
    expect((await kit.core.hostKeys.get(`${c.id}/pve`))?.fingerprint).toBe(other.hostKeyFingerprint);
    expect(kit.core.audit.list({ limit: 100 }).some((a) => a.action === 'connection.ssh.pin' && a.target === c.id)).toBe(true);
  });
});

describe('no secret leaves main', () => {
  it('no output, event or audit entry contains a secret', async () => {
    // every connections channel (and cluster.get) answered successfully at least once above, and all were kept
    const answered = new Set(kit.results.filter((r) => r.result.ok).map((r) => r.channel));
    for (const ch of CHANNEL_NAMES.filter((n) => n.startsWith('connections.') || n === 'cluster.get')) expect(answered, ch).toContain(ch);
    const everything = JSON.stringify({ results: kit.results, events: kit.received, audit: kit.core.audit.list({ limit: 500 }) });
    expect(kit.results.length).toBeGreaterThan(20);
    for (const s of secrets) expect(everything.includes(s), 'a secret reached the renderer or the audit log').toBe(false);
  });
});

async function baseInput() {
  const p = await probe();
  return {
    host: '127.0.0.1',
    port: emu().port,
    auth: { kind: 'token', tokenId: emu().tokenId, secret: emu().tokenSecret },
    tlsFingerprint: p.tls.fingerprint,
    ssh: { host: '127.0.0.1', port: lab.ssh.port, auth: sshKey(), hostKeyFingerprint: p.ssh!.fingerprint },
  };
}

async function emulator(opts: Partial<Parameters<typeof createEmulator>[0]> = {}): Promise<Emulator> {
  const e = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0, ...opts });
  toClose.push(() => e.close());
  extraEmulators.push(e);
  return e;
}

async function relayTo(port: number): Promise<TcpRelay> {
  const r = await startTcpRelay(port);
  toClose.push(() => r.close());
  return r;
}

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

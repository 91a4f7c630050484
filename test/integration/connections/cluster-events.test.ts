// ACCEPTANCE (issue 8 item 5 wiring): a connection's live cluster state reaches a subscribed renderer sink through
// the EventHub (`cluster.changed`, one snapshot per connection), polls only while a window is visible
// (`system.setVisible`), and an offline node (lab fault nodeOffline) is reported offline in `cluster.get`.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateRecordedRequest } from '../../lab/pve/schema';
import type { ClusterSnapshot, Connection, ConnectionProbeResult } from '../../../src-shared/contract/connection-schemas';
import { startLab, type Lab } from '../../lab/lab';
import { openIpcKit, type IpcKit } from './connection-kit';

let lab: Lab;
let kit: IpcKit;
let connection: Connection;

beforeAll(async () => {
  lab = await startLab({ taskSeconds: 0, nodes: ['pve', 'pve2'] });
  kit = openIpcKit(['cluster.changed'], { busyIntervalMs: 100, idleIntervalMs: 200, requestTimeoutMs: 5000 });
  const { api, ssh } = lab.info;
  const port = Number(new URL(api.url).port);
  const probe = await kit.value<ConnectionProbeResult>('connections.probe', { host: '127.0.0.1', port, ssh: { host: ssh!.host, port: ssh!.port } });
  connection = await kit.value<Connection>('connections.add', {
    name: 'lab',
    host: '127.0.0.1',
    port,
    auth: { kind: 'token', tokenId: api.tokenId, secret: api.tokenSecret },
    tlsFingerprint: probe.tls.fingerprint,
    ssh: { host: ssh!.host, port: ssh!.port, user: ssh!.user, auth: { kind: 'key', privateKey: fs.readFileSync(ssh!.privateKeyPath, 'utf8') }, hostKeyFingerprint: probe.ssh!.fingerprint },
  });
}, 60_000);

// Every HTTP request Proximity sent must be one PVE accepts (the schema is the contract, not the lab's routes).
const checked = new Map<object, number>();
afterEach(() => {
  for (const e of [lab.emulator]) {
    const fresh = e.requests.slice(checked.get(e) ?? 0).filter((r) => r.source === 'http');
    checked.set(e, e.requests.length);
    const invalid = fresh.map((r) => ({ r: `${r.method} ${r.path}`, problems: validateRecordedRequest(e.schema, r) })).filter((x) => x.problems.length > 0);
    expect(invalid).toEqual([]);
  }
});

afterAll(async () => {
  kit?.close();
  await lab?.close();
});

const mine = (p: unknown) => (p as ClusterSnapshot).connectionId === connection.id;
const node = (s: ClusterSnapshot, name: string) => s.nodes.find((n) => n.node === name);

describe('live cluster state over IPC', () => {
  it('reads once on cluster.get while hidden, and does not poll', async () => {
    const snap = await kit.value<ClusterSnapshot>('cluster.get', { connectionId: connection.id });
    expect(snap.health).toEqual({ status: 'ok', error: null });
    expect(snap.nodes.map((n) => [n.node, n.status])).toEqual([['pve', 'online'], ['pve2', 'online']]);
    const pve = node(snap, 'pve')!;
    expect(pve.maxcpu).toBeGreaterThan(0);
    expect(pve.freeMemBytes).toBeGreaterThan(0);
    expect(pve.storages.some((s) => s.content.includes('rootdir') && s.freeBytes > 0)).toBe(true);
    expect(snap.updatedAt).not.toBeNull();
    // no window visible: paused
    expect(kit.core.proxmox.clusterState(connection.id).nextTickInMs()).toBeUndefined();
  });

  it('publishes to a subscribed renderer while visible; an offline node is shown offline; hidden pauses again', async () => {
    expect(await kit.value('system.setVisible', { visible: true })).toEqual({ visible: true });
    expect(kit.core.proxmox.clusterState(connection.id).nextTickInMs()).toBeDefined();
    const first = (await kit.waitForEvent('cluster.changed', (p) => mine(p) && (p as ClusterSnapshot).nodes.length === 2, { includePast: true })) as ClusterSnapshot;
    expect(first.health.status).toBe('ok');

    // nobody asks: only the ticking state can notice this and publish it
    lab.emulator.faults.apply({ kind: 'nodeOffline', node: 'pve2', on: true });
    const offline = (await kit.waitForEvent('cluster.changed', (p) => mine(p) && node(p as ClusterSnapshot, 'pve2')?.status === 'offline')) as ClusterSnapshot;
    expect(node(offline, 'pve')?.status).toBe('online');
    expect(offline.health.status).toBe('ok'); // an offline node is data, not a failure of the connection
    const got = await kit.value<ClusterSnapshot>('cluster.get', { connectionId: connection.id });
    expect(got.nodes.map((n) => [n.node, n.status])).toEqual([['pve', 'online'], ['pve2', 'offline']]);
    // placement figures are for online nodes only
    expect(node(got, 'pve2')?.freeMemBytes).toBe(0);

    lab.emulator.faults.apply({ kind: 'nodeOffline', node: 'pve2', on: false });
    await kit.waitForEvent('cluster.changed', (p) => mine(p) && node(p as ClusterSnapshot, 'pve2')?.status === 'online');

    expect(await kit.value('system.setVisible', { visible: false })).toEqual({ visible: false });
    expect(kit.core.proxmox.clusterState(connection.id).nextTickInMs()).toBeUndefined();
  });

  it('a late subscriber gets the latest snapshot of each connection replayed', async () => {
    const got: unknown[] = [];
    kit.ipc.hub.subscribe({ id: 'late-window', send: (_e, p) => got.push(p) }, 'cluster.changed');
    expect(got.filter(mine)).toHaveLength(1);
    expect((got.find(mine) as ClusterSnapshot).nodes.map((n) => n.status)).toEqual(['online', 'online']);
  });
});

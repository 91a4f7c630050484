// ACCEPTANCE (issue 8, item 5): ClusterState reads the whole cluster with ONE GET /cluster/resources per tick,
// publishes only what changed, ticks faster while busy and not at all while inactive, shows an offline node as
// offline (corosync `offline`, or 595 from pveproxy) without failing, and lists free capacity for placement.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterState, type ClusterStateChange } from '../../../src-main/core/pve/cluster-state';
import { PveClient } from '../../../src-main/core/pve/pve-client';
import { createBackend } from '../../lab/backends';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';
import { validateRecordedRequest } from '../../lab/pve/schema';

const ALPINE = 'alpine-3.22-default_20250617_amd64.tar.xz';
let emu: Emulator;
let client: PveClient;
let changes: ClusterStateChange[];
let cs: ClusterState;
let seen = 0;

beforeAll(async () => {
  emu = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0, nodes: 2 });
  // a frozen lab clock: load numbers only move when the test changes something
  const t = Date.now();
  emu.state!.now = () => t;
  const api = (m: string, p: string, params: Record<string, unknown> = {}) => emu.callApi(m, p, params);
  await emu.waitTask(await api('POST', '/nodes/pve1/aplinfo', { storage: 'local', template: ALPINE }));
  await emu.waitTask(await api('POST', '/nodes/pve2/aplinfo', { storage: 'local', template: ALPINE }));
  for (const [vmid, node] of [[100, 'pve1'], [101, 'pve1'], [102, 'pve2']] as const) {
    await emu.waitTask(await api('POST', `/nodes/${node}/lxc`, { vmid, ostemplate: `local:vztmpl/${ALPINE}`, rootfs: 'local-lvm:1', hostname: `ct${vmid}`, memory: 512 }));
  }
  client = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret } });
  changes = [];
  cs = new ClusterState({ client, publish: (c) => changes.push(c), busyIntervalMs: 50, idleIntervalMs: 60_000 });
  seen = emu.requests.length;
});

afterEach(() => {
  const http = emu.requests.slice(seen).filter((r) => r.source === 'http');
  seen = emu.requests.length;
  expect(http.filter((r) => validateRecordedRequest(emu.schema, r).length > 0)).toEqual([]);
});

afterAll(async () => {
  cs?.stop();
  await client?.close();
  await emu?.close();
});

/** HTTP requests since `from` as "METHOD path". */
const sentSince = (from: number) => emu.requests.slice(from).filter((r) => r.source === 'http').map((r) => `${r.method} ${r.path}`);
/** Waits (deadline 5 s) until ClusterState has ticked `n` times by itself. */
async function ticked(n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (cs.ticks < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(cs.ticks).toBeGreaterThanOrEqual(n);
}
const deltas = () => changes.filter((c): c is Extract<ClusterStateChange, { kind: 'delta' }> => c.kind === 'delta');

describe('ClusterState', () => {
  it('one request per tick fills nodes, guests and storage; an unchanged cluster publishes nothing', async () => {
    const from = emu.requests.length;
    await cs.refresh();
    expect(sentSince(from)).toEqual(['GET /api2/json/cluster/resources']);
    const [first] = deltas();
    expect(first.delta.nodes.upserted.map((n) => [n.node, n.status])).toEqual([['pve1', 'online'], ['pve2', 'online']]);
    expect(first.delta.guests.upserted.map((g) => [g.vmid, g.node, g.name, g.status])).toEqual([
      [100, 'pve1', 'ct100', 'stopped'], [101, 'pve1', 'ct101', 'stopped'], [102, 'pve2', 'ct102', 'stopped'],
    ]);
    expect(first.delta.storage.upserted.map((s) => s.key).sort()).toEqual(['pve1/local', 'pve1/local-lvm', 'pve2/local', 'pve2/local-lvm']);

    await cs.refresh();
    expect(deltas()).toHaveLength(1);
    expect(cs.ticks).toBe(2);
  });

  it('publishes only the guest that changed, and removals', async () => {
    await emu.waitTask(await emu.callApi('POST', '/nodes/pve1/lxc/101/status/start', {}));
    await emu.waitTask(await emu.callApi('DELETE', '/nodes/pve2/lxc/102', {}));
    const from = emu.requests.length;
    await cs.refresh();
    expect(sentSince(from)).toHaveLength(1);
    const d = deltas().at(-1)!.delta;
    expect(d.guests.upserted.map((g) => [g.vmid, g.status])).toEqual([[101, 'running']]);
    expect(d.guests.removed).toEqual([102]);
    expect(d.storage.removed).toEqual([]);
    expect(cs.guest(101)).toMatchObject({ status: 'running', maxmem: 512 * 2 ** 20 });
    expect(cs.guest(102)).toBeUndefined();
  });

  it('lists free CPU, memory and storage per online node for placement', () => {
    const p = cs.placement();
    expect(p.map((x) => x.node).sort()).toEqual(['pve1', 'pve2']);
    const pve1 = p.find((x) => x.node === 'pve1')!;
    const n1 = cs.nodes().find((n) => n.node === 'pve1')!;
    expect(pve1.freeMem).toBe(n1.maxmem - n1.mem);
    expect(pve1.freeCpu).toBeCloseTo(n1.maxcpu * (1 - n1.cpu));
    const lvm = pve1.storages.find((s) => s.storage === 'local-lvm')!;
    expect(lvm.content).toContain('rootdir');
    expect(lvm.free).toBeLessThan(lvm.total);
  });

  it('an offline node shows as offline (its guests unknown) and drops out of placement', async () => {
    await emu.waitTask(await emu.callApi('POST', '/nodes/pve2/lxc', { vmid: 104, ostemplate: `local:vztmpl/${ALPINE}`, rootfs: 'local-lvm:1' }));
    await emu.waitTask(await emu.callApi('POST', '/nodes/pve2/lxc/104/status/start', {}));
    await cs.refresh();
    emu.faults.nodeOffline('pve2', true);
    try {
      await cs.refresh();
      const d = deltas().at(-1)!.delta;
      expect(d.nodes.upserted).toEqual([expect.objectContaining({ node: 'pve2', status: 'offline' })]);
      expect(d.guests.upserted).toEqual([expect.objectContaining({ vmid: 104, node: 'pve2', status: 'unknown' })]);
      expect(cs.storage().filter((s) => s.node === 'pve2').map((s) => s.status)).toEqual(['unknown', 'unknown']);
      expect(cs.placement().map((x) => x.node)).toEqual(['pve1']);
    } finally {
      emu.faults.nodeOffline('pve2', false);
    }
  });

  it('a failed tick (595 from pveproxy) becomes a health change, never a throw, and recovers', async () => {
    emu.faults.httpError(595, 'No route to host', { pathPattern: '^GET /cluster/resources$', count: 1 });
    const before = cs.guests().length;
    await cs.refresh();
    expect(changes.at(-1)).toMatchObject({ kind: 'health', health: { status: 'unreachable', error: { code: 'PVE_NODE_OFFLINE' } } });
    expect(cs.guests()).toHaveLength(before);
    await cs.refresh();
    expect(changes.filter((c) => c.kind === 'health').at(-1)).toMatchObject({ kind: 'health', health: { status: 'ok' } });
  });

  it('ticks only while active, faster while busy', async () => {
    cs.start();
    expect(cs.nextTickInMs()).toBeUndefined();
    cs.setActive(true);
    expect(cs.nextTickInMs()).toBe(0);
    const ticks = cs.ticks;
    await cs.refresh();
    expect(cs.nextTickInMs()).toBeGreaterThan(50_000);
    const release = cs.beginBusy();
    expect(cs.nextTickInMs()).toBeLessThanOrEqual(50);
    // the busy tick happens by itself
    await ticked(ticks + 2);
    release();
    // the fast tick already due runs, then the idle interval applies
    await ticked(cs.ticks + 1);
    expect(cs.nextTickInMs()).toBeGreaterThan(50_000);
    cs.setActive(false);
    expect(cs.nextTickInMs()).toBeUndefined();
  });

  it('a beginBusy release after setBusy(false) does not leave the next operation ticking at the idle pace', () => {
    const other = new ClusterState({ client, publish: () => {}, busyIntervalMs: 50, idleIntervalMs: 60_000 });
    const release = other.beginBusy();
    other.setBusy(false);
    release();
    other.beginBusy();
    expect(other.interval).toBe(50);
  });
});

// Acceptance: a deployment process killed at each step (a child process) is recovered at the next start with
// nothing left half-made; two desktops (two stores) on one cluster never assign the same port; reconciliation
// marks vanished containers missing, re-adopts Proximity containers, and adopts a foreign one on request.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptContainer, reconcile } from '../../../../src-main/core/deploy/reconciler';
import { deployCoreOf } from '../../../../src-main/core/deploy/deploy-types';
import { ALPINE_VOLID, canRunNetns, startE2eLab, type E2eLab } from '../lab-fixture';
import { CATALOG_DIR, CONNECTION_ID, labVmids, startDeployRig } from './deploy-fixture';

const CHILD = path.join(__dirname, 'deploy-child.ts');

function runChild(e: E2eLab, dataDir: string, killAt: string, hostname: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; out: string }> {
  const url = new URL(e.lab.emulator.url);
  const cfg = {
    dataDir,
    catalogDir: CATALOG_DIR,
    api: { host: url.hostname, port: Number(url.port), fingerprint: e.lab.emulator.fingerprint, tokenId: e.lab.emulator.tokenId, tokenSecret: e.lab.emulator.tokenSecret },
    ssh: { host: e.ssh.host, port: e.ssh.port, user: e.ssh.user, privateKeyPath: e.ssh.privateKeyPath, hostKeyFingerprint: e.ssh.hostKeyFingerprint },
    node: e.node,
    killAt,
    hostname,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

describe.skipIf(!canRunNetns)('deployment recovery, two desktops and reconciliation on the lab', () => {
  let e: E2eLab;
  beforeAll(async () => {
    e = await startE2eLab();
    expect((await e.sh('pveam download local alpine-3.22-default_20250617_amd64.tar.xz', { timeoutMs: 30_000 })).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await e?.close();
  });

  for (const killAt of ['ports', 'template', 'create', 'create:task', 'start', 'register', 'runtime', 'publish', 'record']) {
    it(`a process killed at "${killAt}" is rolled back at the next start`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-crash-'));
      try {
        const before = await labVmids(e);
        const child = await runChild(e, dataDir, killAt, `crash-${killAt.replace(':', '-')}`);
        expect(child.signal, child.out).toBe('SIGKILL');
        const rig = await startDeployRig(e, { dataDir });
        try {
          expect(rig.engine.journal.unfinished()).toHaveLength(1);
          const ops = rig.engine.recover();
          expect(ops).toHaveLength(1);
          const op = await rig.core.operations.settled(ops[0]!);
          expect(op.state, JSON.stringify(op.error) + op.log.map((l) => l.text).join('\n')).toBe('succeeded');
          expect(await labVmids(e)).toEqual(before);
          expect(rig.core.apps.list()).toEqual([]);
          expect(rig.core.ports.list()).toEqual([]);
          expect(rig.engine.journal.unfinished()).toEqual([]);
          // the crashed run's own operation is recorded as interrupted
          expect(rig.core.operations.list().find((o) => o.kind === 'deploy')?.state).toBe('interrupted');
        } finally {
          await rig.close();
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }, 120_000);
  }

  it('two desktops on one cluster never assign the same port; reconciliation re-adopts and marks missing', async () => {
    const a = await startDeployRig(e);
    const b = await startDeployRig(e);
    try {
      const first = a.engine.deploy({ connectionId: CONNECTION_ID, catalogId: 'homer', hostname: 'desk-a' });
      expect((await a.core.operations.settled(first.operationId)).state).toBe('succeeded');
      const second = b.engine.deploy({ connectionId: CONNECTION_ID, catalogId: 'it-tools', hostname: 'desk-b' });
      const op = await b.core.operations.settled(second.operationId);
      expect(op.state, JSON.stringify(op.error)).toBe('succeeded');
      const pa = a.core.ports.get(first.appId)!;
      const pb = b.core.ports.get(second.appId)!;
      expect([pb.publicPort, pb.internalPort]).not.toContain(pa.publicPort);
      expect([pb.publicPort, pb.internalPort]).not.toContain(pa.internalPort);
      // B learned A's app (with its ports) from the cluster's tags
      expect(b.core.ports.get(first.appId)).toMatchObject({ publicPort: pa.publicPort, internalPort: pa.internalPort });

      // A reconciles: B's app is re-adopted; then A's container vanishes behind its back and is marked missing
      const ra = await reconcile(deployCoreOf(a.core), a.conn);
      expect(ra.adopted.map((x) => x.appId)).toEqual([second.appId]);
      await e.task('DELETE', `/nodes/${e.node}/lxc/${a.core.apps.require(first.appId).vmid}`, { force: 1 });
      const again = await reconcile(deployCoreOf(a.core), a.conn);
      expect(again.missing).toEqual([first.appId]);
      expect(a.core.apps.require(first.appId).status).toBe('missing');

      // a container Proximity did not make is offered, and adopted on request with ports, tags and description
      await e.task('POST', `/nodes/${e.node}/lxc`, { vmid: '777', ostemplate: ALPINE_VOLID, hostname: 'legacy', net0: 'name=eth0,bridge=vmbr0,ip=dhcp', unprivileged: '1', rootfs: 'local-lvm:1', tags: 'mine' });
      const offered = await reconcile(deployCoreOf(a.core), a.conn);
      expect(offered.adoptable).toEqual([{ node: e.node, vmid: 777, name: 'legacy', status: 'stopped' }]);
      const adopted = await adoptContainer(deployCoreOf(a.core), a.conn, { node: e.node, vmid: 777, hostname: 'legacy', containerPort: 80 });
      expect(a.core.ports.get(adopted.id)).toBeDefined();
      const cfg = await e.api('GET', `/nodes/${e.node}/lxc/777/config`);
      expect(cfg.tags.split(';')).toEqual(expect.arrayContaining(['mine', 'proximity', `px-id-${adopted.id}`]));
      expect((await reconcile(deployCoreOf(a.core), a.conn)).adoptable).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 180_000);
});

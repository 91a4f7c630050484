// Acceptance: a fault at each step (a failed PVE task, an exhausted port range, a held guest lock, a dropped
// SSH connection, a health check that never passes, a cancel) ends with nothing left behind (no container, no
// app, no port row), the journal rolled back, and an error that names the step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../../../src-shared/contract/schemas';
import type { Manifest } from '../../../../src-main/core/catalog/manifest-schema';
import { startTcpRelay, type TcpRelay } from '../../../integration/ssh/ssh-test-kit';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { canRunNetns, startE2eLab, until, type E2eLab } from '../lab-fixture';

/** True when a process whose command line matches `pattern` runs on this host (the lab node's processes do). */
async function runsOnHost(pattern: string): Promise<boolean> {
  try {
    await promisify(execFile)('pgrep', ['-f', pattern]);
    return true;
  } catch {
    return false;
  }
}
import { builtInCatalog, CONNECTION_ID, labVmids, startDeployRig, type DeployRig } from './deploy-fixture';

describe.skipIf(!canRunNetns)('deployment faults on the lab: rollback leaves nothing behind', () => {
  let e: E2eLab;
  let rig: DeployRig;
  let relay: TcpRelay;
  let n = 0;
  beforeAll(async () => {
    e = await startE2eLab({ lockTimeoutMs: 300 });
    relay = await startTcpRelay(e.ssh.port);
    const catalog = new Map(await builtInCatalog());
    const homer = catalog.get('homer')!;
    catalog.set('never-healthy', { ...homer, id: 'never-healthy', health: { path: '/never-healthy' } } satisfies Manifest);
    rig = await startDeployRig(e, { catalog, sshPort: relay.port, engine: { healthTimeoutMs: 2500 } });
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await relay?.close();
    await e?.close();
  });

  /** Deploys, lets `during` act on the operation's updates, and returns the final operation. */
  async function deploy(catalogId: string, during?: (op: Operation, ids: { appId: string; deploymentId: string; operationId: string }) => void): Promise<{ op: Operation; deploymentId: string }> {
    let ids: { appId: string; deploymentId: string; operationId: string } | undefined;
    const off = rig.core.events.on('operations.changed', (op) => {
      if (ids && op.id === ids.operationId) during?.(op, ids);
    });
    try {
      ids = rig.engine.deploy({ connectionId: CONNECTION_ID, catalogId, hostname: `app-${++n}` });
      return { op: await rig.core.operations.settled(ids.operationId), deploymentId: ids.deploymentId };
    } finally {
      off();
    }
  }

  async function expectNothingLeft(r: { op: Operation; deploymentId: string }, step: string, code: string, before: number[]): Promise<void> {
    expect(r.op.state).toBe('failed');
    expect(r.op.error).toMatchObject({ code, step });
    expect(r.op.error!.message).toContain(`"${step}"`);
    expect(r.op.error!.message).toContain('rolled back');
    expect(await labVmids(e)).toEqual(before);
    expect(rig.core.apps.list()).toEqual([]);
    expect(rig.core.ports.list()).toEqual([]);
    expect(rig.engine.journal.get(r.deploymentId)!.status).toBe('rolled-back');
  }

  it('template: a failed download task', async () => {
    e.lab.emulator.faults.apply({ kind: 'failNextTask', type: 'download', message: 'download failed: got interrupted by signal' });
    const before = await labVmids(e);
    await expectNothingLeft(await deploy('homer'), 'template', 'PVE_TASK_FAILED', before);
  }, 60_000);

  it('ports: the public range is exhausted', async () => {
    const ranges = rig.core.settings.getPortRanges();
    rig.core.settings.setPortRanges({ public: { start: 30000, end: 30000 }, internal: ranges.internal });
    rig.core.apps.insert({ id: '00000000-0000-4000-8000-000000000001', catalogId: 'homer', name: 'holder', hostname: 'holder' });
    rig.core.ports.allocate('00000000-0000-4000-8000-000000000001');
    try {
      const r = await deploy('homer');
      expect(r.op.error).toMatchObject({ code: 'PORT_RANGE_EXHAUSTED', step: 'ports' });
      expect(rig.core.apps.list().map((a) => a.hostname)).toEqual(['holder']);
    } finally {
      rig.core.ports.release('00000000-0000-4000-8000-000000000001');
      rig.core.apps.delete('00000000-0000-4000-8000-000000000001');
      rig.core.settings.setPortRanges(ranges);
    }
  }, 60_000);

  it('create: a failed vzcreate task', async () => {
    e.lab.emulator.faults.apply({ kind: 'failNextTask', type: 'vzcreate', message: 'unable to create CT - no space left' });
    const before = await labVmids(e);
    await expectNothingLeft(await deploy('homer'), 'create', 'PVE_TASK_FAILED', before);
  }, 60_000);

  it('start: a failed vzstart task', async () => {
    const before = await labVmids(e);
    e.lab.emulator.faults.apply({ kind: 'failNextTask', type: 'vzstart', message: "startup for container '100' failed" });
    await expectNothingLeft(await deploy('homer'), 'start', 'PVE_TASK_FAILED', before);
  }, 60_000);

  it('start: the guest lock is held by another operation', async () => {
    const before = await labVmids(e);
    let held: number | undefined;
    const r = await deploy('homer', (op, ids) => {
      const vmid = rig.engine.journal.get(ids.deploymentId)?.steps.find((s) => s.step === 'create')?.detail.vmid as number | undefined;
      if (op.step === 'start' && vmid !== undefined && held === undefined) {
        held = vmid;
        e.lab.emulator.faults.apply({ kind: 'holdGuestLock', vmid });
      }
      if (op.step === 'rollback' && held !== undefined) e.lab.emulator.faults.apply({ kind: 'releaseGuestLock', vmid: held });
    });
    expect(held).toBeDefined();
    await expectNothingLeft(r, 'start', 'PVE_LOCKED', before);
  }, 90_000);

  it('runtime: the SSH connection drops while apk runs', async () => {
    const before = await labVmids(e);
    let dropping: Promise<void> | undefined;
    const r = await deploy('homer', (op) => {
      if (!dropping && op.log.some((l) => l.text.startsWith('$ apk add'))) {
        // drop once apk really runs on the node (a command whose channel never opened is retried, rightly)
        dropping = until('apk running on the node', async () => (await runsOnHost('pct exec [0-9]+ -- apk add docker')) || undefined, 10_000).then(() => relay.dropAll());
      }
    });
    await dropping;
    await expectNothingLeft(r, 'runtime', 'SSH_FAILED', before);
  }, 60_000);

  it('publish: the health check never passes', async () => {
    const before = await labVmids(e);
    const r = await deploy('never-healthy');
    await expectNothingLeft(r, 'publish', 'HEALTH_CHECK_FAILED', before);
    expect(r.op.error!.message).toContain('HTTP 404');
  }, 60_000);

  it('cancel while the runtime installs: cancelled, then rolled back', async () => {
    const before = await labVmids(e);
    let cancelled = false;
    const r = await deploy('homer', (op) => {
      if (!cancelled && op.log.some((l) => l.text.startsWith('$ apk add'))) {
        cancelled = true;
        rig.core.operations.cancel(op.id);
      }
    });
    expect(r.op.state).toBe('cancelled');
    expect(await labVmids(e)).toEqual(before);
    expect(rig.core.apps.list()).toEqual([]);
    expect(rig.core.ports.list()).toEqual([]);
    expect(rig.engine.journal.get(r.deploymentId)!.status).toBe('rolled-back');
  }, 60_000);

  it('after all of that, a deployment still succeeds', async () => {
    const r = await deploy('homer');
    expect(r.op.state, JSON.stringify(r.op.error)).toBe('succeeded');
  }, 60_000);
});

// Acceptance: three catalog apps deployed at once on the lab (netns backend, fallback mode: vmbr0 with DHCP from
// the lab's upstream) all end reachable, with distinct ports and VMIDs; deleting one frees its ports for the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunNetns, startE2eLab, type E2eLab } from '../lab-fixture';
import { AppLifecycle } from '../../../../src-main/core/apps/app-lifecycle';
import { AppsService } from '../../../../src-main/core/apps/apps-service';
import { createHandlers } from '../../../../src-main/ipc/handlers';
import { deployCoreOf } from '../../../../src-main/core/deploy/deploy-types';
import { CONNECTION_ID, labVmids, startDeployRig, type DeployRig } from './deploy-fixture';

describe.skipIf(!canRunNetns)('deployment engine on the lab (fallback mode)', () => {
  let e: E2eLab;
  let rig: DeployRig;
  let lifecycle: AppLifecycle;
  let started: { appId: string; operationId: string; deploymentId: string }[] = [];
  beforeAll(async () => {
    e = await startE2eLab();
    rig = await startDeployRig(e);
    lifecycle = new AppLifecycle(deployCoreOf(rig.core), rig.engine, () => rig.conn);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await e?.close();
  });

  it('deploys three apps at once: all reachable, distinct ports and VMIDs, every step journaled', async () => {
    const apps = ['heimdall', 'homer', 'it-tools'];
    let maxSlots = 0;
    const watch = setInterval(() => (maxSlots = Math.max(maxSlots, rig.engine.slots.inUse(e.node))), 2);
    started = apps.map((catalogId) => rig.engine.deploy({ connectionId: CONNECTION_ID, catalogId, hostname: `${catalogId}-1` }));
    const ops = await Promise.all(started.map((s) => rig.core.operations.settled(s.operationId)));
    clearInterval(watch);
    // creates overlapped, but never more than the node's cap (setting deploy.maxCreatesPerNode, default 2)
    expect(maxSlots).toBe(2);
    for (const op of ops) expect(op.state, JSON.stringify(op.error) + op.log.map((l) => l.text).join('\n')).toBe('succeeded');

    const records = started.map((s) => rig.core.apps.require(s.appId));
    expect(records.map((r) => r.status)).toEqual(['running', 'running', 'running']);
    const vmids = records.map((r) => r.vmid);
    expect(new Set(vmids).size).toBe(3);
    expect(await labVmids(e)).toEqual([...(vmids as number[])].sort((a, b) => a - b));
    const ports = started.map((s) => rig.core.ports.get(s.appId)!);
    expect(new Set(ports.flatMap((p) => [p.publicPort, p.internalPort])).size).toBe(6);

    for (const [i, r] of records.entries()) {
      const spec = r.spec as { urls: { direct: string; mode: string } };
      expect(spec.urls.mode).toBe('fallback');
      const res = await fetch(spec.urls.direct, { signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Lab stand-in for a Docker container');
      // tags and description on the container say what it is
      const cfg = await e.api('GET', `/nodes/${e.node}/lxc/${r.vmid}/config`);
      expect(cfg.tags).toContain(`px-id-${r.id}`);
      expect(cfg.features).toBe('keyctl=1,nesting=1');
      expect(cfg.unprivileged).toBe(1);
      expect(String(cfg.description)).toContain(`"hostname":"${apps[i]}-1"`);
    }
    const journal = rig.engine.journal.get(started[0]!.deploymentId)!;
    expect(journal.status).toBe('succeeded');
    expect(journal.steps.map((s) => [s.step, s.status])).toEqual(
      ['ports', 'template', 'create', 'start', 'register', 'runtime', 'publish', 'record'].map((s) => [s, 'done']),
    );
    // progress: task-log lines and command output reached the operation log
    const log = ops[0]!.log.map((l) => l.text).join('\n');
    expect(log).toMatch(/\$ apk add docker docker-cli-compose/);
    expect(log).toMatch(/Installing docker/);
  }, 240_000);

  it('stops, starts and restarts an app; the status view combines PVE, runtime and health', async () => {
    const appId = started[1]!.appId;
    const view = await lifecycle.status(appId);
    expect(view).toMatchObject({ status: 'running', pve: { status: 'running' }, runtime: { status: 'running' }, health: { healthy: true } });

    const stop = await rig.core.operations.settled(lifecycle.act(appId, 'stop').operationId);
    expect(stop.state, JSON.stringify(stop.error)).toBe('succeeded');
    expect(await lifecycle.status(appId)).toMatchObject({ status: 'stopped', pve: { status: 'stopped' }, runtime: null, health: null });
    const start = await rig.core.operations.settled(lifecycle.act(appId, 'start').operationId);
    expect(start.state, JSON.stringify(start.error)).toBe('succeeded');
    const restart = await rig.core.operations.settled(lifecycle.act(appId, 'restart').operationId);
    expect(restart.state, JSON.stringify(restart.error)).toBe('succeeded');
    expect((await lifecycle.status(appId)).pve?.status).toBe('running');
    const audit = rig.core.audit.list({ limit: 20 }).filter((a) => a.target === appId).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['apps.stop', 'apps.start', 'apps.restart', 'apps.deploy']));
  }, 120_000);

  it('asks before deleting data; deleting removes container and ports, and the next deployment gets those ports', async () => {
    const victim = started[0]!.appId;
    const before = rig.core.apps.require(victim);
    const freed = rig.core.ports.get(victim)!;
    expect(() => lifecycle.delete(victim)).toThrow(expect.objectContaining({ code: 'CONFIRMATION_REQUIRED' }));
    const del = await rig.core.operations.settled(lifecycle.delete(victim, { confirmDataLoss: true }).operationId);
    expect(del.state, JSON.stringify(del.error)).toBe('succeeded');
    expect(rig.core.apps.get(victim)).toBeUndefined();
    expect(rig.core.ports.get(victim)).toBeUndefined();
    expect(await labVmids(e)).not.toContain(before.vmid);

    // this time through the IPC handlers, as the renderer asks
    const apps = new AppsService(deployCoreOf(rig.core), rig.engine, () => rig.conn);
    const handlers = createHandlers({ core: rig.core, runtime: 'web-bridge', appName: 'Proximity', openExternal: () => Promise.resolve(), apps });
    const ctx = { channel: 'apps.deploy' as const, sender: {} as never, signal: new AbortController().signal };
    const next = await handlers['apps.deploy']({ connectionId: CONNECTION_ID, catalogId: 'homer', hostname: 'homer-2', params: {} }, ctx);
    const op = await rig.core.operations.settled(next.operationId);
    expect(op.state, JSON.stringify(op.error)).toBe('succeeded');
    const pair = rig.core.ports.get(next.appId)!;
    expect([pair.publicPort, pair.internalPort]).toEqual([freed.publicPort, freed.internalPort]);
    const detail = await handlers['apps.get']({ id: next.appId }, { ...ctx, channel: 'apps.get' });
    expect(detail).toMatchObject({ app: { hostname: 'homer-2', status: 'running', ports: { public: freed.publicPort } }, pve: { status: 'running' }, health: { healthy: true } });
  }, 120_000);
});

// Acceptance: three catalog apps deployed at once on the lab (netns backend, fallback mode: vmbr0 with DHCP from
// the lab's upstream) all end reachable, with distinct ports and VMIDs; deleting one frees its ports for the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunNetns, startE2eLab, type E2eLab } from '../lab-fixture';
import { CONNECTION_ID, labVmids, startDeployRig, type DeployRig } from './deploy-fixture';

describe.skipIf(!canRunNetns)('deployment engine on the lab (fallback mode)', () => {
  let e: E2eLab;
  let rig: DeployRig;
  beforeAll(async () => {
    e = await startE2eLab();
    rig = await startDeployRig(e);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await e?.close();
  });

  it('deploys three apps at once: all reachable, distinct ports and VMIDs, every step journaled', async () => {
    const apps = ['heimdall', 'homer', 'it-tools'];
    const started = apps.map((catalogId) => rig.engine.deploy({ connectionId: CONNECTION_ID, catalogId, hostname: `${catalogId}-1` }));
    const ops = await Promise.all(started.map((s) => rig.core.operations.settled(s.operationId)));
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
});

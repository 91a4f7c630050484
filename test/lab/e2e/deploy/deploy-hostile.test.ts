// Acceptance: hostile strings in every operator-facing value (catalog parameters, hostname, display name, safe
// command parameters) are refused or arrive unchanged, never interpreted: in the compose file inside the
// container, in the container's description, and in the commands. Also: the safe commands and their audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SafeCommandService } from '../../../../src-main/core/apps/safe-commands';
import { escapeComposeInterpolation } from '../../../../src-main/core/catalog/compose-renderer';
import { manifestSchema, type Manifest } from '../../../../src-main/core/catalog/manifest-schema';
import { parseDescription } from '../../../../src-main/core/deploy/app-spec';
import { deployCoreOf } from '../../../../src-main/core/deploy/deploy-types';
import { isProximityError } from '../../../../src-main/core/errors';
import { HOSTILE_STRINGS } from '../../../integration/ssh/hostile-strings';
import { canRunNetns, startE2eLab, type E2eLab } from '../lab-fixture';
import { builtInCatalog, CONNECTION_ID, startDeployRig, type DeployRig } from './deploy-fixture';

function probeManifest(base: Manifest, id: string, count: number): Manifest {
  const parameters = Array.from({ length: count }, (_, i) => ({ id: `p${i}`, label: `P${i}`, type: 'string' as const, required: false, maxLength: 4096, fills: [{ service: base.expose.service, env: `P_${i}` }] }));
  return manifestSchema.parse({ ...base, id, parameters, deploymentValues: [] });
}

describe.skipIf(!canRunNetns)('hostile input through the deployment engine and the safe commands', () => {
  let e: E2eLab;
  let rig: DeployRig;
  let commands: SafeCommandService;
  beforeAll(async () => {
    e = await startE2eLab();
    const catalog = new Map(await builtInCatalog());
    const homer = catalog.get('homer')!;
    catalog.set('probe-a', probeManifest(homer, 'probe-a', 33));
    catalog.set('probe-b', probeManifest(homer, 'probe-b', 33));
    rig = await startDeployRig(e, { catalog });
    commands = new SafeCommandService(deployCoreOf(rig.core), () => rig.conn);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await e?.close();
  });

  it('refuses hostile hostnames before anything exists', () => {
    for (const hostname of HOSTILE_STRINGS.slice(0, 30)) {
      expect(() => rig.engine.deploy({ connectionId: CONNECTION_ID, catalogId: 'homer', hostname }), JSON.stringify(hostname)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    }
    expect(rig.core.apps.list()).toEqual([]);
  });

  it('every parameter value is refused or reaches the compose file unchanged (interpolation escaped)', async () => {
    // over the request's 4096-character limit: refused whole, and the message does not echo the value
    const long = HOSTILE_STRINGS.filter((s) => s.length > 4096);
    for (const value of long) {
      let err: unknown;
      try {
        rig.engine.deploy({ connectionId: CONNECTION_ID, catalogId: 'probe-a', hostname: 'probe-long', params: { p0: value } });
      } catch (x) {
        err = x;
      }
      expect(err).toMatchObject({ code: 'VALIDATION' });
      expect((err as Error).message).not.toContain(value.slice(0, 100));
    }
    const fitting = HOSTILE_STRINGS.filter((s) => s.length <= 4096);
    const chunks = [fitting.slice(0, 33), fitting.slice(33, 66)];
    const name = `$(id); "quoted" 'single' \`tick\` <b>&amp;</b> ünï 😀`;
    const deployments = chunks.map((chunk, c) => {
      const params: Record<string, string> = Object.fromEntries(chunk.map((s, i) => [`p${i}`, s]));
      const refused: string[] = [];
      const appsBefore = rig.core.apps.list().length;
      for (;;) {
        try {
          const started = rig.engine.deploy({ connectionId: CONNECTION_ID, catalogId: c === 0 ? 'probe-a' : 'probe-b', hostname: `probe-${c}`, name, params });
          return { started, params, refused };
        } catch (err) {
          if (!isProximityError(err) || err.code !== 'CATALOG_PARAMETER_INVALID') throw err;
          const problems = (err.details as { problems: { parameter: string }[] }).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            refused.push(p.parameter);
            delete params[p.parameter];
          }
          expect(rig.core.apps.list()).toHaveLength(appsBefore); // a refused request made nothing
        }
      }
    });
    for (const d of deployments) {
      const op = await rig.core.operations.settled(d.started.operationId);
      expect(op.state, JSON.stringify(op.error)).toBe('succeeded');
      const app = rig.core.apps.require(d.started.appId);
      expect(app.name).toBe(name);
      const cfg = await e.api('GET', `/nodes/${e.node}/lxc/${app.vmid}/config`);
      expect(parseDescription(cfg.description)?.appId).toBe(app.id);
      expect(String(cfg.description)).toContain(name);

      const rendered = await commands.run(app.id, 'rendered-config');
      expect(rendered.exitCode, rendered.stderr).toBe(0);
      const doc = parseYaml(rendered.stdout) as { services: Record<string, { environment: Record<string, string> }> };
      const env = doc.services.app!.environment;
      for (const [id, value] of Object.entries(d.params)) {
        // an empty optional value means "not set": the variable is left out rather than set empty
        if (value === '') expect(env[`P_${id.slice(1)}`]).toBeUndefined();
        else expect(env[`P_${id.slice(1)}`], JSON.stringify(value)).toBe(escapeComposeInterpolation(value));
      }
      // the 10 000-character string is over the parameter's maxLength: refused, not cut
      if (d.refused.length) expect(d.refused.every((p) => /^p\d+$/.test(p))).toBe(true);
    }
    expect(deployments.flatMap((d) => d.refused).length).toBeLessThan(HOSTILE_STRINGS.length);
  }, 180_000);

  it('runs only the fixed commands, with bounded parameters, output capped, every run audited', async () => {
    const app = rig.core.apps.list()[0]!;
    expect(commands.list().map((c) => c.id)).toEqual(['logs', 'status', 'disk-usage', 'processes', 'memory', 'network', 'compose-services', 'rendered-config', 'system-info']);
    const status = await commands.run(app.id, 'status');
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('app');
    const info = await commands.run(app.id, 'system-info');
    expect(info.exitCode, info.stderr).toBe(0);
    const logs = await commands.run(app.id, 'logs', { tail: 5 });
    expect(logs.commandId).toBe('logs');
    await expect(commands.run(app.id, 'logs', { tail: 1001 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(commands.run(app.id, 'logs', { tail: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
    for (const service of HOSTILE_STRINGS.slice(0, 20)) {
      await expect(commands.run(app.id, 'logs', { service }), JSON.stringify(service)).rejects.toMatchObject({ code: 'VALIDATION' });
    }
    await expect(commands.run(app.id, 'sh', { c: 'id' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(commands.run(app.id, 'status', { extra: 1 })).rejects.toMatchObject({ code: 'VALIDATION' });
    const audited = rig.core.audit.list({ limit: 100 }).filter((a) => a.action === 'commands.run' && a.target === app.id);
    expect(audited.length).toBeGreaterThanOrEqual(27);
    expect(audited.some((a) => (a.details as { result: string }).result === 'refused')).toBe(true);
    expect(audited.some((a) => (a.details as { command: string }).command === 'status')).toBe(true);
  }, 120_000);
});

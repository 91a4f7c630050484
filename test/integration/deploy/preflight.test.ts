// Preflight against the PVE emulator: what a healthy node costs (at most 3 requests, none once cached), and
// the plain-words problems for an old lxc-pve, no container storage, a missing template and a sick appliance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FallbackDeployNetwork, type DeployNetwork } from '../../../src-main/core/deploy/deploy-network';
import { compareVersions, Preflight, type PreflightInput } from '../../../src-main/core/deploy/preflight';
import { PveClient } from '../../../src-main/core/pve/pve-client';
import { createBackend } from '../../lab/backends';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';

const TEMPLATE = 'alpine-3.22-default_20250617_amd64.tar.xz';

describe('preflight checks', () => {
  let emu: Emulator;
  let pve: PveClient;
  beforeAll(async () => {
    emu = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0 });
    const url = new URL(emu.url);
    pve = new PveClient({ host: url.hostname, port: Number(url.port), fingerprint: emu.fingerprint, auth: { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret } });
    const upid = await emu.callApi('POST', '/nodes/pve/aplinfo', { storage: 'local', template: TEMPLATE });
    expect(await emu.waitTask(upid)).toBe('OK');
  });
  afterAll(async () => {
    await pve?.close();
    await emu?.close();
  });

  const input = (over: Partial<PreflightInput> = {}): PreflightInput => ({
    connectionId: 'c1', pve, network: new FallbackDeployNetwork(), node: 'pve', template: TEMPLATE, templateStorage: 'local', needBytes: 2 * 2 ** 30, ...over,
  });

  it('compares Proxmox package versions numerically', () => {
    expect(compareVersions('6.0.5-1', '6.0.5-2')).toBeLessThan(0);
    expect(compareVersions('6.0.5-10', '6.0.5-2')).toBeGreaterThan(0);
    expect(compareVersions('6.1.0-1', '6.0.5-2')).toBeGreaterThan(0);
    expect(compareVersions('6.0.5-2', '6.0.5-2')).toBe(0);
  });

  it('passes a healthy node with at most 3 PVE requests, then answers from its cache with none', async () => {
    const p = new Preflight();
    const before = pve.requestCount;
    const report = await p.require(input());
    expect(pve.requestCount - before).toBeLessThanOrEqual(3);
    expect(report).toMatchObject({ ok: true, problems: [], lxcPveVersion: '6.0.5-2', templateVolid: `local:vztmpl/${TEMPLATE}` });
    expect(report.rootStorage?.storage).not.toBe('local');
    const again = pve.requestCount;
    await p.require(input());
    expect(pve.requestCount).toBe(again);
  });

  it('names an lxc-pve too old for Docker, and checks again next time', async () => {
    emu.faults.apply({ kind: 'nodePackages', node: 'pve', versions: { 'lxc-pve': '6.0.5-1' } });
    const p = new Preflight();
    try {
      await expect(p.require(input({ connectionId: 'c2' }))).rejects.toMatchObject({ code: 'PREFLIGHT_FAILED', message: expect.stringContaining('lxc-pve 6.0.5-1 is too old') });
    } finally {
      emu.faults.apply({ kind: 'clear' });
    }
    expect((await p.require(input({ connectionId: 'c2' }))).ok).toBe(true);
  });

  it('names a node without container storage, a missing template and a sick appliance', async () => {
    emu.faults.apply({ kind: 'configureStorage', node: 'pve', storage: 'local-lvm', content: ['images'] });
    const sick: DeployNetwork = Object.assign(new FallbackDeployNetwork(), { health: () => Promise.resolve('The network appliance on pve is not ready: dnsmasq is not running') });
    try {
      const report = await new Preflight().check(input({ connectionId: 'c3', template: 'debian-12-standard_12.7-1_amd64.tar.zst', network: sick }));
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toMatch(/no enabled storage for container disks/);
      expect(report.problems.join('\n')).toMatch(/dnsmasq is not running/);
      expect(report.warnings.join('\n')).toMatch(/will be downloaded first/);
    } finally {
      emu.faults.apply({ kind: 'clear' });
    }
  });
});

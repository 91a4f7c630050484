// PVE 9.1.5+ warns when an unprivileged CT whose OS runs systemd >= 255 is created or started without
// nesting=1: the task ends `WARNINGS: 1` (the one natural way to meet a `WARNINGS: n` ending).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedTemplate } from './aplinfo';
import { SYSTEMD_NESTING_WARNING, templateRunsSystemd255, versionAtLeast } from './systemd-warning';
import { type Lab, createParams, lastStartTask, startLab } from './test-kit';

const DEBIAN13 = 'debian-13-standard_13.1-2_amd64.tar.zst';
const UBUNTU2404 = 'ubuntu-24.04-standard_24.04-2_amd64.tar.zst';
const DEBIAN12 = 'debian-12-standard_12.7-1_amd64.tar.zst';
const WARN_LINE = `WARN: ${SYSTEMD_NESTING_WARNING}`;

async function labAt(pveVersion: string): Promise<Lab> {
  const lab = await startLab({ schema: '9.1', pveVersion });
  const n = lab.state.nodes.get('pve')!;
  for (const t of [DEBIAN13, UBUNTU2404, DEBIAN12]) seedTemplate(n, 'local', t, 1_700_000_000);
  return lab;
}

describe('systemd 255 nesting warning on PVE 9.1.5', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await labAt('9.1.5');
  });
  afterAll(() => lab?.close());

  it('create and start of an unprivileged debian-13 CT without nesting end WARNINGS: 1', async () => {
    const upid = await lab.api('POST', '/nodes/pve/lxc', createParams(200, { ostemplate: `local:vztmpl/${DEBIAN13}`, unprivileged: 1 }));
    expect(await lab.emu.waitTask(upid)).toBe('WARNINGS: 1');
    expect(lab.taskLog(upid)).toContain(WARN_LINE);
    expect(lab.taskLog(upid).at(-1)).toBe('TASK WARNINGS: 1');
    const start = await lab.api('POST', '/nodes/pve/lxc/200/status/start');
    expect(await lab.emu.waitTask(start)).toBe('WARNINGS: 1');
    expect(lab.taskLog(start)).toEqual([WARN_LINE, 'TASK WARNINGS: 1']);
    // the task list reports it as PVE does
    const rows = await lab.api('GET', '/nodes/pve/tasks', { vmid: 200 });
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['WARNINGS: 1', 'WARNINGS: 1']);
    expect((await lab.api('GET', '/nodes/pve/lxc/200/status/current')).status).toBe('running');
  });

  it('ubuntu-24.04 too, also in the vzstart task that start=1 forks', async () => {
    const upid = await lab.api('POST', '/nodes/pve/lxc', createParams(201, { ostemplate: `local:vztmpl/${UBUNTU2404}`, start: 1 }));
    expect(await lab.emu.waitTask(upid)).toBe('WARNINGS: 1');
    expect(await lab.started(201)).toBe('WARNINGS: 1');
    expect(lab.taskLog(lastStartTask(lab.emu, 201)!)).toContain(WARN_LINE);
  });

  it('no warning with nesting=1, for a privileged CT, or for an OS with an older systemd', async () => {
    const quiet: Record<string, unknown>[] = [
      { ostemplate: `local:vztmpl/${DEBIAN13}`, features: 'nesting=1' },
      { ostemplate: `local:vztmpl/${DEBIAN13}`, unprivileged: 0 },
      { ostemplate: `local:vztmpl/${DEBIAN12}` },
    ];
    let vmid = 210;
    for (const extra of quiet) {
      const id = vmid++;
      expect(await lab.task('POST', '/nodes/pve/lxc', createParams(id, extra)), JSON.stringify(extra)).toBe('OK');
      expect(await lab.task('POST', `/nodes/pve/lxc/${id}/status/start`), JSON.stringify(extra)).toBe('OK');
    }
    // enabling nesting afterwards silences the start
    expect(await lab.api('PUT', '/nodes/pve/lxc/200/config', { features: 'nesting=1' })).toBeNull();
    expect(await lab.task('POST', '/nodes/pve/lxc/200/status/stop')).toBe('OK');
    expect(await lab.task('POST', '/nodes/pve/lxc/200/status/start')).toBe('OK');
  });
});

describe('before PVE 9.1.5', () => {
  it('9.1.4 creates and starts the same CT with TASK OK', async () => {
    const lab = await labAt('9.1.4');
    try {
      expect(await lab.task('POST', '/nodes/pve/lxc', createParams(200, { ostemplate: `local:vztmpl/${DEBIAN13}` }))).toBe('OK');
      expect(await lab.task('POST', '/nodes/pve/lxc/200/status/start')).toBe('OK');
    } finally {
      await lab.close();
    }
  });

  it('knows which versions and templates qualify', () => {
    expect(versionAtLeast('9.1.5', [9, 1, 5])).toBe(true);
    expect(versionAtLeast('9.2.0', [9, 1, 5])).toBe(true);
    expect(versionAtLeast('9.1.4', [9, 1, 5])).toBe(false);
    expect(versionAtLeast('8.4.17', [9, 1, 5])).toBe(false);
    expect(templateRunsSystemd255(`local:vztmpl/${DEBIAN13}`)).toBe(true);
    expect(templateRunsSystemd255(UBUNTU2404)).toBe(true);
    expect(templateRunsSystemd255('ubuntu-22.04-standard_22.04-1_amd64.tar.zst')).toBe(false);
    expect(templateRunsSystemd255(DEBIAN12)).toBe(false);
    expect(templateRunsSystemd255('alpine-3.22-default_20250617_amd64.tar.xz')).toBe(false);
  });
});

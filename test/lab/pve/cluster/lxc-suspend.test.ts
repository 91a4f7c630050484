// POST .../status/suspend and .../status/resume (pve-container Status.pm vm_suspend / vm_resume): tasks
// `vzsuspend` (config lock in the worker, lxc-checkpoint -s: dump and stop) and `vzresume` (no lock,
// lxc-checkpoint -r), with PVE's synchronous "not running" / "already running" checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Lab, TOKEN, createParams, startLab, withTemplate } from './test-kit';

describe('suspend and resume', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await withTemplate(lab);
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(100))).toBe('OK');
  });
  afterAll(() => lab?.close());

  it('refuses to suspend a stopped CT and to resume a running one, with PVE texts', async () => {
    expect(await lab.fail('POST', '/nodes/pve/lxc/100/status/suspend')).toMatchObject({ status: 500, message: 'CT 100 not running' });
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
    expect(await lab.fail('POST', '/nodes/pve/lxc/100/status/resume')).toMatchObject({ status: 500, message: 'CT 100 already running' });
  });

  it('suspends (vzsuspend) and resumes (vzresume) a running CT', async () => {
    const upid = await lab.api('POST', '/nodes/pve/lxc/100/status/suspend', {}, TOKEN);
    expect(upid).toMatch(/^UPID:pve:[0-9A-F:]+:vzsuspend:100:root@pam!proximity:$/);
    expect(await lab.emu.waitTask(upid)).toBe('OK');
    expect((await lab.api('GET', '/nodes/pve/lxc/100/status/current')).status).toBe('stopped');
    const resume = await lab.api('POST', '/nodes/pve/lxc/100/status/resume', {}, TOKEN);
    expect(resume).toMatch(/:vzresume:100:/);
    expect(await lab.emu.waitTask(resume)).toBe('OK');
    expect((await lab.api('GET', '/nodes/pve/lxc/100/status/current')).status).toBe('running');
  });

  it('a locked CT is not suspended (check_lock in the worker)', async () => {
    lab.state.containers.get(100)!.config.lock = 'backup';
    try {
      expect(await lab.task('POST', '/nodes/pve/lxc/100/status/suspend')).toBe('CT is locked (backup)');
    } finally {
      delete lab.state.containers.get(100)!.config.lock;
    }
  });

  it('resume without a checkpoint fails like lxc-checkpoint does', async () => {
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/stop')).toBe('OK');
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/resume')).toBe(
      "command 'lxc-checkpoint -n 100 -r --foreground -D /var/lib/vz/dump' failed: exit code 1",
    );
  });
});

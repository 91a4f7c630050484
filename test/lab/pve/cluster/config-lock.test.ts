// Where PVE takes a guest's config flock, and what a client sees while another worker holds it (pve-container
// Status.pm / LXC.pm since early 2024): operations that lock inside the worker answer 200 with a UPID and their
// task ends after the lock timeout; operations that lock in the API handler answer 500 after the same wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PVE_CONFIG_LOCK_TIMEOUT_MS, lockTimeoutMessage } from './config-lock';
import { type Lab, TEST_LOCK_TIMEOUT_MS, createParams, startLab, withTemplate } from './test-kit';

const TIMEOUT_TEXT = "can't lock file '/run/lock/lxc/pve-config-100.lock' - got timeout";

describe('config lock held by another worker', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await withTemplate(lab);
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(100))).toBe('OK');
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
  });
  afterAll(() => lab?.close());

  it('uses PVE texts and its 10 s timeout by default', () => {
    expect(lockTimeoutMessage(100)).toBe(TIMEOUT_TEXT);
    expect(PVE_CONFIG_LOCK_TIMEOUT_MS).toBe(10_000);
  });

  // [method, path, params, precondition: running?]
  const inWorker: [string, string, Record<string, unknown>, boolean][] = [
    ['POST', '/nodes/pve/lxc/100/status/stop', {}, true],
    ['POST', '/nodes/pve/lxc/100/status/shutdown', {}, true],
    ['POST', '/nodes/pve/lxc/100/status/reboot', {}, true],
    ['POST', '/nodes/pve/lxc/100/status/suspend', {}, true],
    ['POST', '/nodes/pve/lxc/100/snapshot', { snapname: 'held' }, true],
    ['POST', '/nodes/pve/lxc/100/status/start', {}, false],
    ['DELETE', '/nodes/pve/lxc/100', {}, false],
  ];

  for (const [method, path, params, mustRun] of inWorker) {
    it(`${method} ${path.replace('/nodes/pve/lxc/100', '')}: 200 with a UPID, the task waits and ends "got timeout"`, async () => {
      const ct = lab.state.containers.get(100)!;
      if (ct.running !== mustRun) {
        expect(await lab.task('POST', `/nodes/pve/lxc/100/status/${mustRun ? 'start' : 'stop'}`)).toBe('OK');
      }
      lab.emu.faults.holdGuestLock(100);
      try {
        const t0 = Date.now();
        const upid = await lab.api(method, path, params);
        expect(upid).toMatch(/^UPID:pve:/);
        expect(await lab.emu.waitTask(upid)).toBe(TIMEOUT_TEXT);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(TEST_LOCK_TIMEOUT_MS - 20);
        expect(lab.taskLog(upid)).toEqual(['trying to acquire lock...', `TASK ERROR: ${TIMEOUT_TEXT}`]);
        // nothing happened to the CT
        expect(lab.state.containers.get(100)?.running).toBe(mustRun);
        expect(lab.state.containers.get(100)?.config.lock).toBeUndefined();
      } finally {
        lab.emu.faults.releaseGuestLock(100);
      }
    });
  }

  it('vzdump: the backup of that guest fails in the job log after the wait', async () => {
    lab.emu.faults.holdGuestLock(100);
    try {
      const upid = await lab.api('POST', '/nodes/pve/vzdump', { vmid: '100', storage: 'local' });
      expect(await lab.emu.waitTask(upid)).toBe('job errors');
      const log = lab.taskLog(upid);
      expect(log).toContain('trying to acquire lock...');
      expect(log).toContain(`ERROR: Backup of VM 100 failed - ${TIMEOUT_TEXT}`);
    } finally {
      lab.emu.faults.releaseGuestLock(100);
    }
  });

  it('a lock released during the wait lets the worker go on (`trying to acquire lock...` then ` OK`)', async () => {
    if (!lab.state.containers.get(100)!.running) expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
    lab.emu.faults.holdGuestLock(100, TEST_LOCK_TIMEOUT_MS / 3);
    const upid = await lab.api('POST', '/nodes/pve/lxc/100/status/stop');
    expect(await lab.emu.waitTask(upid)).toBe('OK');
    expect(lab.taskLog(upid)).toEqual(['trying to acquire lock...', ' OK', 'TASK OK']);
    expect(lab.state.containers.get(100)?.running).toBe(false);
  });

  it('config PUT locks before forking: the call waits PVE\'s timeout, then answers 500', async () => {
    lab.emu.faults.holdGuestLock(100);
    try {
      const t0 = Date.now();
      expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { memory: 1024 })).toMatchObject({ status: 500, message: TIMEOUT_TEXT });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(TEST_LOCK_TIMEOUT_MS - 20);
      expect(await lab.fail('PUT', '/nodes/pve/lxc/100/snapshot/held/config', { description: 'x' }))
        .toMatchObject({ status: 500, message: TIMEOUT_TEXT });
    } finally {
      lab.emu.faults.releaseGuestLock(100);
    }
    // released within the wait: the update goes through
    lab.emu.faults.holdGuestLock(100, TEST_LOCK_TIMEOUT_MS / 3);
    expect(await lab.api('PUT', '/nodes/pve/lxc/100/config', { memory: 1024 })).toBeNull();
    expect((await lab.api('GET', '/nodes/pve/lxc/100/config')).memory).toBe(1024);
  });

  it('create locks before forking (create_and_lock_config) and fails with its prefix', async () => {
    lab.emu.faults.holdGuestLock(141);
    try {
      expect(await lab.fail('POST', '/nodes/pve/lxc', createParams(141)))
        .toMatchObject({ status: 500, message: "unable to create CT 141 - can't lock file '/run/lock/lxc/pve-config-141.lock' - got timeout" });
      expect(lab.state.containers.has(141)).toBe(false);
    } finally {
      lab.emu.faults.releaseGuestLock(141);
    }
  });
});

// Worker tasks: UPID format, running -> stopped, exitstatus, log paging, task list, PVE's errors for bad upids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from './emulator';
import { decodeUpid, encodeUpid } from './tasks';
import { raw, startTestEmulator } from './test-helpers';

const UPID_RE = /^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vzstart:100:root@pam!proximity:$/;

const register = (r: any) => {
  r.on('POST', '/nodes/{node}/lxc/{vmid}/status/start', ({ params, identity, tasks }: any) =>
    tasks.start({
      node: params.node, type: 'vzstart', id: String(params.vmid), identity,
      run: (log: any) => {
        for (let i = 1; i <= 60; i++) log.line(`line ${i}`);
      },
    }));
  r.on('POST', '/nodes/{node}/lxc/{vmid}/status/reboot', ({ params, identity, tasks }: any) =>
    tasks.start({
      node: params.node, type: 'vzreboot', id: String(params.vmid), identity,
      run: (log: any) => {
        log.warn('first warning');
        log.warn('second warning\n');
        if (params.vmid === 101) throw new Error('lxc-start failed:\nsee the log\n');
      },
    }));
  r.on('POST', '/nodes/{node}/lxc/{vmid}/status/stop', ({ params, identity, tasks }: any) =>
    tasks.start({
      node: params.node, type: 'vzstop', id: String(params.vmid), identity,
      run: () => {
        throw new Error(`CT ${params.vmid} not running\n`);
      },
    }));
};

let emu: Emulator;
let slow: Emulator;
beforeAll(async () => {
  [emu, slow] = await Promise.all([
    startTestEmulator({ registerRoutes: register }),
    startTestEmulator({ registerRoutes: register, taskSeconds: 2 }),
  ]);
});
afterAll(async () => {
  await Promise.all([emu?.close(), slow?.close()]);
});

const status = (e: Emulator, upid: string) => raw(e, 'GET', `/nodes/pve/tasks/${encodeURIComponent(upid)}/status`, { token: true });

describe('tasks', () => {
  it('returns a PVE UPID whose fields decode back', async () => {
    const r = await raw(emu, 'POST', '/nodes/pve/lxc/100/status/start', { token: true });
    const upid = r.json.data;
    expect(upid).toMatch(UPID_RE);
    const d = decodeUpid(upid)!;
    expect(d).toMatchObject({ node: 'pve', type: 'vzstart', id: '100', authid: 'root@pam!proximity' });
    expect(Math.abs(d.starttime - Date.now() / 1000)).toBeLessThan(5);
    expect(encodeUpid(d)).toBe(upid);
    await emu.waitTask(upid);
  });

  it('goes running -> stopped with exitstatus OK after taskSeconds', async () => {
    const started = Date.now();
    const upid = (await raw(slow, 'POST', '/nodes/pve/lxc/100/status/start', { token: true })).json.data;
    const running = await status(slow, upid);
    expect(running.json.data).toMatchObject({ status: 'running', upid, node: 'pve', type: 'vzstart', id: '100', user: 'root@pam', tokenid: 'proximity' });
    expect(running.json.data).not.toHaveProperty('exitstatus');
    expect(await slow.waitTask(upid)).toBe('OK');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1990);
    const done = await status(slow, upid);
    expect(done.json.data).toMatchObject({ status: 'stopped', exitstatus: 'OK' });
  });

  it('stops a task that has not done its work yet: TASK ERROR: interrupted by signal', async () => {
    // tasks of a minute: the DELETE surely comes before the work
    const long = await startTestEmulator({ registerRoutes: register, taskSeconds: 60 });
    try {
      const upid = (await raw(long, 'POST', '/nodes/pve/lxc/100/status/start', { token: true })).json.data;
      const del = await raw(long, 'DELETE', `/nodes/pve/tasks/${encodeURIComponent(upid)}`, { token: true });
      expect(del.status).toBe(200);
      expect(await long.waitTask(upid)).toBe('interrupted by signal');
      const log = await raw(long, 'GET', `/nodes/pve/tasks/${encodeURIComponent(upid)}/log`, { token: true });
      expect(log.json.data).toEqual([{ n: 1, t: 'TASK ERROR: interrupted by signal' }]);
    } finally {
      await long.close();
    }
  });

  it('pages the log as {n,t} with total; the last line is TASK OK', async () => {
    const upid = (await raw(emu, 'POST', '/nodes/pve/lxc/100/status/start', { token: true })).json.data;
    await emu.waitTask(upid);
    const base = `/nodes/pve/tasks/${encodeURIComponent(upid)}/log`;
    const first = await raw(emu, 'GET', base, { token: true });
    expect(first.json.total).toBe(61);
    expect(first.json.data).toHaveLength(50);
    expect(first.json.data[0]).toEqual({ n: 1, t: 'line 1' });
    const rest = await raw(emu, 'GET', `${base}?start=50&limit=50`, { token: true });
    expect(rest.json.data.map((l: any) => l.n)).toEqual(Array.from({ length: 11 }, (_, i) => 51 + i));
    expect(rest.json.data.at(-1)).toEqual({ n: 61, t: 'TASK OK' });
    const all = await raw(emu, 'GET', `${base}?limit=0`, { token: true });
    expect(all.json.data).toHaveLength(61);
  });

  it('ends a throwing task with TASK ERROR and the message as exitstatus', async () => {
    const upid = (await raw(emu, 'POST', '/nodes/pve/lxc/100/status/stop', { token: true })).json.data;
    expect(await emu.waitTask(upid)).toBe('CT 100 not running');
    const log = await raw(emu, 'GET', `/nodes/pve/tasks/${encodeURIComponent(upid)}/log`, { token: true });
    expect(log.json.data.at(-1).t).toBe('TASK ERROR: CT 100 not running');
    expect((await status(emu, upid)).json.data.exitstatus).toBe('CT 100 not running');
  });

  it('ends with WARNINGS: n after $rpcenv->warn; a multi-line error becomes one line, as fork_worker writes it', async () => {
    const warned = (await raw(emu, 'POST', '/nodes/pve/lxc/100/status/reboot', { token: true })).json.data;
    expect(await emu.waitTask(warned)).toBe('WARNINGS: 2');
    const log = await raw(emu, 'GET', `/nodes/pve/tasks/${encodeURIComponent(warned)}/log`, { token: true });
    expect(log.json.data.map((l: any) => l.t)).toEqual(['WARN: first warning', 'WARN: second warning', 'TASK WARNINGS: 2']);
    const failed = (await raw(emu, 'POST', '/nodes/pve/lxc/101/status/reboot', { token: true })).json.data;
    expect(await emu.waitTask(failed)).toBe('lxc-start failed: see the log');
    expect(emu.tasks.get(failed)!.lines.at(-1)).toBe('TASK ERROR: lxc-start failed: see the log');
  });

  it('lists finished tasks of the node with total, newest first, with filters', async () => {
    const r = await raw(emu, 'GET', '/nodes/pve/tasks?typefilter=vzstop', { token: true });
    expect(r.json.total).toBeGreaterThanOrEqual(1);
    expect(r.json.data.every((t: any) => t.type === 'vzstop' && t.status !== 'OK')).toBe(true);
    const errs = await raw(emu, 'GET', '/nodes/pve/tasks?errors=1', { token: true });
    expect(errs.json.data.every((t: any) => t.status !== 'OK')).toBe(true);
  });

  it('answers 400 for an unknown or malformed upid, as Tasks.pm', async () => {
    const fake = 'UPID:pve:00001234:00005678:6543210A:vzstart:100:root@pam:';
    const unknown = await status(emu, fake);
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors).toEqual({ upid: 'no such task' });
    const malformed = await status(emu, 'not-a-upid');
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors).toEqual({ upid: 'unable to parse worker upid' });
    // read_task_log never says "no such task": dump_logfile reports the missing file as the only line
    const log = await raw(emu, 'GET', `/nodes/pve/tasks/${encodeURIComponent(fake)}/log`, { token: true });
    expect(log.status).toBe(200);
    expect(log.json).toEqual({ data: [{ n: 1, t: 'unable to open file - No such file or directory' }], total: 1 });
    const badLog = await raw(emu, 'GET', '/nodes/pve/tasks/not-a-upid/log', { token: true });
    expect(badLog.json.errors).toEqual({ upid: 'unable to parse worker upid' });
    // upid_index is a plain index helper
    expect((await raw(emu, 'GET', `/nodes/pve/tasks/${encodeURIComponent(fake)}`, { token: true })).json.data).toEqual([{ name: 'log' }, { name: 'status' }]);
  });

  it('lists running tasks with status RUNNING for source=active', async () => {
    const long = await startTestEmulator({ registerRoutes: register, taskSeconds: 60 });
    try {
      const upid = (await raw(long, 'POST', '/nodes/pve/lxc/100/status/start', { token: true })).json.data;
      expect((await raw(long, 'GET', '/nodes/pve/tasks', { token: true })).json.data).toEqual([]);
      const active = await raw(long, 'GET', '/nodes/pve/tasks?source=active', { token: true });
      expect(active.json.data).toEqual([expect.objectContaining({ upid, status: 'RUNNING', user: 'root@pam', tokenid: 'proximity' })]);
    } finally {
      await long.close();
    }
  });
});

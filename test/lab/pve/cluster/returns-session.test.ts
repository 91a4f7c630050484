// A realistic Proximity session over real HTTPS (token and ticket auth, form encoding as proxmox-api sends it),
// with EVERY response checked against the wire format and the official schema's `returns` of its method:
// 200 => exact content type + `{data}` envelope + checkReturns() == []; errors => reason phrase == message
// (+ `\n` in the body), 401 => no body. At the end every route the emulator registers must have been answered
// 200 at least once, so a new route cannot skip the returns check. Runs for both schema versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createVirtualBackend } from '../../backends/virtual-backend';
import { createEmulator, type Emulator } from '../emulator';
import { JSON_CONTENT_TYPE } from '../server';
import { login, raw, type RawOptions, type RawResponse } from '../test-helpers';
import { ALPINE, ALPINE_VOLID, lastStartTask } from './test-kit';

const enc = encodeURIComponent;

for (const version of ['8.4', '9.1'] as const) {
  describe(`HTTP session, every response checked against the ${version} schema`, () => {
    let emu: Emulator;
    let ticket: { ticket: string; CSRFPreventionToken: string };
    const answered = new Set<string>();
    const problems: string[] = [];

    /** One request, checked; returns the response. */
    const call = async (method: string, path: string, o: RawOptions = { token: true }): Promise<RawResponse> => {
      const r = await raw(emu, method, path, o);
      const rel = path.split('?')[0].replace(/^\/api2\/json/, '');
      const where = `${method} ${path} -> ${r.status} ${r.reason}`;
      // auth_handler's 401s have no body; a handler's own 401 (failed login) is formatted like any error
      if (r.status === 401 && !(method === 'POST' && rel === '/access/ticket')) {
        if (r.text !== '' || r.headers['content-type'] !== undefined) problems.push(`${where}: 401 with a body`);
        return r;
      }
      if (r.headers['content-type'] !== JSON_CONTENT_TYPE) problems.push(`${where}: content-type ${r.headers['content-type']}`);
      if (!r.json || !('data' in r.json)) problems.push(`${where}: no {data} envelope: ${r.text}`);
      if (r.status !== 200) {
        if (r.json?.data !== null) problems.push(`${where}: error with data`);
        if (r.json?.message !== `${r.reason}\n`) problems.push(`${where}: message ${JSON.stringify(r.json?.message)} != reason`);
        return r;
      }
      const route = emu.schema.resolve(method, decodeURIComponent(rel));
      if (!route) {
        problems.push(`${where}: answered 200 but not in the schema`);
        return r;
      }
      answered.add(`${method} ${route.template}`);
      for (const p of emu.schema.checkReturns(route, r.json.data)) problems.push(`${where}: ${p}`);
      return r;
    };
    const data = async (method: string, path: string, o?: RawOptions) => {
      const r = await call(method, path, o);
      expect(r.status, `${method} ${path}: ${r.reason}`).toBe(200);
      return r.json.data;
    };
    /** Run a task-returning call and follow it through status + log like the client does. */
    const task = async (method: string, path: string, body?: string, o: RawOptions = { token: true }) => {
      const upid = await data(method, path, body === undefined ? o : { ...o, body });
      expect(upid).toMatch(/^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:\w+:[^:]*:root@pam(!proximity)?:$/);
      await emu.waitTask(upid);
      const st = await data('GET', `/nodes/pve/tasks/${enc(upid)}/status`);
      expect(st.status).toBe('stopped');
      const log = await call('GET', `/nodes/pve/tasks/${enc(upid)}/log?start=0&limit=500`);
      expect(log.json.total).toBe(log.json.data.length);
      return st.exitstatus as string;
    };

    beforeAll(async () => {
      emu = await createEmulator({ backend: createVirtualBackend(), taskSeconds: 0, schema: version });
      ticket = await login(emu);
    });
    afterAll(() => emu?.close());

    it('drives a full session and every answer fits the schema', async () => {
      const csrf = { ticket };
      // bootstrap / inventory
      await data('GET', '/version');
      await data('GET', '/access/domains', {});
      await data('GET', '/access/ticket', {});
      await data('GET', '/cluster/status');
      await data('GET', '/nodes');
      await data('GET', '/nodes/pve');
      await data('GET', '/nodes/pve/status');
      await data('GET', '/nodes/pve/version');
      await data('GET', '/nodes/pve/rrddata?timeframe=hour&cf=AVERAGE');
      await data('GET', '/nodes/pve/apt/versions');
      await data('GET', '/cluster/resources');
      await data('GET', '/cluster/resources?type=storage');
      await data('GET', '/nodes/pve/storage');
      await data('GET', '/nodes/pve/storage?content=rootdir&enabled=1');
      await data('GET', '/nodes/pve/storage/local');
      await data('GET', '/nodes/pve/storage/local/status');
      await data('GET', '/nodes/pve/aplinfo');
      expect(await data('GET', '/cluster/nextid')).toBe('100');

      // access: effective permissions, users, ACLs, roles and API tokens
      await data('GET', '/access/permissions');
      await data('GET', `/access/permissions?path=${enc('/vms')}&userid=${enc('root@pam!proximity')}`);
      await data('POST', '/access/users', { ...csrf, body: `userid=${enc('ops@pve')}&password=secret123` });
      await data('GET', '/access/users');
      const made = await data('POST', `/access/users/${enc('ops@pve')}/token/ci`, { ...csrf, body: 'privsep=1&comment=ci' });
      expect(made['full-tokenid']).toBe('ops@pve!ci');
      await data('GET', `/access/users/${enc('ops@pve')}/token`);
      await data('GET', `/access/users/${enc('ops@pve')}/token/ci`);
      await data('PUT', `/access/users/${enc('ops@pve')}/token/ci`, { ...csrf, body: 'comment=ci2' });
      await data('PUT', '/access/acl', { ...csrf, body: `path=${enc('/vms')}&roles=PVEVMUser&users=${enc('ops@pve')}&tokens=${enc('ops@pve!ci')}` });
      await data('GET', '/access/acl');
      await data('POST', '/access/roles', { ...csrf, body: `roleid=PowerOnly&privs=${enc('VM.PowerMgmt,VM.Audit')}` });
      await data('GET', '/access/roles');
      await data('GET', '/access/permissions', { token: { id: 'ops@pve!ci', secret: made.value } });
      await data('DELETE', `/access/users/${enc('ops@pve')}/token/ci`, csrf);

      // template download and container lifecycle
      expect(await task('POST', '/nodes/pve/aplinfo', `storage=local&template=${ALPINE}`)).toBe('OK');
      const content = await data('GET', '/nodes/pve/storage/local/content?content=vztmpl');
      expect(content.map((c: any) => c.volid)).toContain(ALPINE_VOLID);
      await data('GET', `/nodes/pve/storage/local/content/${ALPINE_VOLID}`);

      await data('POST', '/nodes/pve/network', { token: true, body: 'iface=vmbr1&type=bridge&autostart=1&comments=lan' });
      const pending = await call('GET', '/nodes/pve/network');
      expect(pending.json.changes).toContain('vmbr1');
      await data('GET', '/nodes/pve/network/vmbr1');
      await data('PUT', '/nodes/pve/network/vmbr1', { token: true, body: 'type=bridge&autostart=1&comments=proximity' });
      expect(await task('PUT', '/nodes/pve/network')).toBe('OK');
      await data('POST', '/nodes/pve/network', { token: true, body: 'iface=vmbr9&type=bridge' });
      await data('DELETE', '/nodes/pve/network');
      await data('POST', '/nodes/pve/network', { token: true, body: 'iface=vmbr9&type=bridge' });
      await data('DELETE', '/nodes/pve/network/vmbr9');

      const create =
        `vmid=100&ostemplate=${enc(ALPINE_VOLID)}&hostname=web&memory=256&swap=0&cores=1&rootfs=${enc('local-lvm:4')}` +
        `&net0=${enc('name=eth0,bridge=vmbr1,ip=dhcp,firewall=1')}&unprivileged=1&features=${enc('nesting=1')}` +
        `&ssh-public-keys=${enc('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl lab')}&onboot=1&tags=proximity`;
      const upid = await data('POST', '/nodes/pve/lxc', { token: true, body: create });
      await data('GET', '/nodes/pve/lxc/100/config'); // the `lock: create` config
      await data('GET', `/nodes/pve/tasks/${enc(upid)}/status`);
      expect(await emu.waitTask(upid)).toBe('OK');
      await data('GET', `/nodes/pve/tasks/${enc(upid)}`);
      await data('GET', '/nodes/pve/tasks?limit=10');
      await data('GET', '/nodes/pve/lxc');
      await data('GET', '/nodes/pve/lxc/100');
      await data('GET', '/nodes/pve/lxc/100/status');
      await data('GET', '/nodes/pve/lxc/100/status/current');
      expect(await data('GET', '/nodes/pve/lxc/100/interfaces')).toBeNull();
      expect(await task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
      await data('GET', '/nodes/pve/lxc/100/status/current');
      await data('GET', '/nodes/pve/lxc/100/interfaces');
      await data('GET', '/nodes/pve/lxc/100/rrddata?timeframe=hour');
      await data('GET', '/cluster/resources?type=vm');
      await data('GET', '/cluster/resources');
      const cfg = await data('GET', '/nodes/pve/lxc/100/config');
      await data('PUT', '/nodes/pve/lxc/100/config', { ...csrf, body: `memory=512&digest=${cfg.digest}&delete=tags` });
      await data('GET', '/nodes/pve/lxc/100/config?current=1');

      // snapshots, backups
      await data('GET', '/nodes/pve/lxc/100/snapshot');
      expect(await task('POST', '/nodes/pve/lxc/100/snapshot', 'snapname=s1&description=first')).toBe('OK');
      await data('GET', '/nodes/pve/lxc/100/snapshot');
      await data('GET', '/nodes/pve/lxc/100/snapshot/s1');
      await data('GET', '/nodes/pve/lxc/100/snapshot/s1/config');
      await data('PUT', '/nodes/pve/lxc/100/snapshot/s1/config', { token: true, body: 'description=good' });
      expect(await task('POST', '/nodes/pve/lxc/100/snapshot/s1/rollback', 'start=1')).toBe('OK');
      // vm_start inside the rollback worker forks its own vzstart task
      expect(await emu.waitTask(lastStartTask(emu, 100)!)).toBe('OK');
      expect(await task('DELETE', '/nodes/pve/lxc/100/snapshot/s1')).toBe('OK');
      expect(await task('POST', '/nodes/pve/vzdump', 'vmid=100&storage=local&mode=snapshot&compress=zstd')).toBe('OK');
      const backups = await data('GET', '/nodes/pve/storage/local/content?content=backup&vmid=100');
      expect(backups).toHaveLength(1);
      await data('GET', `/nodes/pve/storage/local/content/${backups[0].volid}`);
      const removal = await data('DELETE', `/nodes/pve/storage/local/content/${backups[0].volid}`);
      if (removal !== null) await emu.waitTask(removal);

      // power
      expect(await task('POST', '/nodes/pve/lxc/100/status/reboot')).toBe('OK');
      expect(await task('POST', '/nodes/pve/lxc/100/status/shutdown', 'timeout=10')).toBe('OK');
      expect(await task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
      expect(await task('POST', '/nodes/pve/lxc/100/status/suspend')).toBe('OK');
      expect(await task('POST', '/nodes/pve/lxc/100/status/resume')).toBe('OK');
      expect(await task('POST', '/nodes/pve/lxc/100/status/stop')).toBe('OK');
      expect(await task('DELETE', '/nodes/pve/lxc/100?purge=1&destroy-unreferenced-disks=1')).toBe('OK');

      // a task that is stopped from the outside
      const long = await data('POST', '/nodes/pve/lxc', { token: true, body: create.replace('vmid=100', 'vmid=101') });
      await data('DELETE', `/nodes/pve/tasks/${enc(long)}`);
      await emu.waitTask(long);

      // the error paths the client meets, checked for wire format by call()
      expect((await call('GET', '/nodes/pve/lxc/999/status/current')).status).toBe(500);
      expect((await call('GET', '/nodes/pve/nope')).status).toBe(501);
      expect((await call('POST', '/nodes/pve/lxc', { token: true, body: 'vmid=abc' })).status).toBe(400);
      expect((await call('GET', '/nodes', {})).status).toBe(401);
      expect((await call('POST', '/nodes/pve/network', { ticket: { ticket: ticket.ticket }, body: 'iface=vmbr5&type=bridge' })).status).toBe(401);
      expect((await call('POST', '/access/ticket', { body: 'username=root@pam&password=wrong' })).status).toBe(401);
      expect((await call('GET', '/cluster/nextid?vmid=5')).status).toBe(400);

      expect(problems).toEqual([]);
      const skip = new Set(['POST /access/ticket']); // answered by login() in beforeAll, outside call()
      const missed = emu.routes.list().filter((r) => !answered.has(r) && !skip.has(r));
      expect(missed, 'registered routes never answered 200 in this session').toEqual([]);
    });
  });
}

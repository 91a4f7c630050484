// Users, API tokens and ACLs over real HTTPS: GET /access/permissions, the token endpoints, privilege
// separation (a privsep=1 token has only its own ACLs, and never more than its user), and 403s with PVE's
// texts (RPCEnvironment check: `Permission check failed (<path>, <priv>)`) on the methods Proximity uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createVirtualBackend } from '../../backends/virtual-backend';
import { ALPINE, ALPINE_VOLID } from '../cluster/test-kit';
import { createEmulator, type Emulator } from '../emulator';
import { raw, type RawOptions } from '../test-helpers';
import { seedAccess } from './access-seed';
import { BUILTIN_ROLES } from './privileges';

const enc = encodeURIComponent;
type Tok = { id: string; secret: string };
const form = (o: Record<string, string | number>) => new URLSearchParams(Object.entries(o).map(([k, v]): [string, string] => [k, String(v)])).toString();
const sorted = (s: Iterable<string>) => [...s].sort();

describe('permissions and API tokens', () => {
  let emu: Emulator;
  /** ops@pve: PVEVMUser on /vms (power, console, backup, audit), PVEDatastoreUser on /storage */
  let vmUser: Tok;
  /** privsep=1 token of ops@pve whose own ACL is Administrator on / (more than its user has) */
  let greedy: Tok;
  /** privsep=0 token of ops@pve: exactly its user's privileges */
  let shared: Tok;
  /** auditor@pve: PVEAuditor on / only */
  let auditor: Tok;

  const call = (method: string, path: string, token: Tok | true, body?: Record<string, string | number>) => {
    const o: RawOptions = { token };
    if (body) o.body = form(body);
    return raw(emu, method, path, o);
  };
  const denied = async (method: string, path: string, token: Tok, body?: Record<string, string | number>) => {
    const r = await call(method, path, token, body);
    expect(r.status, `${method} ${path}: ${r.text}`).toBe(403);
    expect(r.json.message).toBe(`${r.reason}\n`);
    return r.reason;
  };

  beforeAll(async () => {
    emu = await createEmulator({ backend: createVirtualBackend(), taskSeconds: 0 });
    expect(await emu.waitTask(await emu.callApi('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE }))).toBe('OK');
    const create = { vmid: 100, ostemplate: ALPINE_VOLID, hostname: 'web', rootfs: 'local-lvm:4', net0: 'name=eth0,bridge=vmbr0,ip=dhcp' };
    expect(await emu.waitTask(await emu.callApi('POST', '/nodes/pve/lxc', create))).toBe('OK');
    const ops = seedAccess(emu.access, {
      userid: 'ops@pve',
      password: 'ops-secret',
      acl: [{ path: '/vms', roles: ['PVEVMUser'] }, { path: '/storage', roles: ['PVEDatastoreUser'] }],
      tokens: [
        { tokenid: 'limited' },
        { tokenid: 'greedy', acl: [{ path: '/', roles: ['Administrator'] }] },
        { tokenid: 'shared', privsep: 0 },
      ],
    });
    [vmUser, greedy, shared] = ops.tokens.map((t) => ({ id: t.tokenId, secret: t.tokenSecret }));
    // the limited token gets the same ACL as its user, so it can act (used as "the VM user")
    emu.access.setAcl('/vms', ['PVEVMUser'], [vmUser.id]);
    const aud = seedAccess(emu.access, { userid: 'auditor@pve', acl: [{ path: '/', roles: ['PVEAuditor'] }], tokens: [{ tokenid: 'ro', privsep: 0 }] });
    auditor = { id: aud.tokens[0]!.tokenId, secret: aud.tokens[0]!.tokenSecret };
  });
  afterAll(() => emu?.close());

  it('the default token root@pam!proximity (privsep=0) has every privilege', async () => {
    const r = await call('GET', '/access/permissions', true);
    expect(r.status).toBe(200);
    expect(sorted(Object.keys(r.json.data['/']))).toEqual(sorted(BUILTIN_ROLES.Administrator));
    expect((await call('GET', '/access/users/root@pam/token', true)).json.data).toEqual([
      { tokenid: 'proximity', privsep: 0, comment: 'lab default token' },
    ]);
  });

  it('a privsep=1 token has at most its user\'s privileges; a privsep=0 token exactly its user\'s', async () => {
    const vmUserPrivs = sorted(BUILTIN_ROLES.PVEVMUser);
    const onVm = async (t: Tok) =>
      sorted(Object.keys((await call('GET', `/access/permissions?path=${enc('/vms/100')}`, t)).json.data['/vms/100']));
    expect(await onVm(greedy)).toEqual(vmUserPrivs); // Administrator on / for the token, cut down to the user's
    expect(await onVm(shared)).toEqual(vmUserPrivs);
    const nodes = await call('GET', `/access/permissions?path=${enc('/nodes/pve')}`, greedy);
    expect(nodes.json.data).toEqual({ '/nodes/pve': {} });
    // the limited token had no ACL of its own at first: only what was set on it counts (not the user's /storage)
    const limited = (await call('GET', '/access/permissions', vmUser)).json.data;
    expect(Object.keys(limited)).toEqual(['/vms']);
    // privsep=0 ignores ACLs set on the token itself
    emu.access.setAcl('/nodes/pve', ['PVESysAdmin'], [shared.id]);
    expect((await call('GET', `/access/permissions?path=${enc('/nodes/pve')}`, shared)).json.data).toEqual({ '/nodes/pve': {} });
  });

  it('names the missing privilege on the methods Proximity uses (403, PVE texts)', async () => {
    // guest power and lifecycle: permissions from the schema's `check`
    expect(await denied('POST', '/nodes/pve/lxc/100/status/start', auditor)).toBe('Permission check failed (/vms/100, VM.PowerMgmt)');
    expect(await denied('POST', '/nodes/pve/lxc/100/status/stop', auditor)).toBe('Permission check failed (/vms/100, VM.PowerMgmt)');
    expect(await denied('DELETE', '/nodes/pve/lxc/100', vmUser)).toBe('Permission check failed (/vms/100, VM.Allocate)');
    expect(await denied('PUT', '/nodes/pve/lxc/100/config', vmUser, { memory: 1024 })).toBe(
      'Permission check failed (/vms/100, VM.Config.Disk|VM.Config.CPU|VM.Config.Memory|VM.Config.Network|VM.Config.Options)',
    );
    // create (user: all in the schema; create_vm checks itself): a bare text for VM.Allocate, then per option
    const create = { vmid: 101, ostemplate: ALPINE_VOLID, rootfs: 'local-lvm:4', net0: 'name=eth0,bridge=vmbr0,ip=dhcp' };
    expect(await denied('POST', '/nodes/pve/lxc', vmUser, create)).toBe('Permission check failed');
    // VM.Allocate and the config privileges on the new guest, but no space on the disk's storage (the token has
    // no /storage ACL of its own, though its user has)
    emu.access.setAcl('/vms/101', ['PVEVMAdmin'], ['ops@pve', vmUser.id]);
    // read access to the template's storage (check_volume_access), then space on the rootfs storage
    expect(await denied('POST', '/nodes/pve/lxc', vmUser, create)).toBe(
      'Permission check failed (/storage/local, Datastore.AllocateSpace|Datastore.Audit)',
    );
    emu.access.setAcl('/storage/local', ['PVEAuditor'], [vmUser.id]);
    expect(await denied('POST', '/nodes/pve/lxc', vmUser, create)).toBe('Permission check failed (/storage/local-lvm, Datastore.AllocateSpace)');
    emu.access.setAcl('/storage', ['PVEDatastoreUser'], [vmUser.id]);
    const made = await call('POST', '/nodes/pve/lxc', vmUser, create);
    expect(made.status, made.text).toBe(200);
    expect(await emu.waitTask(made.json.data)).toBe('OK');
    // config update: the schema's "any VM.Config.*" lets a VM.Config.Memory holder in, then each option is checked
    seedAccess(emu.access, {
      roles: [{ roleid: 'MemoryOnly', privs: ['VM.Config.Memory', 'VM.Audit'] }],
      userid: 'mem@pve',
      acl: [{ path: '/vms', roles: ['MemoryOnly'] }],
      tokens: [{ tokenid: 'mm', privsep: 0 }],
    });
    const memOnly: Tok = { id: 'mem@pve!mm', secret: emu.access.token('mem@pve', 'mm').secret };
    expect((await call('PUT', '/nodes/pve/lxc/100/config', memOnly, { memory: 1024 })).status).toBe(200);
    expect(await denied('PUT', '/nodes/pve/lxc/100/config', memOnly, { memory: 512, hostname: 'x' })).toBe(
      'Permission check failed (/vms/100, VM.Config.Network)',
    );
    expect(await denied('PUT', '/nodes/pve/lxc/100/config', memOnly, { delete: 'description' })).toBe(
      'Permission check failed (/vms/100, VM.Config.Options)',
    );
    // node network and template download need Sys.Modify / Datastore.AllocateTemplate
    expect(await denied('POST', '/nodes/pve/network', vmUser, { iface: 'vmbr1', type: 'bridge' })).toBe('Permission check failed (/nodes/pve, Sys.Modify)');
    expect(await denied('PUT', '/nodes/pve/network', vmUser)).toBe('Permission check failed (/nodes/pve, Sys.Modify)');
    expect(await denied('POST', '/nodes/pve/aplinfo', vmUser, { storage: 'local', template: ALPINE })).toBe(
      'Permission check failed (/storage/local, Datastore.AllocateTemplate)',
    );
    const url = { url: 'https://example.invalid/t.tar.xz', content: 'vztmpl', filename: 't.tar.xz' };
    expect(await denied('POST', '/nodes/pve/storage/local/download-url', vmUser, url)).toBe(
      'Permission check failed (/storage/local, Datastore.AllocateTemplate)',
    );
    emu.access.setAcl('/storage/local', ['PVEDatastoreAdmin'], ['ops@pve', vmUser.id]);
    // has the storage privilege but neither Sys.Audit/Sys.Modify on / nor Sys.AccessNetwork on the node ("or")
    expect(await denied('POST', '/nodes/pve/storage/local/download-url', vmUser, url)).toBe('Permission check failed');
    // a list filtered by VM.Audit: the auditor sees both CTs, a token without /vms ACLs none
    expect((await call('GET', '/nodes/pve/lxc', auditor)).json.data.map((c: { vmid: number }) => c.vmid)).toEqual([100, 101]);
    expect((await call('GET', '/nodes/pve/lxc', greedy)).json.data.map((c: { vmid: number }) => c.vmid)).toEqual([100, 101]);
    // cluster/resources likewise: the default token sees everything, a token without ACLs only the node
    const ids = async (t: Tok | true) => (await call('GET', '/cluster/resources', t)).json.data.map((r: { id: string }) => r.id).sort();
    expect(await ids(true)).toEqual(['lxc/100', 'lxc/101', 'node/pve', 'storage/pve/local', 'storage/pve/local-lvm']);
    const bare = seedAccess(emu.access, { userid: 'bare@pve', tokens: [{ tokenid: 'none' }] }).tokens[0]!;
    expect(await ids({ id: bare.tokenId, secret: bare.tokenSecret })).toEqual(['node/pve']);
  });

  it('only Sys.Audit on /access shows someone else\'s permissions; own tokens need nothing', async () => {
    expect(await denied('GET', `/access/permissions?userid=${enc('auditor@pve')}`, vmUser)).toBe('Permission check failed (/access, Sys.Audit)');
    const own = await call('GET', `/access/permissions?userid=${enc('ops@pve!shared')}`, shared);
    expect(own.status).toBe(200);
    // a sibling token is someone else
    expect(await denied('GET', `/access/permissions?userid=${enc('ops@pve!greedy')}`, shared)).toBe('Permission check failed (/access, Sys.Audit)');
    const byAuditor = await call('GET', `/access/permissions?userid=${enc('ops@pve')}&path=${enc('/vms')}`, auditor);
    expect(Object.keys(byAuditor.json.data['/vms']).sort()).toEqual(sorted(BUILTIN_ROLES.PVEVMUser));
  });

  it('token endpoints: create, list, read, update, delete, with PVE errors', async () => {
    const created = await call('POST', `/access/users/${enc('ops@pve')}/token/ci`, true, { comment: 'for CI', expire: 0 });
    expect(created.status).toBe(200);
    expect(created.json.data).toEqual({ 'full-tokenid': 'ops@pve!ci', info: { privsep: 1, comment: 'for CI' }, value: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const dup = await call('POST', `/access/users/${enc('ops@pve')}/token/ci`, true);
    expect([dup.status, dup.json.errors]).toEqual([400, { tokenid: 'Token already exists.' }]);
    expect((await call('GET', `/access/users/${enc('ops@pve')}/token/ci`, true)).json.data).toEqual({ privsep: 1, comment: 'for CI' });
    const upd = await call('PUT', `/access/users/${enc('ops@pve')}/token/ci`, true, { privsep: 0, comment: 'shared now' });
    expect(upd.json.data).toEqual({ privsep: 0, comment: 'shared now' });
    const names = (await call('GET', `/access/users/${enc('ops@pve')}/token`, true)).json.data.map((t: { tokenid: string }) => t.tokenid);
    expect(names.sort()).toEqual(['ci', 'greedy', 'limited', 'shared']);
    const ci: Tok = { id: 'ops@pve!ci', secret: created.json.data.value };
    expect((await call('GET', '/access/permissions', ci)).status).toBe(200);
    // a user manages its own tokens; another user's need User.Modify
    expect((await call('GET', `/access/users/${enc('ops@pve')}/token`, ci)).status).toBe(403);
    expect(await denied('GET', `/access/users/${enc('root@pam')}/token`, ci)).toBe('Permission check failed');
    expect((await call('DELETE', `/access/users/${enc('ops@pve')}/token/ci`, true)).status).toBe(200);
    expect((await call('GET', '/access/permissions', ci)).status).toBe(401);
    const gone = await call('GET', `/access/users/${enc('ops@pve')}/token/ci`, true);
    expect([gone.status, gone.reason]).toEqual([500, "no such token 'ci' for user 'ops@pve'"]);
    const nouser = await call('POST', `/access/users/${enc('nobody@pve')}/token/xx`, true);
    expect([nouser.status, nouser.reason]).toEqual([500, "no such user ('nobody@pve')"]);
  });

  it('users log in with their password; the login answer carries their capabilities', async () => {
    const r = await raw(emu, 'POST', '/access/ticket', { body: form({ username: 'ops@pve', password: 'ops-secret' }) });
    expect(r.status).toBe(200);
    expect(r.json.data.username).toBe('ops@pve');
    expect(r.json.data.cap.vms).toHaveProperty('VM.PowerMgmt', 1);
    expect(r.json.data.cap.nodes).toEqual({});
    expect((await raw(emu, 'POST', '/access/ticket', { body: form({ username: 'ops@pve', password: 'wrong' }) })).status).toBe(401);
  });

  it('the control endpoint seeds a user with limited ACLs and tokens (POST /access)', async () => {
    const res = await fetch(`${emu.control.url}/access`, {
      method: 'POST',
      headers: { 'X-Lab-Token': emu.control.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ userid: 'deploy@pve', acl: [{ path: '/vms', roles: ['PVEVMAdmin'] }], tokens: [{ tokenid: 'app', acl: [{ path: '/vms', roles: ['PVEVMUser'] }] }] }),
    });
    const body = (await res.json()) as { ok: boolean; tokens: { tokenId: string; tokenSecret: string }[] };
    expect(body.ok).toBe(true);
    const app: Tok = { id: body.tokens[0]!.tokenId, secret: body.tokens[0]!.tokenSecret };
    expect(app.id).toBe('deploy@pve!app');
    expect(await denied('DELETE', '/nodes/pve/lxc/100', app)).toBe('Permission check failed (/vms/100, VM.Allocate)');
    const bad = await fetch(`${emu.control.url}/access`, {
      method: 'POST',
      headers: { 'X-Lab-Token': emu.control.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ userid: 'x@pve', acl: [{ path: '/vms', roles: ['NoSuchRole'] }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("role 'NoSuchRole' does not exist");
  });
});

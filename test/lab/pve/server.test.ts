// Wire format of the emulator's HTTPS layer (pve-http-server): envelope, exact content type, errors, 501, params.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRecordedRequest } from './schema';
import type { Emulator } from './emulator';
import { formToParams, reasonPhrase } from './server';
import { raw, startTestEmulator } from './test-helpers';
import { PveHttpError } from './types';

let emu: Emulator;
const seen: Record<string, any>[] = [];

beforeAll(async () => {
  emu = await startTestEmulator({
    registerRoutes: (routes) => {
      routes.on('GET', '/nodes/{node}/lxc', () => ({ data: [{ vmid: 100, status: 'stopped' }], total: 1 }));
      routes.on('GET', '/nodes/{node}/network', () => ({ data: [], changes: '--- /etc/network/interfaces\n+++ new\n' }));
      routes.on('GET', '/cluster/nextid', () => '100');
      routes.on('GET', '/nodes/{node}/storage', () => ({ data: [], total: 0, changes: '' }));
      routes.on('PUT', '/nodes/{node}/lxc/{vmid}/config', ({ params }) => void seen.push(params));
      routes.on('PUT', '/cluster/notifications/endpoints/gotify/{name}', ({ params }) => void seen.push(params));
      routes.on('GET', '/nodes/{node}/lxc/{vmid}/status/current', ({ params }) => {
        throw new PveHttpError(500, `Configuration file 'nodes/${params.node}/lxc/${params.vmid}.conf' does not exist`);
      });
      routes.on('GET', '/nodes/{node}/lxc/{vmid}/config', () => {
        throw new Error('unexpected boom\nsecond line');
      });
    },
  });
});
afterAll(() => emu?.close());

describe('envelope', () => {
  it('wraps data as {"data":...} with the exact PVE content type and puts total at top level', async () => {
    const r = await raw(emu, 'GET', '/nodes/pve/lxc', { token: true });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(r.headers.server).toBe('pve-api-daemon/3.0');
    expect(JSON.parse(r.text)).toEqual({ data: [{ vmid: 100, status: 'stopped' }], total: 1 });
  });

  it('puts changes at top level, and returns strings where PVE does (nextid)', async () => {
    const net = await raw(emu, 'GET', '/nodes/pve/network', { token: true });
    expect(net.json).toEqual({ changes: '--- /etc/network/interfaces\n+++ new\n', data: [] });
    const id = await raw(emu, 'GET', '/cluster/nextid', { token: true });
    expect(id.text).toBe('{"data":"100"}');
    // PVE's formatter leaves out a zero total and empty changes
    expect((await raw(emu, 'GET', '/nodes/pve/storage', { token: true })).text).toBe('{"data":[]}');
  });

  it('answers a handler returning nothing with {"data":null}', async () => {
    const r = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { token: true, body: 'memory=256' });
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"data":null}');
    expect(seen.at(-1)).toMatchObject({ node: 'pve', vmid: 100, memory: 256 });
  });
});

describe('errors', () => {
  it('501 for a path PVE does not know, message as reason phrase and in the body', async () => {
    const r = await raw(emu, 'GET', '/nope/really', { token: true });
    expect(r.status).toBe(501);
    expect(r.reason).toBe("Method 'GET /nope/really' not implemented");
    expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(r.json).toEqual({ data: null, message: "Method 'GET /nope/really' not implemented\n" });
  });

  it('501 for a PVE method the lab does not implement', async () => {
    const r = await raw(emu, 'GET', '/nodes/pve/qemu', { token: true });
    expect(r.status).toBe(501);
    expect(r.reason).toBe("Method 'GET /nodes/pve/qemu' not implemented");
  });

  it('handler errors keep their status; plain exceptions are 500 with the first line as reason', async () => {
    const a = await raw(emu, 'GET', '/nodes/pve/lxc/999/status/current', { token: true });
    expect(a.status).toBe(500);
    expect(a.reason).toBe("Configuration file 'nodes/pve/lxc/999.conf' does not exist");
    expect(a.json).toEqual({ data: null, message: "Configuration file 'nodes/pve/lxc/999.conf' does not exist\n" });
    const b = await raw(emu, 'GET', '/nodes/pve/lxc/100/config', { token: true });
    expect(b.status).toBe(500);
    expect(b.reason).toBe('unexpected boom');
  });

  it('400 Parameter verification failed with an errors map: unknown, wrong type, missing, duplicate', async () => {
    const unknown = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { token: true, body: 'bogus=1' });
    expect(unknown.status).toBe(400);
    expect(unknown.reason).toBe('Parameter verification failed.');
    expect(unknown.json.message).toBe('Parameter verification failed.\n');
    expect(unknown.json.data).toBeNull();
    expect(Object.keys(unknown.json.errors)).toEqual(['bogus']);
    const wrongType = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { token: true, body: 'memory=lots' });
    expect(wrongType.status).toBe(400);
    expect(Object.keys(wrongType.json.errors)).toEqual(['memory']);
    const badVmid = await raw(emu, 'PUT', '/nodes/pve/lxc/abc/config', { token: true, body: 'memory=64' });
    expect(badVmid.status).toBe(400);
    expect(Object.keys(badVmid.json.errors)).toEqual(['vmid']);
    const missing = await raw(emu, 'POST', '/nodes/pve/lxc', { token: true, body: 'hostname=web' });
    expect(missing.status).toBe(400);
    expect(missing.json.errors).toEqual({
      vmid: 'property is missing and it is not optional',
      ostemplate: 'property is missing and it is not optional',
    });
    const dup = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { token: true, body: 'vmid=101' });
    expect(dup.json.errors).toEqual({ vmid: 'duplicate parameter (already defined in URI)' });
  });

  it('refuses a body on GET like pveproxy', async () => {
    const r = await raw(emu, 'GET', '/nodes/pve/lxc', { token: true, body: 'x=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(501);
    expect(r.reason).toBe("Unexpected content for method 'GET'");
  });
});

describe('parameters', () => {
  it('accepts JSON bodies with JSON types and form bodies with repeated keys as arrays', async () => {
    const j = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { token: true, body: { memory: 512, onboot: true } });
    expect(j.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ memory: 512, onboot: 1 });
    const f = await raw(emu, 'PUT', '/cluster/notifications/endpoints/gotify/gw1', { token: true, body: 'delete=comment&delete=disable' });
    expect(f.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ name: 'gw1', delete: ['comment', 'disable'] });
  });

  it('logs every request so tests can check it against the schema', async () => {
    const entry = emu.requests.find((e) => e.path === '/api2/json/nodes/pve/lxc/100/config' && e.method === 'PUT' && e.status === 200)!;
    expect(entry).toMatchObject({ source: 'http', identity: 'root@pam!proximity', template: '/nodes/{node}/lxc/{vmid}/config' });
    expect(validateRecordedRequest(emu.schema, entry)).toEqual([]);
    const bad = emu.requests.find((e) => e.status === 400 && 'bogus' in e.params)!;
    expect(validateRecordedRequest(emu.schema, bad).length).toBe(1);
  });

  it('formToParams and reasonPhrase', () => {
    expect(formToParams(new URLSearchParams('a=1&b=2&a=3'))).toEqual({ a: ['1', '3'], b: '2' });
    expect(reasonPhrase('first line\nsecond')).toBe('first line');
    expect(reasonPhrase('naïve €')).toBe('na?ve ?');
  });
});

describe('schema versions', () => {
  it('validates against PVE 9.1 when selected (entrypoint is a 9.x container option)', async () => {
    const got: unknown[] = [];
    const v91 = await startTestEmulator({
      schema: '9.1',
      registerRoutes: (r) => r.on('PUT', '/nodes/{node}/lxc/{vmid}/config', ({ params }) => void got.push(params)),
    });
    try {
      const ok = await raw(v91, 'PUT', '/nodes/pve/lxc/100/config', { token: true, body: 'entrypoint=/sbin/init' });
      expect(ok.status).toBe(200);
      expect(got).toEqual([expect.objectContaining({ entrypoint: '/sbin/init' })]);
      expect((await raw(v91, 'GET', '/version', { token: true })).json.data.version).toBe('9.1.1');
    } finally {
      await v91.close();
    }
    const old = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { token: true, body: 'entrypoint=/sbin/init' });
    expect(old.status).toBe(400);
    expect(Object.keys(old.json.errors)).toEqual(['entrypoint']);
  });
});

describe('in-process callApi', () => {
  it('runs through the same validation and handlers, without HTTP', async () => {
    expect(await emu.callApi('GET', '/cluster/nextid')).toBe('100');
    await emu.callApi('PUT', '/nodes/pve/lxc/100/config', { memory: '128' });
    expect(seen.at(-1)).toMatchObject({ memory: 128 });
    await expect(emu.callApi('PUT', '/nodes/pve/lxc/100/config', { nope: '1' })).rejects.toMatchObject({
      status: 400,
      errors: { nope: expect.any(String) },
    });
    await expect(emu.callApi('GET', '/nodes/pve/qemu')).rejects.toMatchObject({ status: 501 });
    expect(emu.requests.at(-1)).toMatchObject({ source: 'in-process', identity: 'root@pam', status: 501 });
  });
});

// validateRecordedRequest (contract checks of what our client sends), checkReturns, and schema loading.
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSchema, schemaDir, validateRecordedRequest } from './index';

const s84 = loadSchema('8.4');
const s91 = loadSchema('9.1');

describe('validateRecordedRequest', () => {
  it('accepts good requests with /api2/json prefix and query strings', () => {
    expect(validateRecordedRequest(s84, { method: 'GET', path: '/api2/json/cluster/resources?type=vm', params: {} })).toEqual([]);
    expect(
      validateRecordedRequest(s84, {
        method: 'POST',
        path: '/api2/json/nodes/pve/lxc',
        params: { vmid: 101, ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', net0: 'name=eth0,bridge=vmbr0,ip=dhcp', unprivileged: 1 },
      }),
    ).toEqual([]);
    expect(
      validateRecordedRequest(s84, { method: 'POST', path: '/api2/json/access/ticket', params: { username: 'root@pam', password: 'x' } }),
    ).toEqual([]);
    expect(
      validateRecordedRequest(s84, { method: 'GET', path: '/api2/json/nodes/pve/tasks/UPID:pve:00001234:0000ABCD:67000000:vzcreate:101:root@pam:/log?start=0&limit=50', params: {} }),
    ).toEqual([]);
  });

  it('accepts raw (escaped) and logged (unescaped) paths', () => {
    const escaped = '/api2/json/nodes/pve/storage/local/content/local%3Avztmpl%2Fa.tar.zst';
    expect(validateRecordedRequest(s84, { method: 'DELETE', path: escaped, params: {} })).toEqual([]);
    expect(validateRecordedRequest(s84, { method: 'DELETE', path: decodeURIComponent(escaped), params: {} })).toEqual([]);
    expect(validateRecordedRequest(s84, { method: 'GET', path: '/api2/json/nodes/pve%/lxc', params: {} })).toEqual([
      "node: invalid format - value does not look like a valid node name",
    ]);
  });

  it('lists each problem as "param: message" (trailing newline dropped)', () => {
    expect(validateRecordedRequest(s84, { method: 'GET', path: '/api2/json/cluster/nextid?vmid=12', params: {} })).toEqual([
      'vmid: invalid format - value does not look like a valid VM ID',
    ]);
    expect(
      validateRecordedRequest(s84, { method: 'POST', path: '/api2/json/nodes/pve/lxc/100/status/start', params: { force: 1 } }),
    ).toEqual(['force: property is not defined in schema and the schema does not allow additional properties']);
  });

  it('collects repeated query keys and reports unknown methods like PVE 501', () => {
    expect(validateRecordedRequest(s84, { method: 'GET', path: '/api2/json/cluster/resources?type=vm&type=node', params: {} })).toEqual([
      "type: value 'vm\u0000node' does not have a value in the enumeration 'vm, storage, node, sdn'",
    ]);
    expect(validateRecordedRequest(s84, { method: 'PATCH', path: '/api2/json/nodes', params: {} })).toEqual([
      "Method 'PATCH /nodes' not implemented",
    ]);
  });

  it('checks JSON bodies with JSON semantics', () => {
    const req = { method: 'PUT', path: '/api2/json/nodes/pve/lxc/100/config', params: { onboot: true }, encoding: 'json' as const };
    expect(validateRecordedRequest(s84, req)).toEqual([]);
    expect(validateRecordedRequest(s84, { ...req, encoding: 'form' })).toEqual(["onboot: type check ('boolean') failed - got 'true'"]);
  });

  it('knows which version has which parameter', () => {
    const req = { method: 'PUT', path: '/nodes/pve/network', params: { 'regenerate-frr': 1 } };
    expect(validateRecordedRequest(s91, req)).toEqual([]);
    expect(validateRecordedRequest(s84, req)).toEqual([
      'regenerate-frr: property is not defined in schema and the schema does not allow additional properties',
    ]);
  });
});

describe('checkReturns', () => {
  const route = (m: string, p: string) => s84.resolve(m, p)!;

  it('accepts PVE-shaped data (numeric strings for integers, null responses)', () => {
    expect(s84.checkReturns(route('GET', '/cluster/nextid'), '100')).toEqual([]);
    expect(s84.checkReturns(route('GET', '/cluster/nextid'), 100)).toEqual([]);
    expect(s84.checkReturns(route('GET', '/nodes/pve/lxc/100/interfaces'), null)).toEqual([]);
    expect(s84.checkReturns(route('GET', '/nodes/pve/tasks/UPID:x/log'), [{ n: 1, t: 'TASK OK' }])).toEqual([]);
    const status = { status: 'running', vmid: 100, ha: { managed: 0 }, name: 'app', extra: 'fine' };
    expect(s84.checkReturns(route('GET', '/nodes/pve/lxc/100/status/current'), status)).toEqual([]);
  });

  it('reports wrong types, missing required properties and enum violations', () => {
    expect(s84.checkReturns(route('GET', '/cluster/nextid'), 'abc')).toEqual(['data: expected "integer", got "abc"']);
    expect(s84.checkReturns(route('GET', '/nodes/pve/lxc/100/status/current'), { status: 'paused', vmid: 100 })).toEqual([
      'data.ha: missing (not optional)',
      "data.status: 'paused' not in enum stopped, running",
    ]);
    expect(s84.checkReturns(route('GET', '/nodes/pve/tasks/UPID:x/log'), [{ n: 'one', t: 'x' }])).toEqual([
      'data[0].n: expected "integer", got "one"',
    ]);
  });
});

describe('loading', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads the schema vendored inside the repository (test/lab/pve/schema/data), nothing outside it', () => {
    const repoRoot = path.resolve(__dirname, '../../../..');
    expect(schemaDir()).toBe(path.join(repoRoot, 'test', 'lab', 'pve', 'schema', 'data'));
    expect(path.relative(repoRoot, schemaDir()).startsWith('..')).toBe(false);
  });

  it('honours PROXIMITY_PVE_SCHEMA_DIR and names the missing file in the error', async () => {
    vi.stubEnv('PROXIMITY_PVE_SCHEMA_DIR', '/nonexistent/pve-api');
    vi.resetModules();
    const fresh = await import('./load');
    expect(fresh.schemaDir()).toBe('/nonexistent/pve-api');
    expect(() => fresh.loadSchema('9.1')).toThrow('PVE API schema file not found: /nonexistent/pve-api/pve-9.1-endpoints-flat.json');
  });
});

// Parameter validation: each PVE JSONSchema.pm error class with its exact message, coercion, encodings.
import { describe, expect, it } from 'vitest';
import { loadSchema, type ResolvedRoute } from './index';

const s84 = loadSchema('8.4');
const s91 = loadSchema('9.1');

function route(method: string, path: string, schema = s84): ResolvedRoute {
  const r = schema.resolve(method, path);
  if (!r) throw new Error(`no route ${method} ${path}`);
  return r;
}

const create = route('POST', '/nodes/pve/lxc');
const base = { vmid: '100', ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst' };
const errorsOf = (r: ResolvedRoute, params: Record<string, unknown>, encoding?: 'form' | 'json') => {
  const res = s84.validate(r, params, { encoding });
  return res.ok ? {} : res.errors;
};

describe('error classes (messages exactly as PVE)', () => {
  it('missing required parameter', () => {
    expect(errorsOf(create, { vmid: '100' })).toEqual({ ostemplate: 'property is missing and it is not optional' });
  });

  it('unknown parameter', () => {
    expect(errorsOf(create, { ...base, bogus: '1' })).toEqual({
      bogus: 'property is not defined in schema and the schema does not allow additional properties',
    });
  });

  it('integer, number and boolean type checks', () => {
    expect(errorsOf(create, { ...base, cores: 'abc', cpulimit: '1.5x', onboot: 'yes' })).toEqual({
      cores: "type check ('integer') failed - got 'abc'",
      cpulimit: "type check ('number') failed - got '1.5x'",
      onboot: "type check ('boolean') failed - got 'yes'",
    });
    expect(errorsOf(create, { ...base, cores: '2.0' }).cores).toBe("type check ('integer') failed - got '2.0'");
  });

  it('minimum / maximum (format is checked before the range)', () => {
    expect(errorsOf(create, { ...base, memory: '8', cores: '9000' })).toEqual({
      memory: 'value must have a minimum value of 16',
      cores: 'value must have a maximum value of 8192',
    });
    expect(errorsOf(create, { ...base, vmid: '1000000000' }).vmid).toBe(
      'invalid format - value does not look like a valid VM ID\n',
    );
    const nextid = route('GET', '/cluster/nextid');
    expect(errorsOf(nextid, { vmid: '99' }).vmid).toBe('invalid format - value does not look like a valid VM ID\n');
  });

  it('enum', () => {
    expect(errorsOf(create, { ...base, ostype: 'windows' }).ostype).toBe(
      "value 'windows' does not have a value in the enumeration " +
        "'debian, devuan, ubuntu, centos, fedora, opensuse, archlinux, alpine, gentoo, nixos, unmanaged'",
    );
    const resources = route('GET', '/cluster/resources');
    expect(errorsOf(resources, { type: 'lxc' }).type).toBe(
      "value 'lxc' does not have a value in the enumeration 'vm, storage, node, sdn'",
    );
  });

  it('maxLength / minLength', () => {
    expect(errorsOf(create, { ...base, password: 'abc' }).password).toBe('value must be at least 5 characters long');
    const ticket = route('POST', '/access/ticket');
    expect(errorsOf(ticket, { username: 'u'.repeat(65) + '@pam', password: 'x' }).username).toBe(
      'value may only be 64 characters long',
    );
  });

  it('pattern (anchored, Perl syntax converted)', () => {
    // firewall rule `action`: pattern [A-Za-z][A-Za-z0-9\-\_]+ (whole value must match)
    const rules = route('POST', '/nodes/pve/lxc/100/firewall/rules');
    expect(errorsOf(rules, { type: 'in', action: 'ACCEPT' })).toEqual({});
    expect(errorsOf(rules, { type: 'in', action: 'ACCEPT!' })).toEqual({ action: 'value does not match the regex pattern' });
    expect(errorsOf(rules, { type: 'in', action: 'x' })).toEqual({ action: 'value does not match the regex pattern' });
    const bw = route('POST', '/nodes/pve/lxc');
    expect(errorsOf(bw, { ...base, net0: 'name=eth0,trunks=1;x' }).net0).toBe(
      'invalid format - format error\nnet0.trunks: value does not match the regex pattern\n',
    );
  });

  it('requires: the error is keyed on the required property', () => {
    expect(errorsOf(create, { ...base, unique: '1' })).toEqual({
      restore: "missing property - 'unique' requires this property",
    });
    expect(errorsOf(create, { ...base, unique: '1', restore: '1' })).toEqual({});
    const ticket = route('POST', '/access/ticket');
    expect(errorsOf(ticket, { username: 'root@pam', password: 'x', path: '/vms' })).toEqual({
      privs: "missing property - 'path' requires this property",
    });
  });

  it('named formats in top-level params', () => {
    expect(errorsOf(create, { ...base, hostname: 'bad_name' }).hostname).toBe(
      'invalid format - value does not look like a valid DNS name\n',
    );
    expect(errorsOf(create, { ...base, storage: '1bad' }).storage).toBe(
      "invalid format - storage ID '1bad' contains illegal characters\n",
    );
    const net = route('POST', '/nodes/pve/network');
    expect(errorsOf(net, { iface: 'vmbr1', type: 'bridge', cidr: '10.0.0.1/33' }).cidr).toBe(
      'invalid format - value does not look like a valid IPv4 CIDR network\n',
    );
    expect(errorsOf(net, { iface: '1abc', type: 'bridge' }).iface).toBe(
      "invalid format - invalid network interface name '1abc'\n",
    );
    expect(errorsOf(net, { iface: 'vmbr1', type: 'bridge', cidr: '10.20.0.1/24', autostart: '1', bridge_ports: 'eth0 eth1' })).toEqual({});
  });

  it('validates path params like any other (bad node name => errors.node)', () => {
    const r = route('GET', '/nodes/bad_node!/lxc');
    expect(errorsOf(r, {})).toEqual({ node: 'invalid format - value does not look like a valid node name\n' });
    const vm = route('GET', '/nodes/pve/lxc/abc/status/current');
    expect(errorsOf(vm, {})).toEqual({ vmid: "type check ('integer') failed - got 'abc'" });
  });

  it('path params win over body values with the same name', () => {
    const r = route('POST', '/nodes/pve/lxc/100/status/start');
    const res = s84.validate(r, { vmid: '999', node: 'other' });
    expect(res).toEqual({ ok: true, params: { node: 'pve', vmid: 100 } });
  });
});

describe('coercion and encodings', () => {
  it('returns integers/numbers as numbers, booleans as 0|1, strings as strings', () => {
    const res = s84.validate(create, { ...base, cores: '2', cpulimit: '1.5', unprivileged: '1', start: '0', hostname: 'app1' });
    expect(res).toEqual({
      ok: true,
      params: { ...base, node: 'pve', vmid: 100, cores: 2, cpulimit: 1.5, unprivileged: 1, start: 0, hostname: 'app1' },
    });
  });

  it('form encoding: only 0/1 are booleans; an empty value counts as not given', () => {
    expect(errorsOf(create, { ...base, start: 'true' }).start).toBe("type check ('boolean') failed - got 'true'");
    expect(errorsOf(create, { vmid: '100', ostemplate: '' })).toEqual({
      ostemplate: 'property is missing and it is not optional',
    });
    const res = s84.validate(create, { ...base, description: '' });
    expect(res.ok && 'description' in res.params).toBe(false);
  });

  it('JSON encoding: true/false are booleans, JSON numbers work, arrays/objects fail scalar types', () => {
    const res = s84.validate(create, { vmid: 100, ostemplate: base.ostemplate, start: true, unprivileged: false, cores: 2 }, { encoding: 'json' });
    expect(res).toEqual({
      ok: true,
      params: { vmid: 100, ostemplate: base.ostemplate, start: 1, unprivileged: 0, cores: 2, node: 'pve' },
    });
    expect(errorsOf(create, { ...base, hostname: ['a'] }, 'json').hostname).toBe("type check ('string') failed - got ARRAY");
    expect(errorsOf(create, { ...base, cores: { n: 1 } }, 'json').cores).toBe("type check ('integer') failed - got HASH");
    expect(errorsOf(create, { ...base, hostname: true }, 'json').hostname).toBe(
      "type check ('string') failed - got JSON::PP::Boolean",
    );
    // form encoding sends the text of the value
    expect(errorsOf(create, { ...base, start: true }, 'form').start).toBe("type check ('boolean') failed - got 'true'");
  });

  it('repeated keys: arrays for type array, NUL-joined for -list formats', () => {
    const vz = route('POST', '/nodes/pve/vzdump');
    const res = s84.validate(vz, { vmid: ['100', '101'], 'exclude-path': ['/tmp', '/var/cache'], mode: 'snapshot' });
    expect(res).toEqual({
      ok: true,
      params: { node: 'pve', vmid: '100\u0000101', 'exclude-path': ['/tmp', '/var/cache'], mode: 'snapshot' },
    });
    const single = s84.validate(vz, { 'exclude-path': '/tmp', all: '1' });
    expect(single.ok && single.params['exclude-path']).toEqual(['/tmp']);
    expect(errorsOf(vz, { vmid: ['100', 'abc'] }).vmid).toBe('invalid format - value does not look like a valid VM ID\n');
  });

  it('-list formats split on , ; and whitespace', () => {
    const vz = route('POST', '/nodes/pve/vzdump');
    expect(errorsOf(vz, { vmid: '100,101;102 103', compress: 'zstd' })).toEqual({});
    expect(errorsOf(vz, { vmid: '100,10' }).vmid).toBe('invalid format - value does not look like a valid VM ID\n');
    const cfg = route('PUT', '/nodes/pve/lxc/100/config');
    expect(errorsOf(cfg, { delete: 'net1,mp0;description' })).toEqual({});
    expect(errorsOf(cfg, { delete: 'net1,9bad' }).delete).toBe("invalid format - invalid configuration ID '9bad'\n");
    expect(errorsOf(cfg, { tags: 'web;prod', searchdomain: 'prox.local lab.local', nameserver: '10.20.0.1 fe80::1%eth0' })).toEqual({});
  });

  it('named property-string formats (vzdump prune-backups)', () => {
    const vz = route('POST', '/nodes/pve/vzdump');
    expect(errorsOf(vz, { all: '1', 'prune-backups': 'keep-last=3,keep-daily=7' })).toEqual({});
    expect(errorsOf(vz, { all: '1', 'prune-backups': 'keep-last=0' })['prune-backups']).toBe(
      'invalid format - format error\nprune-backups.keep-last: value must have a minimum value of 1\n',
    );
  });

  it('treats odd parameter names as plain unknown parameters', () => {
    const params = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "x"}') as Record<string, unknown>;
    const unknown = 'property is not defined in schema and the schema does not allow additional properties';
    const errors = errorsOf(create, { ...base, ...params });
    expect(Object.keys(errors).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(errors, '__proto__')?.value).toBe(unknown);
    expect(errors.constructor).toBe(unknown);
    const res = s84.validate(route('GET', '/cluster'), params, { encoding: 'json' });
    expect(res.ok && Object.getPrototypeOf(res.params)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('endpoints without properties accept anything (PVE checks nothing there)', () => {
    expect(s84.validate(route('GET', '/cluster'), { anything: '1' }).ok).toBe(true);
  });
});

describe('9.1 schema', () => {
  it('accepts entrypoint/env on LXC create, which 8.4 rejects as unknown', () => {
    const params = { ...base, entrypoint: '/sbin/init', env: 'FOO=bar' };
    expect(s91.validate(route('POST', '/nodes/pve/lxc', s91), params).ok).toBe(true);
    expect(errorsOf(create, params)).toEqual({
      entrypoint: 'property is not defined in schema and the schema does not allow additional properties',
      env: 'property is not defined in schema and the schema does not allow additional properties',
    });
  });
});

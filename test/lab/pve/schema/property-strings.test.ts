// Property strings (net[n], features, rootfs, mp[n]) and indexed parameters, against the real 8.4 schema.
import { describe, expect, it } from 'vitest';
import { loadSchema, parsePropertyString, PropertyStringError } from './index';

const s84 = loadSchema('8.4');
const create = s84.resolve('POST', '/nodes/pve/lxc')!;
const props = create.info.parameters.properties as Record<string, { format: object }>;
const base = { vmid: '100', ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst' };
const errorsOf = (params: Record<string, unknown>) => {
  const res = s84.validate(create, { ...base, ...params });
  return res.ok ? {} : res.errors;
};

describe('net[n]', () => {
  it('accepts a typical Proximity NIC (dhcp and static)', () => {
    expect(errorsOf({ net0: 'name=eth0,bridge=vmbr0,ip=dhcp,firewall=1' })).toEqual({});
    expect(errorsOf({ net1: 'name=eth1,bridge=proxbr0,ip=10.20.0.5/24,gw=10.20.0.1,hwaddr=BC:24:11:00:00:01,tag=10,mtu=1500' })).toEqual({});
    expect(errorsOf({ net31: 'name=eth31,bridge=vmbr0,ip=manual' })).toEqual({});
  });

  it('reports unknown keys the way pve-common 8.x does (check_object, not "invalid key")', () => {
    expect(errorsOf({ net0: 'name=eth0,bridge=vmbr0,vnet=x' })).toEqual({
      net0:
        'invalid format - format error\nnet0.vnet: property is not defined in schema and the schema does not allow additional properties\n',
    });
    // A stray space after a comma is part of the key, so ` bridge` is an unknown key.
    expect(errorsOf({ net0: 'name=eth0, bridge=vmbr0' })).toEqual({
      net0:
        'invalid format - format error\nnet0. bridge: property is not defined in schema and the schema does not allow additional properties\n',
    });
    // Unknown keys and other sub-key errors are collected together.
    const both = errorsOf({ net0: 'bridge=vmbr0,colour=red' }).net0;
    expect(both).toContain('net0.colour: property is not defined in schema and the schema does not allow additional properties\n');
    expect(both).toContain('net0.name: property is missing and it is not optional\n');
  });

  it('keeps the texts parse_property_string still dies with', () => {
    expect(errorsOf({ net0: 'name=eth0,name=eth1' }).net0).toBe('invalid format - duplicate key in comma-separated list property: name\n');
    expect(errorsOf({ net0: 'eth0,bridge=vmbr0' }).net0).toBe(
      'invalid format - value without key, but schema does not define a default key\n',
    );
    expect(errorsOf({ net0: 'name=eth0,=vmbr0' }).net0).toBe('invalid format - missing key in comma-separated list property\n');
    expect(errorsOf({ rootfs: 'local-lvm:8,local-lvm:9' }).rootfs).toBe(
      'invalid format - duplicate key in comma-separated list property: volume\n',
    );
  });

  it('reports sub-key errors as "format error" lines keyed net0.<key>', () => {
    expect(errorsOf({ net0: 'name=eth0,bridge=vmbr0,ip=10.0.0.300/24' })).toEqual({
      net0: 'invalid format - format error\nnet0.ip: invalid format - value does not look like a valid ipv4 network configuration\n\n',
    });
    expect(errorsOf({ net0: 'name=eth0,bridge=vm br0' }).net0).toBe(
      'invalid format - format error\nnet0.bridge: value does not match the regex pattern\n',
    );
    expect(errorsOf({ net0: 'name=eth0,gw=10.0.0' }).net0).toContain('net0.gw: invalid format - value does not look like a valid IPv4 address');
    expect(errorsOf({ net0: 'name=eth0,hwaddr=01:00:00:00:00:01' }).net0).toContain(
      'net0.hwaddr: invalid format - value does not look like a valid unicast MAC address',
    );
    expect(errorsOf({ net0: 'name=eth0,tag=5000' }).net0).toContain('net0.tag: value must have a maximum value of 4094');
    expect(errorsOf({ net0: 'name=eth/0' }).net0).toContain('net0.name: value does not match the regex pattern');
    expect(errorsOf({ net0: 'bridge=vmbr0' }).net0).toBe(
      'invalid format - format error\nnet0.name: property is missing and it is not optional\n',
    );
  });

  it('refuses malformed parts like PVE', () => {
    expect(errorsOf({ net0: 'name=eth0,name=eth1' }).net0).toBe(
      'invalid format - duplicate key in comma-separated list property: name\n',
    );
    expect(errorsOf({ net0: 'eth0' }).net0).toBe(
      'invalid format - value without key, but schema does not define a default key\n',
    );
    expect(errorsOf({ net0: 'name=' }).net0).toBe('invalid format - missing key in comma-separated list property\n');
  });
});

describe('indexed parameters', () => {
  it('net0..net31 exist, net32 and net01 do not', () => {
    const unknown = 'property is not defined in schema and the schema does not allow additional properties';
    expect(errorsOf({ net32: 'name=eth0', net01: 'name=eth0' })).toEqual({ net32: unknown, net01: unknown });
    expect(errorsOf({ mp255: 'local-lvm:8,mp=/data', dev255: '/dev/null', unused255: 'local:vm-100-disk-1' })).toEqual({});
    expect(errorsOf({ mp256: 'local-lvm:8,mp=/data' })).toEqual({ mp256: unknown });
  });

  it('coerces nothing inside the string: validated values stay the original text', () => {
    const res = s84.validate(create, { ...base, net0: 'name=eth0,firewall=yes' });
    expect(res.ok && res.params.net0).toBe('name=eth0,firewall=yes');
  });
});

describe('features, rootfs, mp[n]', () => {
  it('features nesting=1,keyctl=1 (booleans in property strings take yes/no/true/false too)', () => {
    expect(errorsOf({ features: 'nesting=1,keyctl=1' })).toEqual({});
    expect(errorsOf({ features: 'nesting=true,fuse=off' })).toEqual({});
    expect(errorsOf({ features: 'nesting=maybe' }).features).toBe(
      "invalid format - format error\nfeatures.nesting: type check ('boolean') failed - got 'maybe'\n",
    );
    expect(errorsOf({ features: 'mount=nfs;cifs' })).toEqual({});
  });

  it('rootfs uses the default key (volume) and size must be a disk size', () => {
    expect(errorsOf({ rootfs: 'local-lvm:8' })).toEqual({});
    expect(errorsOf({ rootfs: 'volume=local-lvm:8,size=8G,mountoptions=noatime;nodev' })).toEqual({});
    expect(errorsOf({ rootfs: 'local-lvm:8,size=8X' }).rootfs).toContain(
      'rootfs.size: invalid format - value does not look like a valid disk size: 8X',
    );
    expect(errorsOf({ rootfs: 'local-lvm:8,local-lvm:9' }).rootfs).toBe(
      'invalid format - duplicate key in comma-separated list property: volume\n',
    );
  });

  it('mp[n] needs mp= and refuses ../ sequences', () => {
    expect(errorsOf({ mp0: 'local-lvm:4' }).mp0).toBe('invalid format - format error\nmp0.mp: property is missing and it is not optional\n');
    expect(errorsOf({ mp0: 'local-lvm:4,mp=/srv/../etc' }).mp0).toContain('mp0.mp: invalid format - /srv/../etc contains illegal character sequences');
  });
});

describe('parsePropertyString', () => {
  it('returns typed values', () => {
    expect(parsePropertyString(props['net[n]'].format, 'name=eth0,bridge=vmbr0,ip=dhcp,firewall=yes,tag=5,rate=1.5')).toEqual({
      name: 'eth0',
      bridge: 'vmbr0',
      ip: 'dhcp',
      firewall: 1,
      tag: 5,
      rate: 1.5,
    });
    expect(parsePropertyString(props.rootfs.format, 'local-lvm:8,ro=0')).toEqual({ volume: 'local-lvm:8', ro: 0 });
    expect(parsePropertyString('prune-backups', 'keep-last=3')).toEqual({ 'keep-last': 3 });
  });

  it('throws PropertyStringError with PVE text and the errors map', () => {
    let caught: unknown;
    try {
      parsePropertyString(props['net[n]'].format, 'bridge=vmbr0,ip=bad', { path: 'net0' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PropertyStringError);
    const e = caught as PropertyStringError;
    expect(e.errors).toEqual({
      'net0.ip': 'invalid format - value does not look like a valid ipv4 network configuration\n',
      'net0.name': 'property is missing and it is not optional',
    });
    expect(e.message.startsWith('format error\n')).toBe(true);
    expect(() => parsePropertyString(props.features.format, 'bogus=1', { path: 'features' })).toThrow(
      'format error\nfeatures.bogus: property is not defined in schema and the schema does not allow additional properties\n',
    );
  });

  it('honours an explicit default key', () => {
    const fmt = { path: { type: 'string' }, other: { type: 'integer', optional: 1 } };
    expect(parsePropertyString(fmt, '/x,other=2', { defaultKey: 'path' })).toEqual({ path: '/x', other: 2 });
  });
});

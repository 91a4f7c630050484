// Named formats, -list variants, Perl regex conversion, and completeness against both schema files.
import { describe, expect, it } from 'vitest';
import { checkFormat, loadEndpoints, splitList, UNCHECKED_FORMATS } from './index';
import { VERIFIERS } from './formats';
import { NAMED_PROPERTY_FORMATS } from './named-property-formats';
import { anchoredPattern, perlToJs } from './perl-regex';

const ok = (name: string, ...values: string[]) => values.forEach((v) => expect(checkFormat(name, v), `${name} ${v}`).toBeNull());
const bad = (name: string, value: string, message: string) => expect(checkFormat(name, value)).toBe(`invalid format - ${message}\n`);

describe('named formats (PVE regexes and messages)', () => {
  it('pve-node, pve-vmid, pve-storage-id, pve-configid, pve-iface', () => {
    ok('pve-node', 'pve', 'pve-01', 'A1');
    bad('pve-node', 'pve_01', 'value does not look like a valid node name');
    bad('pve-node', '-pve', 'value does not look like a valid node name');
    ok('pve-vmid', '100', '999999999');
    bad('pve-vmid', '099', 'value does not look like a valid VM ID');
    ok('pve-storage-id', 'local', 'local-lvm', 'nfs.backup_1');
    bad('pve-storage-id', 'local-', "storage ID 'local-' contains illegal characters");
    ok('pve-configid', 'net0', 'snap_1', 'pre-upgrade');
    bad('pve-configid', 'a', "invalid configuration ID 'a'");
    ok('pve-iface', 'vmbr0', 'eth0.10', 'bond0:1', 'proxbr0');
    bad('pve-iface', 'v', "invalid network interface name 'v'");
  });

  it('addresses: ip, ipv4, ipv6, CIDR*, ipv4mask, mac-addr, address, dns-name', () => {
    ok('ipv4', '10.20.0.1', '255.255.255.255');
    bad('ipv4', '10.20.0.256', 'value does not look like a valid IPv4 address');
    ok('ipv6', '::1', 'fe80::1', '2001:db8::10.0.0.1');
    bad('ipv6', 'fe80::g', 'value does not look like a valid IPv6 address');
    ok('ip', '10.0.0.1', '::');
    ok('CIDRv4', '10.20.0.0/24', '10.0.0.1/8', '1.2.3.4/32');
    bad('CIDRv4', '10.0.0.0/7', 'value does not look like a valid IPv4 CIDR network');
    bad('CIDRv4', '10.0.0.0', 'value does not look like a valid IPv4 CIDR network');
    ok('CIDRv6', 'fd00::/64');
    bad('CIDR', '10.0.0.0/40', 'value does not look like a valid CIDR network');
    ok('ipv4mask', '255.255.255.0', '128.0.0.0');
    bad('ipv4mask', '255.0.255.0', 'value does not look like a valid IP netmask');
    ok('mac-addr', 'BC:24:11:AA:bb:01');
    bad('mac-addr', '01:24:11:aa:bb:01', 'value does not look like a valid unicast MAC address');
    ok('dns-name', 'app', 'app-1.prox.local');
    bad('dns-name', 'app_1', 'value does not look like a valid DNS name');
    bad('dns-name', 'app.', 'value does not look like a valid DNS name');
    ok('address', 'pve.example.com', '10.0.0.1');
    bad('address', 'a b', 'value does not look like a valid address: a b');
    ok('pve-ipv4-config', 'dhcp', 'manual', '10.0.0.2/24');
    ok('pve-ipv6-config', 'auto', 'dhcp', 'manual', 'fd00::2/64');
  });

  it('users, realms, tokens, volumes, tags, startup order, email', () => {
    ok('pve-userid', 'root@pam', 'proximity@pve');
    bad('pve-userid', 'ab', "user name 'ab' is too short");
    bad('pve-userid', 'rootpam', "value 'rootpam' does not look like a valid user name");
    ok('pve-realm', 'pam', 'pve');
    ok('pve-tokenid', 'root@pam!proximity');
    ok('pve-volume-id', 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', 'local-lvm:vm-100-disk-0');
    bad('pve-volume-id', 'debian.tar.zst', "unable to parse volume ID 'debian.tar.zst'");
    ok('pve-volume-id-or-qm-path', 'none', 'cdrom', '/dev/sda', 'local:iso/x.iso');
    ok('pve-tag-list', 'web;prod', 'a,b c', '');
    bad('pve-tag-list', 'ok;b@d', 'invalid characters in tag');
    ok('pve-startup-order', 'order=1,up=30,down=60', '2');
    bad('pve-startup-order', 'order=x', 'unable to parse startup options');
    ok('email', 'ops@example.com', 'a.b+c@mail-1.example');
    bad('email', 'ops@', 'value does not look like a valid email address');
    ok('email-or-username-list', 'ops@example.com,root');
    bad('email-or-username', 'a b', 'value does not look like a valid email address or user name');
    ok('email-opt', '');
    bad('pve-tokenid', 'root@pam', "value 'root@pam' does not look like a valid token ID");
    ok('urlencoded', 'a%20b');
    bad('urlencoded', 'a b', 'invalid urlencoded string: a b');
    ok('pve-storage-content-list', 'vztmpl,iso,rootdir');
    bad('pve-storage-content-list', 'vztmpl,bogus', "invalid content type 'bogus'");
  });

  it('-list variants split on , ; whitespace and NUL; -opt allows empty', () => {
    expect(splitList('100,101;102  103\t104')).toEqual(['100', '101', '102', '103', '104']);
    expect(splitList(' 100, ')).toEqual(['100']);
    expect(splitList('a b\u0000c')).toEqual(['a b', 'c']);
    expect(splitList('')).toEqual([]);
    ok('pve-vmid-list', '100,101 102', '');
    bad('pve-vmid-list', '100,abc', 'value does not look like a valid VM ID');
    ok('string-list', 'anything at all');
    ok('dns-name-list', 'prox.local lab.local');
    ok('pve-node-list', 'pve1,pve2');
  });

  it('unknown names are accepted (recorded in UNCHECKED_FORMATS)', () => {
    expect(checkFormat('pve-fw-addr-spec', '+anything')).toBeNull();
    expect(UNCHECKED_FORMATS).toContain('pve-fw-addr-spec');
  });
});

/** Every string `format` name and every `pattern` used anywhere in a schema file (params, sub-keys, items). */
function collect(version: '8.4' | '9.1'): { formats: Set<string>; patterns: Set<string> } {
  const formats = new Set<string>();
  const patterns = new Set<string>();
  const walk = (s: any): void => {
    if (!s || typeof s !== 'object') return;
    if (typeof s.format === 'string') formats.add(s.format);
    else if (s.format && typeof s.format === 'object') Object.values(s.format).forEach(walk);
    if (typeof s.pattern === 'string') patterns.add(s.pattern);
    if (s.items) walk(s.items);
    if (s.properties) Object.values(s.properties).forEach(walk);
  };
  for (const info of Object.values(loadEndpoints(version))) walk(info.parameters);
  return { formats, patterns };
}

describe.each(['8.4', '9.1'] as const)('completeness for %s', (version) => {
  const { formats, patterns } = collect(version);

  it('every format name is implemented or listed in UNCHECKED_FORMATS', () => {
    const base = (f: string) => f.replace(/-(a?list|opt)$/, '');
    const missing = [...formats].filter(
      (f) => !VERIFIERS[f] && !VERIFIERS[base(f)] && !NAMED_PROPERTY_FORMATS[f] && !UNCHECKED_FORMATS.includes(base(f)),
    );
    expect(missing).toEqual([]);
    expect(formats.size).toBeGreaterThan(100);
  });

  it('every pattern compiles to a JavaScript RegExp', () => {
    for (const p of patterns) expect(() => anchoredPattern(p), p).not.toThrow();
    expect(patterns.size).toBeGreaterThan(50);
  });
});

describe('Perl regex conversion', () => {
  it('turns (?^:..) into (?:..), (?^i:..) into explicit case classes and {,n} into {0,n}', () => {
    expect(perlToJs('(?^:\\d+(?:;\\d+)*)')).toBe('(?:\\d+(?:;\\d+)*)');
    expect(perlToJs('(?^i:ab[c-d])')).toBe('(?:[aA][bB][c-dC-D])');
    expect(perlToJs('[A-Z]{,8}')).toBe('[A-Z]{0,8}');
    const tag = anchoredPattern('(?^i:[a-z0-9_][a-z0-9_\\-\\+\\.]*)(?:;(?^i:[a-z0-9_][a-z0-9_\\-\\+\\.]*))*');
    expect(tag.test('Web;PROD')).toBe(true);
    expect(tag.test('web;')).toBe(false);
    expect(anchoredPattern('[-_.\\w\\d]+').test('vmbr0 ')).toBe(false);
  });
});

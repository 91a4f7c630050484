// Named formats (`format: "pve-node"` etc.) with the regexes and `die` messages of PVE's verifiers:
// pve-common JSONSchema.pm (most), pve-access-control (users, realms, tokens, pools, privileges),
// pve-container Config.pm (mount point / device paths, nameserver), pve-storage (volume ids, content types),
// pve-manager (task status filter). Messages keep Perl's trailing "\n" because PVE sends them that way
// (`"vmid": "invalid format - value does not look like a valid VM ID\n"`).
import { isCidrV4, isCidrV6, isIp, isIpv4, isIpv6, isIpv4Mask } from './ip-regex';

/** A verifier's `die`: the message is what PVE puts after "invalid format - ". */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

function fail(message: string): never {
  throw new FormatError(`${message}\n`);
}

const check = (ok: boolean, message: string): void => {
  if (!ok) fail(message);
};

const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;
const STORAGE_ID_RE = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const DNS_LABEL = '[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?';
const DNS_NAME_RE = new RegExp(`^(${DNS_LABEL}\\.)*${DNS_LABEL}$`);
const REALM = '[A-Za-z][A-Za-z0-9\\.\\-_]+';
const USER = '[^\\s:/]+';
const USERID_RE = new RegExp(`^(${USER})@(${REALM})$`);
const TOKEN_RE = new RegExp(`^(${USER})@(${REALM})!(${REALM})$`);
const POOL_RE = /^[A-Za-z0-9.\-_]+(?:\/[A-Za-z0-9.\-_]+){0,2}$/;
const TAG_RE = /^[a-z0-9_][a-z0-9_\-+.]*$/i;
// PVE::Tools $EMAIL_USER_RE / $EMAIL_RE
const EMAIL_USER = '[\\w\\+\\-\\~]+(\\.[\\w\\+\\-\\~]+)*';
const EMAIL_USER_RE = new RegExp(`^${EMAIL_USER}$`);
const EMAIL_RE = new RegExp(`^${EMAIL_USER}@[a-zA-Z0-9\\-]+(\\.[a-zA-Z0-9\\-]+)*$`);

function verifyUserid(v: string): void {
  if (v.length < 3) fail(`user name '${v}' is too short`);
  if (v.length > 64) fail(`user name '${v}' is too long (${v.length} > 64)`);
  check(USERID_RE.test(v), `value '${v}' does not look like a valid user name`);
}

function verifyDnsName(v: string): void {
  check(DNS_NAME_RE.test(v), 'value does not look like a valid DNS name');
}

function verifyVolumeId(v: string): void {
  check(/^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/is.test(v), `unable to parse volume ID '${v}'`);
}

/** pve-container: no `/./`, `/../`, trailing `/.` or `/..`, leading `../`. */
function verifyMpString(v: string): void {
  check(!/\/\.\.?\//.test(v) && !/\/\.\.?$/.test(v) && !/^\.\.\//.test(v), `${v} contains illegal character sequences`);
}

function verifyStartupOrder(v: string): void {
  let ok = v !== '' && v !== '0';
  for (const part of v.split(',')) {
    if (/^\s*$/.test(part)) continue;
    if (!/^(order=)?\d+$/.test(part) && !/^up=\d+$/.test(part) && !/^down=\d+$/.test(part)) ok = false;
  }
  check(ok, 'unable to parse startup options');
}

function verifyVlanRange(v: string): void {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v);
  if (!m) fail(`invalid VLAN configuration '${v}'`);
  for (const tag of [m[1], m[2]].filter((t): t is string => t !== undefined)) {
    if (Number(tag) < 2 || Number(tag) > 4094) fail(`invalid VLAN tag '${tag}'`);
  }
}

const STORAGE_CONTENT = new Set(['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import', 'none']);

/** Verifiers by format name; each throws FormatError (PVE's `die`) or returns. */
export const VERIFIERS: Record<string, (value: string) => void> = {
  string: () => {},
  urlencoded: (v) => check(/^[-%a-zA-Z0-9_.!~*'()]*$/.test(v), `invalid urlencoded string: ${v}`),
  'pve-configid': (v) => check(CONFIGID_RE.test(v), `invalid configuration ID '${v}'`),
  'pve-storage-id': (v) => check(STORAGE_ID_RE.test(v), `storage ID '${v}' contains illegal characters`),
  'pve-bridge-id': (v) => check(/^[-_.\w\d]+$/.test(v), `invalid bridge ID '${v}'`),
  'pve-vmid': (v) => check(/^[1-9][0-9]{2,8}$/.test(v), 'value does not look like a valid VM ID'),
  'pve-node': (v) => check(/^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/.test(v), 'value does not look like a valid node name'),
  ipv4: (v) => check(isIpv4(v), 'value does not look like a valid IPv4 address'),
  ipv6: (v) => check(isIpv6(v), 'value does not look like a valid IPv6 address'),
  ip: (v) => check(isIp(v), 'value does not look like a valid IP address'),
  ipv4mask: (v) => check(isIpv4Mask(v), 'value does not look like a valid IP netmask'),
  CIDRv4: (v) => check(isCidrV4(v), 'value does not look like a valid IPv4 CIDR network'),
  CIDRv6: (v) => check(isCidrV6(v), 'value does not look like a valid IPv6 CIDR network'),
  CIDR: (v) => check(isCidrV4(v) || isCidrV6(v), 'value does not look like a valid CIDR network'),
  IPorCIDR: (v) => check(isIp(v) || isCidrV4(v) || isCidrV6(v), 'value does not look like a valid IP address or CIDR network'),
  'pve-ipv4-config': (v) =>
    check(/^(?:dhcp|manual)$/.test(v) || isCidrV4(v), 'value does not look like a valid ipv4 network configuration'),
  'pve-ipv6-config': (v) =>
    check(/^(?:auto|dhcp|manual)$/.test(v) || isCidrV6(v), 'value does not look like a valid ipv6 network configuration'),
  email: (v) => check(EMAIL_RE.test(v), 'value does not look like a valid email address'),
  'email-or-username': (v) =>
    check(EMAIL_RE.test(v) || EMAIL_USER_RE.test(v), 'value does not look like a valid email address or user name'),
  'dns-name': verifyDnsName,
  'pve-iface': (v) => check(/^[a-z][a-z0-9_]{1,20}([:.]\d+)?$/i.test(v), `invalid network interface name '${v}'`),
  address: (v) => check(isIp(v) || DNS_NAME_RE.test(v), `value does not look like a valid address: ${v}`),
  'disk-size': (v) => check(/^(\d+(\.\d+)?)([KMGT])?$/.test(v), `value does not look like a valid disk size: ${v}`),
  'mac-addr': (v) =>
    check(/^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i.test(v), 'value does not look like a valid unicast MAC address'),
  'mac-prefix': (v) =>
    check(/^[a-f0-9][02468ace](?::[a-f0-9]{2}){0,2}:?$/i.test(v), 'value does not look like a valid unicast MAC address prefix'),
  'pve-startup-order': verifyStartupOrder,
  'pve-tag': (v) => check(TAG_RE.test(v), 'invalid characters in tag'),
  'pve-realm': (v) => check(new RegExp(`^${REALM}$`).test(v), 'value does not look like a valid realm'),
  'pve-userid': verifyUserid,
  'pve-tokenid': (v) => check(TOKEN_RE.test(v), `value '${v}' does not look like a valid token ID`),
  'pve-groupid': (v) => check(/^[A-Za-z0-9.\-_]+$/.test(v), `group name '${v}' contains invalid characters`),
  'pve-roleid': (v) => check(/^[A-Za-z0-9.\-_]+$/.test(v), `role name '${v}' contains invalid characters`),
  'pve-poolid': (v) => check(POOL_RE.test(v), `pool name '${v}' contains invalid characters`),
  // verify_privname checks membership in the privilege table; the names all have this shape.
  'pve-priv': (v) => check(/^[A-Z][A-Za-z]*(?:\.[A-Za-z]+)+$/.test(v), `invalid privilege name '${v}'`),
  'pve-volume-id': verifyVolumeId,
  'pve-volume-id-or-qm-path': (v) => {
    if (!/^(?:none|cdrom)$/.test(v) && !v.startsWith('/')) verifyVolumeId(v);
  },
  'pve-volume-id-or-absolute-path': (v) => {
    if (!v.startsWith('/')) verifyVolumeId(v);
  },
  'pve-lxc-mp-string': verifyMpString,
  'pve-lxc-dev-string': (v) =>
    check(!/\/\.\.?\//.test(v) && !/\/\.\.?$/.test(v) && /^\/dev\//.test(v), `${v} is not a valid device path`),
  'lxc-ip-with-ll-iface': (v) => {
    const m = /^(fe80:[^%]+)%(.*)$/.exec(v);
    if (m && isIp(m[1]) && /^[a-z][a-z0-9_]{1,20}([:.]\d+)?$/i.test(m[2])) return;
    check(isIp(v), 'value does not look like a valid IP address');
  },
  // pve-container checks membership in /usr/share/zoneinfo/zone.tab; zone names all have this shape.
  'pve-ct-timezone': (v) =>
    check(v === 'host' || /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(v), `invalid time zone '${v}'`),
  'pve-storage-content': (v) => check(STORAGE_CONTENT.has(v), `invalid content type '${v}'`),
  'pve-task-status-type': (v) => check(/^(ok|error|warning|unknown)$/i.test(v), `invalid status '${v}'`),
  'pve-vlan-id-or-range': verifyVlanRange,
};

/**
 * Format names found in the 8.4/9.1 schemas that this validator accepts without checking (their verifiers are
 * long tails of Proxmox code Proximity never exercises: firewall specs, SDN, Ceph, QEMU devices, ACME, LDAP...).
 * Any other unknown name is accepted as well; this list exists so tests can prove nothing is silently missed.
 */
export const UNCHECKED_FORMATS: readonly string[] = [
  'pve-replication-job-id', 'pve-calendar-event', 'graphite-path', 'pve-fw-addr-spec', 'pve-fw-dport-spec',
  'pve-fw-icmp-type-spec', 'pve-fw-protocol-spec', 'pve-fw-sport-spec', 'IPorCIDRorAlias', 'pve-day-of-week',
  'pve-ha-resource-or-vm-id', 'pve-ha-group-node', 'pve-storage-path-in-property-string', 'pve-sdn-vnet-id',
  'pve-sdn-dhcp-range', 'pve-sdn-subnet-id', 'pve-sdn-zone-id', 'pve-sdn-bgp-rt', 'pve-sdn-controller-id',
  'pve-sdn-isis-net', 'pve-sdn-ipam-id', 'pve-sdn-dns-id', 'pve-sdn-fabric-id', 'pve-sdn-fabric-node-id',
  'pve-cpuset', 'pve-qemu-sev-fmt', 'pve-qm-boot', 'pve-qm-bootdisk', 'pve-qm-ide', 'pve-qm-cicustom',
  'pve-vm-cpu-conf', 'pve-qm-hostpci', 'pve-hotplug-features', 'pve-qm-ipconfig', 'pve-qm-rng', 'pve-qm-smbios1',
  'pve-qm-watchdog', 'storage-pair', 'bridge-pair', 'proxmox-remote', 'pve-storage-server', 'pve-storage-portal-dns',
  'pve-fw-conntrack-helper', 'pem-certificate-chain', 'pem-string', 'pve-acme-domain', 'pve-acme-alias',
  'pve-command-batch', 'pve-dir-override', 'pve-storage-path', 'pve-storage-options', 'pve-storage-vgname',
  'ldap-simple-attr', 'realm-sync-options', 'pve-tfa-config', 'pve-ha-node', 'pve-ha-resource-id', 'pve-qemu-tdx-fmt',
];

/** Splits a `-list` value like PVE's split_list: on NUL if present, else on `,` `;` and whitespace. */
export function splitList(text: string): string[] {
  if (text.includes('\0')) return text.split('\0');
  // Perl's split drops trailing empty fields; leading blanks were stripped first.
  return text.replace(/[,;]/g, ' ').split(/\s+/).filter((x) => x !== '');
}

/** `name`, `name-list`/`name-alist` (each element), `name-opt` (empty allowed) -> verifier, or null if unknown. */
export function resolveVerifier(format: string): ((value: string) => void) | null {
  const list = /^(.*)-a?list$/.exec(format);
  if (list) {
    const one = VERIFIERS[list[1]];
    return one ? (v) => splitList(v).forEach(one) : null;
  }
  const opt = /^(.*)-opt$/.exec(format);
  if (opt) {
    const one = VERIFIERS[opt[1]];
    return one ? (v) => (v ? one(v) : undefined) : null;
  }
  return VERIFIERS[format] ?? null;
}

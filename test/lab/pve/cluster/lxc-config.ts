// Turning API parameters into a container config the way pve-container does: net[n] canonicalisation with a
// generated MAC, rootfs allocation specs, ostype detection, and the root@pam-only feature-flag check.
import { createHash } from 'node:crypto';

import type { LabContainerSpec, LabHostFacts, LabNetSpec } from '../../backend';
import { PveHttpError, type PveIdentity } from '../types';
import type { Container, GuestConfig } from './cluster-state';
import { loadEndpoints } from '../schema';
import { type PropMap, parsePropMap, printPropertyString as printProps } from '../schema/property-string';

/** The property-string formats of the LXC config keys the cluster state reads (same in the 8.4 and 9.1 schema). */
function lxcFormat(key: 'net[n]' | 'rootfs' | 'features'): object {
  return loadEndpoints('8.4')['POST /nodes/{node}/lxc'].parameters!.properties![key].format as object;
}

/** Parse a validated `net[n]` / `rootfs` / `features` value with the schema parser (strings out). */
export function parseProps(value: string, key: 'net[n]' | 'rootfs' | 'features' = 'net[n]'): PropMap {
  return parsePropMap(lxcFormat(key), value);
}

/** API parameters of POST /nodes/{node}/lxc that are not config keys. */
export const CREATE_ONLY_PARAMS = new Set([
  'node', 'vmid', 'ostemplate', 'password', 'ssh-public-keys', 'start', 'storage', 'force', 'restore', 'pool',
  'unique', 'ignore-unpack-errors', 'bwlimit', 'debug',
]);

/** Parameters of PUT .../config that steer the update instead of being config keys. */
export const UPDATE_CONTROL_PARAMS = new Set(['node', 'vmid', 'digest', 'delete', 'revert', 'debug']);

let macCounter = 0;

/** PVE::Tools::random_ether_addr('BC:24:11'): Proxmox's OUI plus three (here reproducible) random bytes. */
export function generateHwaddr(vmid: number, index: number): string {
  const h = createHash('sha1').update(`${vmid}/${index}/${macCounter++}`).digest();
  return ['BC', '24', '11', ...[h[0], h[1], h[2]].map((b) => b.toString(16).toUpperCase().padStart(2, '0'))].join(':');
}

/** net[n] as PVE stores it: `name=eth0,bridge=vmbr0,hwaddr=BC:24:11:..,ip=dhcp,type=veth`. */
export function normalizeNet(value: string, vmid: number, index: number, oldValue?: string): string {
  const props = parseProps(value);
  if (!props.hwaddr) {
    const old = oldValue ? parseProps(oldValue) : undefined;
    props.hwaddr = old?.hwaddr ?? generateHwaddr(vmid, index);
  }
  props.type = props.type ?? 'veth';
  return printProps(props, ['name']);
}

export function netIndexes(config: GuestConfig): number[] {
  return Object.keys(config)
    .map((k) => /^net(\d+)$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function netSpecs(config: GuestConfig): LabNetSpec[] {
  return netIndexes(config).map((index) => {
    const p = parseProps(String(config[`net${index}`]));
    const spec: LabNetSpec = { index, name: p.name, bridge: p.bridge ?? '', hwaddr: p.hwaddr };
    if (p.ip) spec.ip = p.ip;
    if (p.gw) spec.gw = p.gw;
    if (p.mtu) spec.mtu = Number(p.mtu);
    return spec;
  });
}

/** What a backend needs to run the container; `host` = what the node is (for the userland's stand-ins). */
export function containerSpec(ct: Container, host?: LabHostFacts): LabContainerSpec {
  const c = ct.config;
  const spec: LabContainerSpec = {
    node: ct.node,
    vmid: ct.vmid,
    hostname: String(c.hostname ?? `CT${ct.vmid}`),
    nets: netSpecs(c),
    config: { ...c },
    ...(host && { host }),
  };
  if (c.nameserver !== undefined) spec.nameserver = String(c.nameserver);
  if (c.searchdomain !== undefined) spec.searchdomain = String(c.searchdomain);
  return spec;
}

/** What PVE::LXC::Setup detects from the extracted template; here from the template's file name. */
export function ostypeFromTemplate(ostemplate: string): string {
  const base = ostemplate.split('/').pop() ?? '';
  const distro = base.split(/[-_]/)[0];
  const known: Record<string, string> = {
    alpine: 'alpine', debian: 'debian', ubuntu: 'ubuntu', centos: 'centos', rockylinux: 'centos', almalinux: 'centos',
    fedora: 'fedora', archlinux: 'archlinux', opensuse: 'opensuse', gentoo: 'gentoo', devuan: 'devuan', nixos: 'nixos',
  };
  return known[distro] ?? 'unmanaged';
}

export interface RootfsAlloc {
  storage: string;
  /** bytes */
  size: number;
  /** extra mount-point options to keep (acl, quota, ...) */
  options: PropMap;
}

/** rootfs `STORAGE:SIZE_GiB[,opts]` (bare number = on the default storage) => what to allocate. */
export function parseRootfsAlloc(value: string | undefined, defaultStorage: string): RootfsAlloc {
  const raw = value === undefined ? `${defaultStorage}:4` : /^\d+(\.\d+)?$/.test(value) ? `${defaultStorage}:${value}` : value;
  const props = parseProps(raw, 'rootfs');
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(\d+(?:\.\d+)?)$/i.exec(props.volume ?? '');
  if (!m) throw new PveHttpError(500, `unable to parse volume ID '${props.volume ?? raw}'`);
  const { volume: _v, size: _s, ...options } = props;
  return { storage: m[1], size: Math.round(parseFloat(m[2]) * 2 ** 30), options };
}

function isRootTicket(identity: PveIdentity): boolean {
  return identity.user === 'root@pam' && identity.tokenId === undefined;
}

/**
 * pve-container check_ct_modify_config_perm for `features`: only root@pam (a ticket, not even root's token)
 * may set flags on privileged CTs or change flags other than `nesting`.
 */
export function checkFeaturePerm(identity: PveIdentity, unprivileged: boolean, newValue: string | undefined, oldValue: string | undefined): void {
  if (isRootTicket(identity)) return;
  if (!unprivileged) {
    throw new PveHttpError(403, 'Permission check failed (changing feature flags for privileged container is only allowed for root@pam)');
  }
  const next = newValue ? parseProps(newValue, 'features') : {};
  const prev = oldValue ? parseProps(oldValue, 'features') : {};
  const keys = new Set([...Object.keys(next), ...Object.keys(prev)]);
  const flag = (m: PropMap, k: string) => (m[k] === undefined || m[k] === '0' ? '0' : m[k]);
  for (const k of keys) {
    if (k !== 'nesting' && flag(next, k) !== flag(prev, k)) {
      throw new PveHttpError(403, 'Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)');
    }
  }
}

/** Sort features as PVE prints them (`keyctl=1,nesting=1`). */
export function normalizeFeatures(value: string): string {
  return printProps(parseProps(value, 'features'));
}

/** PVE::Tools::validate_ssh_public_keys (it runs ssh-keygen -l on each line; here a shape check). */
export function validateSshKeys(keys: string): void {
  for (const line of keys.split('\n')) {
    const l = line.trim();
    if (l === '' || l.startsWith('#')) continue;
    if (!/^(?:\S+ )?(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-\S+) [A-Za-z0-9+/]+={0,3}( .*)?$/.test(l)) {
      throw new PveHttpError(500, 'SSH public key validation error');
    }
  }
}

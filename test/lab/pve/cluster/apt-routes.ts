// GET /nodes/{node}/apt/versions: "package information for important Proxmox packages" as pve-manager's
// API2/APT.pm `versions` builds it: proxmox-ve and pve-manager first, the kernel, then the rest by name;
// `OldVersion` is the installed version, `Version` the candidate (the same when no update is pending);
// optional packages (zfsutils-linux, ...) only when installed. Versions come from the node's defaults below,
// overridden by the `nodePackages` lab setting (faults.host) — e.g. lxc-pve older than 6.0.5-2.
import type { RouteTable } from '../types';
import type { ClusterState } from './cluster-state';
import { type ClusterDeps, nodeScoped } from './route-kit';
import { release } from './versions';

interface PackageInfo {
  title: string;
  section: string;
  origin?: string;
}

/** Package -> [title, section]. Titles are the packages' Debian short descriptions. */
const PACKAGES: Record<string, PackageInfo> = {
  'proxmox-ve': { title: 'Proxmox Virtual Environment', section: 'admin' },
  'pve-manager': { title: 'Proxmox Virtual Environment Management Tools', section: 'admin' },
  'proxmox-kernel-helper': { title: 'Function for various kernel maintenance tasks.', section: 'admin' },
  'ceph-fuse': { title: 'FUSE-based client for the Ceph distributed file system', section: 'admin', origin: 'Debian' },
  corosync: { title: 'cluster engine daemon and utilities', section: 'admin' },
  criu: { title: 'checkpoint and restore in userspace', section: 'devel', origin: 'Debian' },
  ifupdown2: { title: 'Network Interface Management tool similar to ifupdown', section: 'admin' },
  'libpve-access-control': { title: 'Proxmox VE access control library', section: 'perl' },
  'libpve-common-perl': { title: 'Proxmox VE base library', section: 'perl' },
  'libpve-guest-common-perl': { title: 'Proxmox VE common guest-related modules', section: 'perl' },
  'libpve-storage-perl': { title: 'Proxmox VE storage management library', section: 'perl' },
  'lxc-pve': { title: 'Linux containers userspace tools', section: 'admin' },
  lxcfs: { title: 'LXC userspace filesystem', section: 'admin' },
  'proxmox-backup-client': { title: 'Proxmox Backup Client tools', section: 'admin' },
  'pve-cluster': { title: '"pmxcfs" distributed cluster filesystem for Proxmox Virtual Environment.', section: 'admin' },
  'pve-container': { title: 'Proxmox VE Container management tool', section: 'perl' },
  'pve-firewall': { title: 'Proxmox VE Firewall', section: 'admin' },
  'pve-ha-manager': { title: 'Proxmox VE HA Manager', section: 'perl' },
  'pve-qemu-kvm': { title: 'Full virtualization on x86 hardware', section: 'admin' },
  'qemu-server': { title: 'Qemu Server Tools', section: 'admin' },
  smartmontools: { title: 'control and monitor storage systems using S.M.A.R.T.', section: 'utils', origin: 'Debian' },
  'zfsutils-linux': { title: 'command-line tools to manage OpenZFS filesystems', section: 'contrib/admin' },
};

/** Packages APT.pm lists only when installed. */
const OPTIONAL = new Set(['ceph-fuse', 'zfsutils-linux']);

/** What a freshly installed, healthy node of each release has (lxc-pve carries the AppArmor fix of Nov 2025). */
function defaultVersions(state: ClusterState): Record<string, string> {
  const nine = state.version === '9.1';
  return {
    'proxmox-ve': nine ? '9.1.0' : '8.4.0',
    'pve-manager': state.pveVersion,
    'proxmox-kernel-helper': nine ? '9.0.4' : '8.1.4',
    [`proxmox-kernel-${release(state).kernel}-signed`]: release(state).kernel.replace(/-pve$/, ''),
    corosync: nine ? '3.1.9-pve2' : '3.1.9-pve1',
    criu: nine ? '4.1.1-1' : '3.17.1-2+deb12u1',
    ifupdown2: nine ? '3.3.0-1+pmx10' : '3.2.0-1+pmx11',
    'libpve-access-control': nine ? '9.0.4' : '8.2.2',
    'libpve-common-perl': nine ? '9.0.11' : '8.3.1',
    'libpve-guest-common-perl': nine ? '6.0.2' : '5.2.2',
    'libpve-storage-perl': nine ? '9.0.13' : '8.3.6',
    'lxc-pve': '6.0.5-2',
    lxcfs: nine ? '6.0.4-pve1' : '6.0.0-pve2',
    'proxmox-backup-client': nine ? '4.0.19-1' : '3.4.2-1',
    'pve-cluster': nine ? '9.0.6' : '8.1.2',
    'pve-container': nine ? '6.0.18' : '5.3.3',
    'pve-firewall': nine ? '6.0.3' : '5.1.2',
    'pve-ha-manager': nine ? '5.0.5' : '4.0.7',
    'pve-qemu-kvm': nine ? '10.1.2-1' : '9.2.0-7',
    'qemu-server': nine ? '9.0.29' : '8.4.4',
    smartmontools: nine ? '7.4-pve1' : '7.3-pve1',
    'zfsutils-linux': nine ? '2.3.4-pve1' : '2.2.8-pve1',
  };
}

/** Installed versions of a node's packages: defaults, then the `nodePackages` overrides. */
export function nodePackageVersions(deps: ClusterDeps, node: string): Record<string, string> {
  return { ...defaultVersions(deps.state), ...deps.faults.host.packageOverrides(node).versions };
}

export function registerAptRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const onNode = nodeScoped(routes, deps);
  onNode('GET', '/nodes/{node}/apt/versions', (_ctx, n) => {
    const installed = nodePackageVersions(deps, n.name);
    const { candidates } = deps.faults.host.packageOverrides(n.name);
    const kernelPkgs = Object.keys(installed).filter((p) => p.startsWith('proxmox-kernel-') && p !== 'proxmox-kernel-helper');
    const rest = Object.keys(installed).filter((p) => p !== 'proxmox-ve' && p !== 'pve-manager' && !kernelPkgs.includes(p)).sort();
    const order = ['proxmox-ve', 'pve-manager', ...kernelPkgs, ...rest];
    const kernel = release(deps.state).kernel;
    return order.flatMap((pkg) => {
      const version = installed[pkg];
      if (version === undefined || (OPTIONAL.has(pkg) && version === '')) return [];
      const info = PACKAGES[pkg] ?? { title: pkg.startsWith('proxmox-kernel-') ? `Proxmox Kernel Image (signed)` : pkg, section: 'admin' };
      const row: Record<string, string> = {
        Package: pkg,
        Title: info.title,
        Description: info.title,
        Version: candidates[pkg] ?? version,
        OldVersion: version,
        CurrentState: 'Installed',
        Arch: 'amd64',
        Section: info.section,
        Priority: 'optional',
        Origin: info.origin ?? 'Proxmox',
      };
      if (pkg === 'pve-manager') row.ManagerVersion = `${deps.state.pveVersion}/${release(deps.state).repoid}`;
      if (pkg === 'proxmox-ve') row.RunningKernel = kernel;
      return [row];
    });
  });
}

// How the PVE node under the container decides Docker's fate (issue 12). The netns backend writes the node's
// facts to /run/lab/host.json at every start (lxc-pve and zfsutils-linux versions, root-disk storage type,
// privilege); the docker stand-in fails exactly as Docker does on such a node:
//   - lxc-pve older than 6.0.5-2: its AppArmor profile blocks runc >= 1.3.3 (CVE-2025-52881 fix, Nov 2025)
//   - a privileged container: the docker-default AppArmor profile cannot be loaded from inside
//   - root disk on ZFS older than 2.2: no overlay2, Docker falls back to vfs and layer registration fails
import { readText } from './fsroot.mjs';

/** The first lxc-pve whose AppArmor profile lets runc 1.3.3+ reopen /proc/sys files. */
export const LXC_PVE_FIXED = '6.0.5-2';

export const RUNC_SYSCTL_DENIED = 'failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: open sysctl net.ipv4.ip_unprivileged_port_start file: reopen fd 8: permission denied: unknown';

export const APPARMOR_PROFILE_FAILED = 'AppArmor enabled on system but the docker-default profile could not be loaded: running `/usr/sbin/apparmor_parser apparmor_parser -Kr /var/lib/docker/tmp/docker-default327733349` failed with output: apparmor_parser: Unable to replace "docker-default".  Permission denied; attempted to load a profile while confined?\n\nerror: exit status 243';

export const VFS_REGISTER_LAYER_FAILED = 'failed to register layer: Error processing tar file(exit status 1): invalid argument';

/** The node facts, or null outside a lab container started by the netns backend. */
export function hostFacts() {
  try {
    const f = JSON.parse(readText('/run/lab/host.json', 'null') ?? 'null');
    return f && typeof f === 'object' ? f : null;
  } catch {
    return null;
  }
}

/** dpkg-style version comparison (epoch:upstream-revision; `~` sorts first): <0, 0, >0. */
export function compareDebianVersions(a, b) {
  const split = (v) => {
    const m = /^(?:(\d+):)?(.*?)(?:-([^-]*))?$/.exec(v) ?? [];
    return [Number(m[1] ?? 0), m[2] ?? '', m[3] ?? '0'];
  };
  const order = (c) => (c === '~' ? -1 : /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c ? c.charCodeAt(0) + 256 : 0);
  const part = (x, y) => {
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      while ((i < x.length && !/\d/.test(x[i])) || (j < y.length && !/\d/.test(y[j]))) {
        const d = order(x[i] && !/\d/.test(x[i]) ? x[i] : '') - order(y[j] && !/\d/.test(y[j]) ? y[j] : '');
        if (d) return d;
        if (i < x.length && !/\d/.test(x[i])) i++;
        if (j < y.length && !/\d/.test(y[j])) j++;
      }
      let nx = '';
      let ny = '';
      while (i < x.length && /\d/.test(x[i])) nx += x[i++];
      while (j < y.length && /\d/.test(y[j])) ny += y[j++];
      const d = Number(nx || 0) - Number(ny || 0);
      if (d) return d;
    }
    return 0;
  };
  const [ea, ua, ra] = split(a);
  const [eb, ub, rb] = split(b);
  return ea - eb || part(ua, ub) || part(ra, rb);
}

/** The storage driver dockerd picks on this node: vfs on ZFS < 2.2 (no overlay on ZFS), else overlay2. */
export function storageDriver(facts = hostFacts()) {
  if (facts?.rootfsStorageType === 'zfspool' && facts.zfsVersion && compareDebianVersions(facts.zfsVersion, '2.2') < 0) return 'vfs';
  return 'overlay2';
}

/** Why every container start fails on this node (the daemon's error text), or null. */
export function containerStartBlocked(facts = hostFacts()) {
  if (!facts) return null;
  if (facts.unprivileged === 0) return APPARMOR_PROFILE_FAILED;
  if (facts.lxcPveVersion && compareDebianVersions(facts.lxcPveVersion, LXC_PVE_FIXED) < 0) return RUNC_SYSCTL_DENIED;
  return null;
}

/** Why pulling an image fails on this node, or null. */
export function pullBlocked(facts = hostFacts()) {
  return storageDriver(facts) === 'vfs' ? VFS_REGISTER_LAYER_FAILED : null;
}

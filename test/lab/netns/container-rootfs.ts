// A container's private root directory. Everything except /usr (the host's, read-only, with the lab userland
// bound over /usr/local/bin), /proc, /dev and /sys lives here, so files written in one container are invisible
// to every other. createContainer seeds /etc with the minimum that host programs (iptables, ip, dnsmasq, caddy,
// busybox, node, curl) need, and an Alpine-looking os-release, like a fresh template.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Host /etc entries copied into every new container (measured: what the tools above read at startup). */
const ETC_SEED = [
  'passwd', 'group', 'shadow', 'gshadow', 'shells', 'login.defs', 'protocols', 'services', 'ethertypes',
  'networks', 'host.conf', 'gai.conf', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'alternatives', 'ssl',
  'ca-certificates', 'ca-certificates.conf', 'iproute2', 'localtime', 'timezone', 'mime.types', 'inputrc',
  'terminfo', 'environment', 'profile', 'xattr.conf', 'magic', 'magic.mime',
];

/** Top-level directories that belong to the host or the kernel, never to the container's own tree. */
export const NOT_IN_ROOTFS = new Set(['usr', 'bin', 'sbin', 'lib', 'lib64', 'proc', 'sys', 'dev']);

const OS_RELEASE = `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.20.3
PRETTY_NAME="Alpine Linux v3.20"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
`;

const NSSWITCH = `# written by the proximity lab: files and DNS only (no systemd/NIS lookups inside containers)
passwd: files
group: files
shadow: files
hosts: files dns
networks: files
protocols: files
services: files
ethers: files
rpc: files
`;

export function seedRootfs(rootfs: string, templateDir?: string): void {
  fs.rmSync(rootfs, { recursive: true, force: true });
  fs.mkdirSync(rootfs, { recursive: true, mode: 0o755 });
  for (const d of ['etc', 'var', 'run', 'root', 'home', 'opt', 'srv', 'mnt', 'media', 'usr', 'proc', 'sys', 'dev']) {
    fs.mkdirSync(path.join(rootfs, d), { mode: d === 'root' ? 0o700 : 0o755 });
  }
  for (const d of ['tmp', 'var/tmp']) {
    fs.mkdirSync(path.join(rootfs, d), { recursive: true });
    fs.chmodSync(path.join(rootfs, d), 0o1777);
  }
  for (const d of ['var/log', 'var/lib', 'var/cache', 'var/spool', 'var/empty', 'etc/init.d', 'etc/runlevels/default']) {
    fs.mkdirSync(path.join(rootfs, d), { recursive: true });
  }
  // Debian's merged /usr: /bin etc. are symlinks, and must stay so inside the container.
  for (const l of ['bin', 'sbin', 'lib', 'lib64']) fs.symlinkSync(`usr/${l}`, path.join(rootfs, l));
  fs.symlinkSync('../run', path.join(rootfs, 'var/run'));
  fs.symlinkSync('../run/lock', path.join(rootfs, 'var/lock'));
  const etc = path.join(rootfs, 'etc');
  for (const name of ETC_SEED) {
    const src = path.join('/etc', name);
    if (!fs.existsSync(src) && !isSymlink(src)) continue;
    fs.cpSync(src, path.join(etc, name), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  }
  fs.writeFileSync(path.join(etc, 'os-release'), OS_RELEASE);
  fs.writeFileSync(path.join(etc, 'alpine-release'), '3.20.3\n');
  fs.writeFileSync(path.join(etc, 'nsswitch.conf'), NSSWITCH);
  fs.writeFileSync(path.join(etc, 'fstab'), '');
  fs.writeFileSync(path.join(etc, 'machine-id'), crypto.randomBytes(16).toString('hex') + '\n');
  fs.symlinkSync('../proc/self/mounts', path.join(etc, 'mtab'));
  // The lab userland's template files (OpenRC scripts, apk database, ...) model what the Alpine template holds.
  if (templateDir && fs.existsSync(templateDir)) {
    fs.cpSync(templateDir, rootfs, { recursive: true, verbatimSymlinks: true, force: true });
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** PVE writes these on every start from the container config (hostname, /etc/hosts entry, resolv.conf). */
export function writeStartFiles(
  rootfs: string,
  o: { hostname: string; resolvConf: string | null },
): void {
  // /run is a tmpfs on a real container: start every boot with an empty one.
  const run = path.join(rootfs, 'run');
  fs.rmSync(run, { recursive: true, force: true });
  fs.mkdirSync(path.join(run, 'lock'), { recursive: true });
  fs.mkdirSync(path.join(run, 'lab'), { recursive: true });
  const etc = path.join(rootfs, 'etc');
  fs.writeFileSync(path.join(etc, 'hostname'), `${o.hostname}\n`);
  const hostsFile = path.join(etc, 'hosts');
  const old = fs.existsSync(hostsFile) ? fs.readFileSync(hostsFile, 'utf8') : '';
  const kept = old.split('\n').filter((l) => l.trim() !== '' && !l.includes('# PVE-managed'));
  const base = kept.some((l) => /^127\.0\.0\.1\s/.test(l)) ? kept : ['127.0.0.1\tlocalhost', '::1\tlocalhost', ...kept];
  fs.writeFileSync(hostsFile, [...base, `127.0.1.1\t${o.hostname} # PVE-managed`, ''].join('\n'));
  if (o.resolvConf !== null) {
    fs.rmSync(path.join(etc, 'resolv.conf'), { force: true });
    fs.writeFileSync(path.join(etc, 'resolv.conf'), o.resolvConf);
  }
}

/**
 * Map a path inside the container to the host path in its private tree (for pct push/pull). Rejects relative
 * paths, paths outside the container's own tree (/usr, /proc, ...) and symlinks that lead out of the tree.
 */
export function mapContainerPath(rootfs: string, insidePath: string): string {
  if (typeof insidePath !== 'string' || !insidePath.startsWith('/') || insidePath.includes('\0')) {
    throw new Error(`path '${insidePath}' must be an absolute path inside the container`);
  }
  const norm = path.posix.normalize(insidePath);
  const top = norm.split('/')[1] ?? '';
  if (NOT_IN_ROOTFS.has(top)) {
    throw new Error(`path '${insidePath}' is on the read-only system tree (/${top}) of the lab container`);
  }
  const hostPath = path.join(rootfs, norm);
  const rootReal = fs.realpathSync(rootfs);
  // Resolve the longest existing prefix: a symlink anywhere on the way must not lead out of the tree.
  let probe = hostPath;
  let rest = '';
  for (;;) {
    try {
      fs.lstatSync(probe);
      break;
    } catch {
      rest = path.join(path.basename(probe), rest);
      probe = path.dirname(probe);
    }
  }
  let real: string;
  try {
    real = fs.realpathSync(probe);
  } catch {
    throw new Error(`path '${insidePath}' leads through a dangling symlink`);
  }
  if (real !== rootReal && !real.startsWith(rootReal + '/')) {
    throw new Error(`path '${insidePath}' leads outside the container's filesystem`);
  }
  const relReal = path.relative(rootReal, real).split(path.sep)[0] ?? '';
  if (NOT_IN_ROOTFS.has(relReal)) {
    throw new Error(`path '${insidePath}' resolves into the read-only system tree of the lab container`);
  }
  return rest ? path.join(real, rest) : real;
}

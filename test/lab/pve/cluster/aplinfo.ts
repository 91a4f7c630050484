// The appliance index (`pveam available`, GET /nodes/{node}/aplinfo) and template download (POST, `download`
// task). Records carry the fields PVE::APLInfo parses from aplinfo.dat; checksums are stable per template.
import { createHash } from 'node:crypto';

import { templateChecksumMismatchMessage } from '../faults';
import { PveHttpError, type RouteTable } from '../types';
import { type NodeState, getStorage } from './cluster-state';
import { type ClusterDeps, nodeScoped } from './route-kit';
import { assertSpace } from './storage-routes';

const MiB = 2 ** 20;
const BASE_URL = 'http://download.proxmox.com/images';

interface Appliance {
  os: string;
  package: string;
  version: string;
  template: string;
  headline: string;
  description: string;
  infopage: string;
  size: number;
}

const APPLIANCES: Appliance[] = [
  { os: 'alpine', package: 'alpine-3.21-default', version: '3.21-0', template: 'alpine-3.21-default_20241217_amd64.tar.xz', headline: 'Alpine Linux 3.21', description: 'A small, security-focused Linux distribution built around musl libc and busybox.', infopage: 'https://alpinelinux.org', size: Math.round(3.1 * MiB) },
  { os: 'alpine', package: 'alpine-3.22-default', version: '3.22-0', template: 'alpine-3.22-default_20250617_amd64.tar.xz', headline: 'Alpine Linux 3.22', description: 'A small, security-focused Linux distribution built around musl libc and busybox.', infopage: 'https://alpinelinux.org', size: Math.round(3.3 * MiB) },
  { os: 'debian-12', package: 'debian-12-standard', version: '12.7-1', template: 'debian-12-standard_12.7-1_amd64.tar.zst', headline: 'Debian 12 Bookworm (standard)', description: 'A small Debian Bookworm system including all standard packages.', infopage: 'https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions', size: 126 * MiB },
  { os: 'debian-13', package: 'debian-13-standard', version: '13.1-2', template: 'debian-13-standard_13.1-2_amd64.tar.zst', headline: 'Debian 13 Trixie (standard)', description: 'A small Debian Trixie system including all standard packages.', infopage: 'https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions', size: 131 * MiB },
  { os: 'ubuntu-24.04', package: 'ubuntu-24.04-standard', version: '24.04-2', template: 'ubuntu-24.04-standard_24.04-2_amd64.tar.zst', headline: 'Ubuntu 24.04 Noble (standard)', description: 'A small Ubuntu 24.04 Noble Numbat system including all standard packages.', infopage: 'https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions', size: 141 * MiB },
];

function sha512(template: string): string {
  return createHash('sha512').update(`lab-aplinfo:${template}`).digest('hex');
}

/** The GET /nodes/{node}/aplinfo record for one appliance. */
function record(a: Appliance): Record<string, string> {
  const location = `system/${a.template}`;
  return {
    os: a.os,
    package: a.package,
    version: a.version,
    type: 'lxc',
    section: 'system',
    template: a.template,
    headline: a.headline,
    description: `${a.headline}\n${a.description}`,
    location,
    source: `${BASE_URL}/${location}`,
    infopage: a.infopage,
    maintainer: 'Proxmox Support Team <support@proxmox.com>',
    architecture: 'amd64',
    sha512sum: sha512(a.template),
  };
}

export function findAppliance(template: string): Appliance | undefined {
  return APPLIANCES.find((a) => a.template === template);
}

/** PVE's storage format id for a template file name (tar.zst => tzst, tar.xz => txz, tar.gz => tgz). */
export function templateFormat(name: string): string {
  if (name.endsWith('.tar.zst')) return 'tzst';
  if (name.endsWith('.tar.xz')) return 'txz';
  if (name.endsWith('.tar.gz')) return 'tgz';
  return 'raw';
}

/** Put a template into `storage` directly (lab seeding: a node that already has templates). */
export function seedTemplate(n: NodeState, storage: string, template: string, ctime: number): string {
  const a = findAppliance(template);
  const volid = `${storage}:vztmpl/${template}`;
  n.volumes.set(volid, { volid, storage, content: 'vztmpl', format: templateFormat(template), size: a?.size ?? 100 * MiB, ctime });
  return volid;
}

export function registerAplinfoRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const { state, faults } = deps;
  const onNode = nodeScoped(routes, deps);

  onNode('GET', '/nodes/{node}/aplinfo', () => APPLIANCES.map(record));

  onNode('POST', '/nodes/{node}/aplinfo', (ctx, n) => {
    const template = String(ctx.params.template);
    const storage = String(ctx.params.storage);
    const a = findAppliance(template);
    if (!a) throw new PveHttpError(400, 'Parameter verification failed.', { template: 'no such template' });
    const s = getStorage(n, storage);
    if (!s.content.includes('vztmpl')) throw new PveHttpError(500, `storage '${storage}' does not support templates`);
    const rec = record(a);
    const dest = `${s.path ?? '/var/lib/vz'}/template/cache/${template}`;
    return ctx.tasks.start({
      node: n.name,
      type: 'download',
      id: template,
      identity: ctx.identity,
      run: (log) => {
        const volid = `${storage}:vztmpl/${template}`;
        if (n.volumes.has(volid)) {
          log.line(`file already exists ${rec.sha512sum} - no need to download`);
          return;
        }
        log.line(`downloading ${rec.source} to ${dest}`);
        assertSpace(deps, n, storage, a.size);
        log.line(`--${new Date(state.now()).toISOString().slice(0, 19).replace('T', ' ')}--  ${rec.source}`);
        log.line(`Length: ${a.size} (${Math.round(a.size / MiB)}M) [application/octet-stream]`);
        log.line('calculating checksum...');
        if (faults.takeTemplateChecksumFailure(template)) throw new Error(templateChecksumMismatchMessage(rec.sha512sum));
        log.line('OK, checksum verified');
        seedTemplate(n, storage, template, Math.floor(state.now() / 1000));
        log.line(`download of '${rec.source}' to '${dest}' finished`);
      },
    });
  });
}

// The appliance index (`pveam available`, GET /nodes/{node}/aplinfo) and template download (POST, `download`
// task). Records carry the fields PVE::APLInfo parses from aplinfo.dat; checksums are stable per template.
import { createHash } from 'node:crypto';

import { templateChecksumMismatchMessage } from '../faults';
import { templateDownloadInterruptedMessage } from './template-failures';
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

const ALPINE_TEXT = 'A small, security-focused Linux distribution built around musl libc and busybox.';
const alpine = (v: string, date: string, mib: number): Appliance => ({
  os: 'alpine', package: `alpine-${v}-default`, version: `${v}-0`, template: `alpine-${v}-default_${date}_amd64.tar.xz`,
  headline: `Alpine Linux ${v}`, description: ALPINE_TEXT, infopage: 'https://alpinelinux.org', size: Math.round(mib * MiB),
});

/** Every appliance the lab knows: what download.proxmox.com offers now (CURRENT) plus older builds it dropped. */
const CATALOGUE: Appliance[] = [
  alpine('3.19', '20240207', 3.0),
  alpine('3.20', '20240908', 3.0),
  alpine('3.21', '20241217', 3.1),
  alpine('3.22', '20250617', 3.3),
  { os: 'debian-12', package: 'debian-12-standard', version: '12.2-1', template: 'debian-12-standard_12.2-1_amd64.tar.zst', headline: 'Debian 12 Bookworm (standard)', description: 'A small Debian Bookworm system including all standard packages.', infopage: 'https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions', size: 120 * MiB },
  { os: 'debian-12', package: 'debian-12-standard', version: '12.7-1', template: 'debian-12-standard_12.7-1_amd64.tar.zst', headline: 'Debian 12 Bookworm (standard)', description: 'A small Debian Bookworm system including all standard packages.', infopage: 'https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions', size: 126 * MiB },
  { os: 'debian-13', package: 'debian-13-standard', version: '13.1-2', template: 'debian-13-standard_13.1-2_amd64.tar.zst', headline: 'Debian 13 Trixie (standard)', description: 'A small Debian Trixie system including all standard packages.', infopage: 'https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions', size: 131 * MiB },
  { os: 'ubuntu-24.04', package: 'ubuntu-24.04-standard', version: '24.04-2', template: 'ubuntu-24.04-standard_24.04-2_amd64.tar.zst', headline: 'Ubuntu 24.04 Noble (standard)', description: 'A small Ubuntu 24.04 Noble Numbat system including all standard packages.', infopage: 'https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions', size: 141 * MiB },
];

/** The index download.proxmox.com serves today: what `pveam update` fetches. */
export const CURRENT_INDEX = [
  'alpine-3.21-default_20241217_amd64.tar.xz',
  'alpine-3.22-default_20250617_amd64.tar.xz',
  'debian-12-standard_12.7-1_amd64.tar.zst',
  'debian-13-standard_13.1-2_amd64.tar.zst',
  'ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
];

/**
 * A node whose daily `pveam update` has failed for a long time: the newest Alpine is missing, and it still
 * offers 3.19/3.20 and an old Debian build that the mirror no longer has (downloading them ends in a 404).
 */
export const STALE_INDEX = [
  'alpine-3.19-default_20240207_amd64.tar.xz',
  'alpine-3.20-default_20240908_amd64.tar.xz',
  'alpine-3.21-default_20241217_amd64.tar.xz',
  'debian-12-standard_12.2-1_amd64.tar.zst',
  'ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
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
  return CATALOGUE.find((a) => a.template === template);
}

/** The template names in a node's index (aplinfo.dat as of its last successful `pveam update`). */
export function nodeIndex(deps: ClusterDeps, node: string): string[] {
  const { index } = deps.faults.host.templateIndex(node);
  return index === 'current' ? CURRENT_INDEX : index === 'stale' ? STALE_INDEX : index;
}

/** Records for a list of names; unknown names get a record in the same shape (a custom index). */
function indexRecords(names: string[]): Record<string, string>[] {
  return names.map((t) => record(findAppliance(t) ?? guessAppliance(t)));
}

/** `alpine-3.23-default_20251201_amd64.tar.xz` -> an appliance record, for custom index lists. */
function guessAppliance(template: string): Appliance {
  const m = /^([a-z]+)-([\d.]+)-([a-z]+)_([\w.+-]+?)_amd64\.tar\.\w+$/.exec(template);
  const os = m ? (m[1] === 'alpine' ? 'alpine' : `${m[1]}-${m[2]}`) : 'unknown';
  return {
    os, package: m ? `${m[1]}-${m[2]}-${m[3]}` : template, version: m ? `${m[2]}-0` : '1.0-0', template,
    headline: m ? `${m[1][0]!.toUpperCase()}${m[1].slice(1)} ${m[2]}` : template, description: 'A template of the lab\'s custom index.',
    infopage: 'https://pve.proxmox.com/wiki/Linux_Container', size: 100 * MiB,
  };
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

  onNode('GET', '/nodes/{node}/aplinfo', (_ctx, n) => indexRecords(nodeIndex(deps, n.name)));

  onNode('POST', '/nodes/{node}/aplinfo', (ctx, n) => {
    const template = String(ctx.params.template);
    const storage = String(ctx.params.storage);
    // pve-manager Nodes.pm apl_download: the name must be in the node's index (PVE::APLInfo::load_data)
    if (!nodeIndex(deps, n.name).includes(template)) throw new PveHttpError(400, 'Parameter verification failed.', { template: 'no such template' });
    const a = findAppliance(template) ?? guessAppliance(template);
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
        const stamp = new Date(state.now()).toISOString().slice(0, 19).replace('T', ' ');
        log.line(`--${stamp}--  ${rec.source}`);
        const failure = faults.host.takeDownloadFailure(template);
        // "old ones gone": a stale index still names a build the mirror has deleted
        if (failure === 'missing' || (!CURRENT_INDEX.includes(template) && findAppliance(template) !== undefined)) {
          log.line('Resolving download.proxmox.com (download.proxmox.com)... 212.224.123.70, 2a01:7e0:0:424::249');
          log.line('Connecting to download.proxmox.com (download.proxmox.com)|212.224.123.70|:80... connected.');
          log.line('HTTP request sent, awaiting response... 404 Not Found');
          throw new Error(`download failed: ${stamp} ERROR 404: Not Found.`);
        }
        log.line(`Length: ${a.size} (${Math.round(a.size / MiB)}M) [application/octet-stream]`);
        // SIGINT while wget runs (pve-common download_file_from_url: die inside run_command with errmsg)
        if (failure === 'interrupted') throw new Error(templateDownloadInterruptedMessage());
        log.line('calculating checksum...');
        if (faults.takeTemplateChecksumFailure(template)) throw new Error(templateChecksumMismatchMessage(rec.sha512sum));
        log.line('OK, checksum verified');
        seedTemplate(n, storage, template, Math.floor(state.now() / 1000));
        faults.host.forgetTemplate(n.name, volid);
        log.line(`download of '${rec.source}' to '${dest}' finished`);
      },
    });
  });
}

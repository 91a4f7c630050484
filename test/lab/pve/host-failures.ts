// Failures real Proxmox hosts throw at a deployment (issue 12), as lab settings. The FaultInjector owns one
// `HostFailures` (faults.host) and forwards these kinds to it; the cluster routes query it where PVE would
// fail. Everything here is plain JSON so `POST /faults` and in-process tests set it the same way.
//
//   templateIndex    the node's aplinfo index (`pveam update` state): current, stale, or a given list;
//                    `updateFails` makes `pveam update` fail as when download.proxmox.com is unreachable
//   failTemplateDownload {mode: 'interrupted' | 'missing'} (mode 'checksum' stays in FaultInjector)
//   corruptTemplate  a template volume in storage whose archive does not unpack (create fails in tar)
//   configureStorage add/change/remove a storage (type zfspool, content, disabled, size)
//   nodePackages     the package versions GET /nodes/{node}/apt/versions reports (lxc-pve, zfsutils-linux, ...)
//   createDrift      the next creates silently store another config than asked (unprivileged 0, no features)
import type { ClusterState, ContentType, StorageDef } from './cluster/cluster-state';

export type DownloadFailureMode = 'interrupted' | 'missing';

export type HostFailureSpec =
  | { kind: 'templateIndex'; node: string; index: 'current' | 'stale' | string[]; updateFails?: boolean }
  | { kind: 'corruptTemplate'; node: string; volid: string; on?: boolean }
  | {
      kind: 'configureStorage'; node: string; storage: string; remove?: boolean;
      type?: StorageDef['type']; content?: ContentType[]; enabled?: boolean; totalGiB?: number; usedGiB?: number;
    }
  | { kind: 'nodePackages'; node: string; versions: Record<string, string>; candidates?: Record<string, string> }
  | { kind: 'createDrift'; unprivileged?: 0; dropFeatures?: boolean; count?: number };

export const HOST_FAILURE_KINDS = new Set(['templateIndex', 'corruptTemplate', 'configureStorage', 'nodePackages', 'createDrift']);

const CONTENT = new Set<ContentType>(['vztmpl', 'backup', 'iso', 'rootdir', 'images']);
const STORAGE_ID_RE = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const VERSION_RE = /^[0-9][A-Za-z0-9.+~:-]*$/;
const GiB = 2 ** 30;

export interface TemplateIndexState {
  index: 'current' | 'stale' | string[];
  updateFails: boolean;
}

export interface CreateDrift {
  unprivileged?: 0;
  dropFeatures?: boolean;
  /** remaining creates it applies to; Infinity = until cleared */
  remaining: number;
}

export class HostFailures {
  private state: ClusterState | undefined;
  private indexes = new Map<string, TemplateIndexState>();
  private downloads = new Map<string, DownloadFailureMode>();
  private corrupt = new Set<string>();
  private packages = new Map<string, { versions: Record<string, string>; candidates: Record<string, string> }>();
  private drift: CreateDrift | null = null;
  /** storages as they were before the first configureStorage on a node (restored by clear) */
  private savedStorages = new Map<string, Map<string, StorageDef>>();

  /** The cluster routes hand over their state (configureStorage and corruptTemplate change it). */
  bindCluster(state: ClusterState): void {
    this.state = state;
  }

  /** Apply one of HOST_FAILURE_KINDS. Throws on a malformed spec or an unknown node/storage. */
  apply(spec: HostFailureSpec): void {
    const s = spec as any;
    switch (s?.kind) {
      case 'templateIndex': {
        const index = s.index;
        const ok = index === 'current' || index === 'stale' || (Array.isArray(index) && index.every((t: unknown) => typeof t === 'string' && /^[\w.+-]+$/.test(t)));
        if (!ok) throw new Error("fault field 'index' must be 'current', 'stale' or a list of template file names");
        this.indexes.set(nodeName(s.node), { index, updateFails: s.updateFails === true });
        return;
      }
      case 'corruptTemplate':
        return this.corruptTemplate(nodeName(s.node), str(s.volid, 'volid'), s.on !== false);
      case 'configureStorage':
        return this.configureStorage(s);
      case 'nodePackages': {
        const versions = versionMap(s.versions, 'versions');
        const candidates = s.candidates === undefined ? {} : versionMap(s.candidates, 'candidates');
        const node = nodeName(s.node);
        const old = this.packages.get(node);
        this.packages.set(node, { versions: { ...old?.versions, ...versions }, candidates: { ...old?.candidates, ...candidates } });
        return;
      }
      case 'createDrift':
        if (s.unprivileged !== undefined && s.unprivileged !== 0) throw new Error("fault field 'unprivileged' can only be 0");
        this.drift = { unprivileged: s.unprivileged, dropFeatures: s.dropFeatures === true, remaining: s.count === undefined ? Infinity : num(s.count, 'count') };
        return;
      default:
        throw new Error(`unknown fault kind: ${JSON.stringify(s?.kind)}`);
    }
  }

  /** The next download of `template` fails: `interrupted` (SIGINT during wget) or `missing` (404 on the mirror). */
  failTemplateDownload(template: string, mode: DownloadFailureMode): void {
    this.downloads.set(str(template, 'template'), mode);
  }

  private corruptTemplate(node: string, volid: string, on: boolean): void {
    if (!/^[a-z][a-z0-9\-_.]*[a-z0-9]:vztmpl\/[\w.+-]+\.tar(\.[a-z0-9]+)?$/i.test(volid)) throw new Error(`fault field 'volid' must be a template volume, got '${volid}'`);
    const key = `${node}/${volid}`;
    if (on) this.corrupt.add(key);
    else this.corrupt.delete(key);
  }

  private configureStorage(s: any): void {
    const state = this.state;
    if (!state) throw new Error('configureStorage needs the cluster routes');
    const node = state.nodes.get(nodeName(s.node));
    if (!node) throw new Error(`unknown node '${s.node}'`);
    const id = str(s.storage, 'storage');
    if (!STORAGE_ID_RE.test(id)) throw new Error(`invalid storage id '${id}'`);
    if (!this.savedStorages.has(node.name)) {
      this.savedStorages.set(node.name, new Map([...node.storages].map(([k, v]) => [k, { ...v, content: [...v.content] }])));
    }
    if (s.remove === true) {
      node.storages.delete(id);
      return;
    }
    const old = node.storages.get(id);
    const type = s.type ?? old?.type ?? 'dir';
    if (!['dir', 'lvmthin', 'zfspool'].includes(type)) throw new Error(`fault field 'type' must be dir, lvmthin or zfspool`);
    const content: ContentType[] = s.content ?? old?.content ?? (type === 'dir' ? ['vztmpl', 'backup', 'iso'] : ['rootdir', 'images']);
    if (!Array.isArray(content) || !content.every((c) => CONTENT.has(c))) throw new Error(`fault field 'content' must list ${[...CONTENT].join(', ')}`);
    const def: StorageDef = {
      id,
      type,
      content: [...content],
      total: s.totalGiB !== undefined ? Math.round(num(s.totalGiB, 'totalGiB') * GiB) : old?.total ?? 200 * GiB,
      baseUsed: s.usedGiB !== undefined ? Math.round(num(s.usedGiB, 'usedGiB') * GiB) : old?.baseUsed ?? 0,
      ...(type === 'dir' ? { path: old?.path ?? `/mnt/${id}` } : {}),
    };
    const enabled = s.enabled ?? (old ? !old.disabled : true);
    if (!enabled) def.disabled = true;
    node.storages.set(id, def);
  }

  clear(): void {
    this.indexes.clear();
    this.downloads.clear();
    this.corrupt.clear();
    this.packages.clear();
    this.drift = null;
    for (const [name, saved] of this.savedStorages) {
      const n = this.state?.nodes.get(name);
      if (n) n.storages = saved;
    }
    this.savedStorages.clear();
  }

  // ---- queries -----------------------------------------------------------------------------------------

  /** The node's index setting (default: current). */
  templateIndex(node: string): TemplateIndexState {
    return this.indexes.get(node) ?? { index: 'current', updateFails: false };
  }

  /** `pveam update`: the index becomes current unless the update is set to fail. Returns whether it worked. */
  updateTemplateIndex(node: string): boolean {
    const cur = this.templateIndex(node);
    if (cur.updateFails) return false;
    this.indexes.delete(node);
    return true;
  }

  /** Consumes the download failure queued for `template`. */
  takeDownloadFailure(template: string): DownloadFailureMode | undefined {
    const mode = this.downloads.get(template);
    this.downloads.delete(template);
    return mode;
  }

  isCorruptTemplate(node: string, volid: string): boolean {
    return this.corrupt.has(`${node}/${volid}`);
  }

  /** A template volume was deleted or downloaded afresh: whatever was corrupt about it is gone. */
  forgetTemplate(node: string, volid: string): void {
    this.corrupt.delete(`${node}/${volid}`);
  }

  packageOverrides(node: string): { versions: Record<string, string>; candidates: Record<string, string> } {
    return this.packages.get(node) ?? { versions: {}, candidates: {} };
  }

  /** Consumes one create's worth of drift (null when none is set). */
  takeCreateDrift(): Omit<CreateDrift, 'remaining'> | null {
    const d = this.drift;
    if (!d || d.remaining <= 0) return null;
    d.remaining--;
    if (d.remaining <= 0) this.drift = null;
    return { unprivileged: d.unprivileged, dropFeatures: d.dropFeatures };
  }

  summary(): Record<string, unknown> {
    return {
      templateIndexes: Object.fromEntries(this.indexes),
      templateDownloadFailures: Object.fromEntries(this.downloads),
      corruptTemplates: [...this.corrupt],
      nodePackages: Object.fromEntries(this.packages),
      createDrift: this.drift && { ...this.drift, remaining: Number.isFinite(this.drift.remaining) ? this.drift.remaining : null },
      configuredStorageNodes: [...this.savedStorages.keys()],
    };
  }
}

function nodeName(v: unknown): string {
  const s = str(v, 'node');
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(s)) throw new Error(`invalid node name '${s}'`);
  return s;
}
function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`fault field '${name}' must be a non-empty string`);
  return v;
}
function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`fault field '${name}' must be a number >= 0`);
  return v;
}
function versionMap(v: unknown, name: string): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`fault field '${name}' must be an object of package -> version`);
  for (const [pkg, ver] of Object.entries(v)) {
    if (!/^[a-z0-9][a-z0-9+.-]*$/.test(pkg) || typeof ver !== 'string' || !VERSION_RE.test(ver)) {
      throw new Error(`fault field '${name}': bad package/version '${pkg}' = ${JSON.stringify(ver)}`);
    }
  }
  return v as Record<string, string>;
}

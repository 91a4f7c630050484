// Preflight checks before the first deployment on a node, cached per connection + node: a healthy node costs
// three PVE requests (apt/versions, rootdir storages, the template's storage content) once, and nothing later.
import { z } from 'zod';
import { ProximityError } from '../errors';
import { nodeNameSchema } from '../pve/nodes';
import type { PveClient } from '../pve/pve-client';
import { findCachedTemplate, STORAGE_ID_RE } from '../pve/templates';
import type { DeployNetwork } from './deploy-network';

/** lxc-pve from which Docker runs in an unprivileged CT with current runc (the AppArmor/sysctl fix, Nov 2025). */
export const MIN_LXC_PVE = '6.0.5-2';
/** Oldest pve-manager Proximity deploys on. */
export const MIN_PVE = '8.0.0';

export interface PreflightReport {
  connectionId: string;
  node: string;
  ok: boolean;
  /** what stops deployments, in the operator's words */
  problems: string[];
  /** what may go wrong later (e.g. the template must be downloaded first) */
  warnings: string[];
  pveVersion: string | null;
  lxcPveVersion: string | null;
  /** the rootdir storage with the most free space, and that space in bytes */
  rootStorage: { storage: string; availBytes: number } | null;
  /** the cached template volid, or null when it must be downloaded first */
  templateVolid: string | null;
  checkedAt: string;
}

const aptRowSchema = z.looseObject({ Package: z.string(), OldVersion: z.string().optional(), Version: z.string().optional() });
const storageRowSchema = z.looseObject({
  storage: z.string(),
  content: z.string().optional(),
  enabled: z.coerce.number().optional(),
  active: z.coerce.number().optional(),
  avail: z.coerce.number().optional(),
});

/**
 * Compares Debian-style versions by their numeric parts (`6.0.5-2` < `6.0.5-10` < `6.1.0-1`): enough for
 * Proxmox's own package versions, which are numbers separated by `.`, `-` and `+pveN`.
 */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[^0-9]+/).filter(Boolean).map(Number);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface PreflightInput {
  connectionId: string;
  pve: PveClient;
  network: DeployNetwork;
  node: string;
  /** template file, e.g. alpine-3.22-default_20250617_amd64.tar.xz */
  template: string;
  /** storage holding templates (vztmpl content), e.g. `local` */
  templateStorage: string;
  /** disk the deployment needs, bytes */
  needBytes: number;
  signal?: AbortSignal;
}

/** Runs and caches preflight checks. */
export class Preflight {
  private readonly cache = new Map<string, PreflightReport>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * The node's report: cached after the first passing check (a failing one is checked again next time). Throws
   * PREFLIGHT_FAILED listing every problem when the node cannot take deployments; PVE request errors as such.
   */
  async require(input: PreflightInput): Promise<PreflightReport> {
    const report = await this.check(input);
    if (!report.ok) {
      throw new ProximityError('PREFLIGHT_FAILED', `Node ${input.node} is not ready for deployments: ${report.problems.join(' ')}`, { details: report });
    }
    return report;
  }

  /** The cached report or a fresh one (never throws for a failed check; see `require`). */
  async check(input: PreflightInput): Promise<PreflightReport> {
    const key = `${input.connectionId}/${input.node}`;
    const cached = this.cache.get(key);
    if (cached && cached.ok && (cached.rootStorage?.availBytes ?? 0) >= input.needBytes) return cached;
    const report = await this.run(input);
    if (report.ok) this.cache.set(key, report);
    else this.cache.delete(key);
    return report;
  }

  /** Forgets cached reports (of one node, or of the whole connection). */
  invalidate(connectionId: string, node?: string): void {
    for (const key of [...this.cache.keys()]) if (key === `${connectionId}/${node}` || (node === undefined && key.startsWith(`${connectionId}/`))) this.cache.delete(key);
  }

  /** Records that a template is now cached on a node (after a download), so the report stays true. */
  noteTemplate(connectionId: string, node: string, volid: string): void {
    const r = this.cache.get(`${connectionId}/${node}`);
    if (r) r.templateVolid = volid;
  }

  private async run(i: PreflightInput): Promise<PreflightReport> {
    const node = nodeNameSchema.parse(i.node);
    if (!STORAGE_ID_RE.test(i.templateStorage)) throw new ProximityError('VALIDATION', `'${i.templateStorage}' is not a storage id.`);
    const problems: string[] = [];
    const warnings: string[] = [];
    const [apt, storages, templateVolid, applianceProblem] = await Promise.all([
      i.pve.get((api) => api.nodes.$(node).apt.versions.$get(), z.array(aptRowSchema), { signal: i.signal }),
      i.pve.get((api) => api.nodes.$(node).storage.$get({ content: 'rootdir', enabled: true }), z.array(storageRowSchema), { signal: i.signal }),
      findCachedTemplate(i.pve, node, i.template, { storages: [i.templateStorage], signal: i.signal }).catch(() => undefined),
      i.network.health(node, i.signal).catch((e: unknown) => `The network appliance on ${node} could not be checked: ${(e as Error).message}`),
    ]);
    const installed = (pkg: string) => apt.find((r) => r.Package === pkg)?.OldVersion ?? apt.find((r) => r.Package === pkg)?.Version ?? null;
    const pveVersion = installed('pve-manager');
    const lxcPveVersion = installed('lxc-pve');
    if (!pveVersion) problems.push(`Node ${node} does not report a pve-manager version.`);
    else if (compareVersions(pveVersion, MIN_PVE) < 0) problems.push(`Proxmox VE ${pveVersion} is too old; Proximity needs ${MIN_PVE} or newer.`);
    if (!lxcPveVersion) problems.push(`Node ${node} does not report an lxc-pve version.`);
    else if (compareVersions(lxcPveVersion, MIN_LXC_PVE) < 0) {
      problems.push(`lxc-pve ${lxcPveVersion} is too old for Docker in containers (runc fails with "open sysctl net.ipv4.ip_unprivileged_port_start"); update the node to lxc-pve ${MIN_LXC_PVE} or newer (apt full-upgrade).`);
    }
    const usable = storages.filter((s) => s.enabled !== 0 && s.active !== 0 && (s.content ?? 'rootdir').split(',').includes('rootdir'));
    const best = usable.sort((a, b) => (b.avail ?? 0) - (a.avail ?? 0))[0];
    if (!best) problems.push(`Node ${node} has no enabled storage for container disks (content "rootdir"); add one under Datacenter > Storage.`);
    else if ((best.avail ?? 0) < i.needBytes) {
      problems.push(`Storage ${best.storage} on ${node} has ${Math.floor((best.avail ?? 0) / 2 ** 30)} GiB free; the app needs ${Math.ceil(i.needBytes / 2 ** 30)} GiB.`);
    }
    if (!templateVolid) warnings.push(`The template ${i.template} is not in storage ${i.templateStorage} on ${node} yet; it will be downloaded first.`);
    if (applianceProblem) problems.push(applianceProblem);
    return {
      connectionId: i.connectionId,
      node,
      ok: problems.length === 0,
      problems,
      warnings,
      pveVersion,
      lxcPveVersion,
      rootStorage: best ? { storage: best.storage, availBytes: best.avail ?? 0 } : null,
      templateVolid: templateVolid ?? null,
      checkedAt: this.now().toISOString(),
    };
  }
}

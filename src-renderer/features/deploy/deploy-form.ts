import type { AppSummary } from '../../../src-shared/contract/schemas';
import type { CatalogApp, DeployRequest, TargetNode } from './deploy-types';

/** What the Configure step holds while the operator types (strings, as typed). */
export interface DeployDraft {
  hostname: string;
  params: Record<string, string>;
  cores: string;
  memoryMiB: string;
  diskGiB: string;
  node: string;
}

export type DeployErrors = Partial<Record<'hostname' | 'cores' | 'memoryMiB' | 'diskGiB' | 'node', string>> & { params?: Record<string, string> };

// A DNS label (RFC 1123): what becomes `<hostname>.<domain>` and the container's hostname (PVE `pve-lxc-hostname`).
const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The Configure step's starting values: the catalog's defaults and minimums, the first node. */
export function draftFor(app: CatalogApp, nodes: readonly TargetNode[]): DeployDraft {
  return {
    hostname: app.id,
    params: Object.fromEntries(app.parameters.map((p) => [p.key, p.defaultValue ?? ''])),
    cores: String(app.minCores),
    memoryMiB: String(app.minMemoryMiB),
    diskGiB: String(app.minDiskGiB),
    node: nodes[0]?.node ?? '',
  };
}

/** The hostname's problem, checked as you type: a DNS label, and not used by another app. */
export function hostnameError(hostname: string, apps: readonly Pick<AppSummary, 'hostname'>[]): string | undefined {
  if (!hostname) return 'Required.';
  if (hostname !== hostname.toLowerCase()) return 'Lower case only.';
  if (!HOSTNAME.test(hostname)) return 'Letters, digits and hyphens; starts and ends with a letter or digit; at most 63.';
  if (apps.some((a) => a.hostname === hostname)) return 'Another app already uses this hostname.';
  return undefined;
}

function amountError(text: string, min: number, free: number | undefined, unit: string): string | undefined {
  if (!/^\d+$/.test(text)) return 'A whole number.';
  const n = Number(text);
  if (n < min) return `At least ${min} ${unit} (the app's minimum).`;
  if (free !== undefined && n > free) return `Only ${free} ${unit} free on this node.`;
  return undefined;
}

/** Every problem of the draft; `request` is what goes to `deploy.plan` once there is none. */
export function validateDeploy(app: CatalogApp, nodes: readonly TargetNode[], apps: readonly Pick<AppSummary, 'hostname'>[], d: DeployDraft): { errors: DeployErrors; request: DeployRequest | null } {
  const errors: DeployErrors = {};
  const node = nodes.find((n) => n.node === d.node);
  const hostname = hostnameError(d.hostname, apps);
  if (hostname) errors.hostname = hostname;
  if (!node) errors.node = 'Choose a node.';
  const cores = amountError(d.cores, app.minCores, node?.freeCores, 'CPU');
  if (cores) errors.cores = cores;
  const memory = amountError(d.memoryMiB, app.minMemoryMiB, node?.freeMemoryMiB, 'MiB');
  if (memory) errors.memoryMiB = memory;
  const disk = amountError(d.diskGiB, app.minDiskGiB, node?.freeDiskGiB, 'GiB');
  if (disk) errors.diskGiB = disk;
  const params: Record<string, string> = {};
  for (const p of app.parameters) {
    const v = d.params[p.key] ?? '';
    if (p.required && v === '') params[p.key] = 'Required.';
    else if (v !== '' && p.pattern && !new RegExp(`^(?:${p.pattern})$`).test(v)) params[p.key] = p.hint ?? 'Not in the expected format.';
    else if (v !== '' && p.kind === 'number' && !/^-?\d+(\.\d+)?$/.test(v)) params[p.key] = 'A number.';
    else if (v !== '' && p.kind === 'choice' && p.choices && !p.choices.includes(v)) params[p.key] = 'Choose one of the options.';
  }
  if (Object.keys(params).length) errors.params = params;
  if (Object.keys(errors).length) return { errors, request: null };
  return {
    errors,
    request: { catalogId: app.id, hostname: d.hostname, params: d.params, cores: Number(d.cores), memoryMiB: Number(d.memoryMiB), diskGiB: Number(d.diskGiB), node: d.node },
  };
}

// Proxmox is the source of truth. On connect, the store is reconciled with the cluster through Proximity's tags
// and descriptions: apps whose containers vanished are marked missing, Proximity containers this store does not
// know are re-adopted with their ports, and other containers are offered for adoption by the operator.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppRecord } from '../apps/app-repository';
import { catalogIdSchema } from '../catalog/manifest-schema';
import { ProximityError } from '../errors';
import { hostnameLabelSchema } from '../network/strict-values';
import { getContainerConfig, setContainerConfig } from '../pve/lxc';
import { clusterResources, nodeNameSchema, vmidSchema } from '../pve/nodes';
import { parseOrThrow } from '../ssh/pct-commands';
import { descriptionFor, parseTags, tagsFor, type AppSpec } from './app-spec';
import { adoptTaggedGuests, type AdoptedApp } from './cluster-port-sync';
import type { DeployConnection, DeployCore } from './deploy-types';

export interface AdoptableGuest {
  node: string;
  vmid: number;
  name: string | null;
  status: string | null;
}

export interface ReconcileReport {
  /** app ids now marked missing (their container is gone) */
  missing: string[];
  /** app ids whose status or node changed to what PVE says */
  updated: string[];
  /** Proximity containers from elsewhere, now known here with their ports */
  adopted: AdoptedApp[];
  /** tagged containers whose ports collide with ports assigned here */
  conflicts: string[];
  /** containers Proximity did not deploy, which the operator may adopt */
  adoptable: AdoptableGuest[];
}

const SETTLED: ReadonlySet<AppRecord['status']> = new Set(['running', 'stopped', 'missing', 'unknown', 'failed']);

/**
 * Reconciles the apps of connection `conn` with one GET /cluster/resources?type=vm. Apps being deployed or
 * removed are left alone (their operations decide). Throws the PVE request's errors.
 */
export async function reconcile(core: DeployCore, conn: DeployConnection, opts: { signal?: AbortSignal; actor?: string } = {}): Promise<ReconcileReport> {
  const resources = await clusterResources(conn.pve, { type: 'vm', signal: opts.signal });
  const guests = resources.filter((r) => r.type === 'lxc' && r.vmid !== undefined);
  const report: ReconcileReport = { missing: [], updated: [], adopted: [], conflicts: [], adoptable: [] };
  for (const app of core.apps.list()) {
    if (app.connectionId !== conn.id || app.vmid === null || !SETTLED.has(app.status)) continue;
    const guest = guests.find((g) => Number(g.vmid) === app.vmid);
    const tagged = parseTags(guest?.tags);
    if (!guest || (tagged && tagged.appId !== app.id)) {
      if (app.status !== 'missing') {
        core.apps.place(app.id, { status: 'missing' });
        report.missing.push(app.id);
      }
      continue;
    }
    const status = guest.status === 'running' ? 'running' : 'stopped';
    if (status !== app.status || guest.node !== app.node) {
      core.apps.place(app.id, { status, node: guest.node ?? app.node });
      report.updated.push(app.id);
    }
  }
  const sync = adoptTaggedGuests(core, conn.id, guests, opts.actor ?? 'system');
  report.adopted = sync.adopted;
  report.conflicts = sync.conflicts;
  const known = new Set(core.apps.list().filter((a) => a.connectionId === conn.id).map((a) => a.vmid));
  report.adoptable = guests
    .filter((g) => !parseTags(g.tags) && !known.has(Number(g.vmid)) && Number(g.template ?? 0) !== 1)
    .map((g) => ({ node: g.node!, vmid: Number(g.vmid), name: g.name ?? null, status: g.status ?? null }));
  return report;
}

export const adoptRequestSchema = z
  .object({
    node: nodeNameSchema,
    vmid: vmidSchema,
    hostname: hostnameLabelSchema,
    name: z.string().trim().min(1).max(200).optional(),
    /** what it runs, if it is a catalog app; default `adopted` */
    catalogId: catalogIdSchema.default('adopted'),
    /** the port its web UI listens on inside the container */
    containerPort: z.number().int().min(1).max(65535),
    healthPath: z.string().max(200).regex(/^\/[A-Za-z0-9._~/?=&%+-]*$/).default('/'),
  })
  .strict();
export type AdoptRequest = z.input<typeof adoptRequestSchema>;

/**
 * Adopts an existing non-Proximity container: records the app, assigns its ports, and writes Proximity's tags
 * (kept with the guest's own) and description so the cluster knows it from now on. Throws VALIDATION, CONFLICT
 * (hostname taken, or the container is already Proximity's), PVE_NOT_FOUND, PVE errors. Audit-logged.
 */
export async function adoptContainer(core: DeployCore, conn: DeployConnection, input: AdoptRequest, actor = 'operator'): Promise<AppRecord> {
  const req = parseOrThrow(adoptRequestSchema, input, 'adoption request');
  const cfg = await getContainerConfig(conn.pve, req.node, req.vmid);
  const ownTags = typeof cfg.tags === 'string' ? cfg.tags : '';
  if (parseTags(ownTags)) throw new ProximityError('CONFLICT', `CT ${req.vmid} is already a Proximity app.`, { details: { vmid: req.vmid } });
  const mode = (await conn.networks.choose(req.node)).mode;
  const appId = randomUUID();
  const app = core.db.transaction(() => {
    const rec = core.apps.insert({ id: appId, catalogId: req.catalogId, name: req.name ?? cfg.hostname ?? req.hostname, hostname: req.hostname, node: req.node, vmid: req.vmid, status: 'unknown', connectionId: conn.id });
    core.ports.allocate(appId, actor);
    return rec;
  })();
  const pair = core.ports.get(appId)!;
  const spec: AppSpec = { v: 1, appId, catalogId: req.catalogId, hostname: req.hostname, ports: { public: pair.publicPort, internal: pair.internalPort }, containerPort: req.containerPort, healthPath: req.healthPath, mode };
  try {
    const kept = ownTags.split(/[;, ]+/).filter((t) => t && /^[a-z0-9_][a-z0-9_\-+.]*$/i.test(t));
    await setContainerConfig(conn.pve, req.node, req.vmid, { set: { tags: [...kept, ...tagsFor(spec).split(';')].join(';'), description: (typeof cfg.description === 'string' && cfg.description ? `${cfg.description.replace(/\n*$/, '')}\n` : '') + descriptionFor(spec, app.name) }, digest: cfg.digest });
  } catch (e) {
    core.ports.release(appId, actor);
    core.apps.delete(appId);
    throw e;
  }
  core.audit.append({ actor, action: 'apps.adopt', target: appId, details: { node: req.node, vmid: req.vmid, hostname: req.hostname, ports: spec.ports } });
  return core.apps.place(appId, { spec });
}

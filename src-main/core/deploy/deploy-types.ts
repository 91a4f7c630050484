// Shapes shared by the deployment engine, its steps, rollback, lifecycle and reconciliation.
import { z } from 'zod';
import type { AppRepository } from '../apps/app-repository';
import type { AuditLog } from '../audit/audit-log';
import { catalogIdSchema, type Manifest } from '../catalog/manifest-schema';
import type { CoreEventPublisher } from '../events/core-events';
import { hostnameLabelSchema } from '../network/strict-values';
import type { Operations } from '../operations/operations';
import type { PortAllocator } from '../ports/port-allocator';
import { nodeNameSchema } from '../pve/nodes';
import type { PveClient } from '../pve/pve-client';
import type { RemoteExec } from '../ssh/pct-commands';
import type { SecretCipher } from '../secrets/secret-cipher';
import type { SqliteDatabase } from '../store/database';
import type { DeployNetworks } from './deploy-network';

/** The eight steps of a deployment, in order (the seed's flow). */
export const DEPLOY_STEPS = ['ports', 'template', 'create', 'start', 'register', 'runtime', 'publish', 'record'] as const;
export type DeployStep = (typeof DEPLOY_STEPS)[number];

/** Operation progress (percent) when each step starts. */
export const STEP_PERCENT: Record<DeployStep, number> = { ports: 2, template: 8, create: 20, start: 40, register: 52, runtime: 58, publish: 85, record: 97 };

/** Operator-facing values: catalog parameters by id (checked by the manifest's rules in renderCompose). */
export const deployParamsSchema = z.record(z.string().min(1).max(64), z.union([z.string().max(4096), z.number(), z.boolean()]));

/** What an operator asks for. Hostile values are refused here or travel only as data (JSON, argv, YAML scalars). */
export const deployRequestSchema = z
  .object({
    connectionId: z.string().min(1).max(200),
    catalogId: catalogIdSchema,
    /** the DNS label under the appliance's domain and the container's hostname */
    hostname: hostnameLabelSchema,
    /** display name (default: the catalog app's name) */
    name: z.string().trim().min(1).max(200).optional(),
    /** the node to deploy on; default: the online node with the most free memory that fits */
    node: nodeNameSchema.optional(),
    params: deployParamsSchema.default({}),
    /** overrides of the manifest's resource defaults; each at least the manifest's minimum */
    resources: z
      .object({ cores: z.number().int().min(1).max(64), memory: z.number().int().min(64).max(262_144), disk: z.number().int().min(1).max(4096) })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type DeployRequest = z.input<typeof deployRequestSchema>;
export type ParsedDeployRequest = z.output<typeof deployRequestSchema>;

/** One connected PVE cluster as the engine uses it (the per-connection runtime provides it). */
export interface DeployConnection {
  /** the connection profile's id */
  id: string;
  pve: PveClient;
  /** SSH to a node of this cluster (pct exec/push, pct set) */
  ssh(node: string): RemoteExec;
  /** the network of each node (chosen per node after node selection) and of each recorded mode (teardown) */
  networks: DeployNetworks;
  /** true when the API credentials are a token: keyctl is then set over SSH (PVE allows it only to root@pam) */
  tokenAuth: boolean;
}

/** The core services the engine records through. */
export interface DeployCore {
  db: SqliteDatabase;
  apps: AppRepository;
  ports: PortAllocator;
  audit: AuditLog;
  operations: Operations;
  events: CoreEventPublisher;
  now: () => Date;
  /** encrypts deployment secrets for the store; without it they are not kept (a warning is logged) */
  secretCipher?: SecretCipher;
}

export interface DeployEngineOptions {
  /** the Alpine template (default alpine-3.22-default_20250617_amd64.tar.xz) */
  template?: string;
  /** the storage holding templates (vztmpl content; default `local`) */
  templateStorage?: string;
  /** concurrent create/clone/destroy per node (default 2; read on every use: pass the `deploy.maxCreatesPerNode` setting) */
  maxCreatesPerNode?: () => number;
  /** ms to wait for a container's DHCP lease (default 60 000) */
  leaseTimeoutMs?: number;
  /** ms to wait for Docker to answer (default 60 000) */
  dockerReadyTimeoutMs?: number;
  /** ms to wait for the app's health check (default 120 000) */
  healthTimeoutMs?: number;
  /** the local operator profile recorded in the audit log (default `operator`) */
  actor?: () => string;
  /** test seam: awaited before each step runs (after it is journaled as started) */
  beforeStep?: (step: DeployStep, deploymentId: string) => void | Promise<void>;
}

/** The journaled plan: what was asked and decided up front (no secrets). */
export interface DeployPlan {
  request: ParsedDeployRequest;
  appId: string;
  name: string;
  catalogVersion: string;
  resources: { cores: number; memory: number; disk: number };
}

/** How a deployment went, for the bench and the operation log. */
export interface DeployTimings {
  wallMs: number;
  /** ms spent waiting on PVE tasks, the lease, in-container commands and the health check */
  waitedMs: number;
}

/** Looks up a catalog app's manifest by id. */
export type CatalogLookup = (catalogId: string) => Manifest | undefined;

/** The engine's view of an opened core (`openCore`). */
export function deployCoreOf(core: {
  db: { handle: SqliteDatabase };
  apps: AppRepository;
  ports: PortAllocator;
  audit: AuditLog;
  operations: Operations;
  events: CoreEventPublisher;
  now: () => Date;
  secretCipher?: SecretCipher;
}): DeployCore {
  return { db: core.db.handle, apps: core.apps, ports: core.ports, audit: core.audit, operations: core.operations, events: core.events, now: core.now, secretCipher: core.secretCipher };
}

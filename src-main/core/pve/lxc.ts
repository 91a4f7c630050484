// Containers: create (with a VMID from /cluster/nextid, retried when the race for it is lost), destroy, config
// get/set, status and interfaces, and waiting for a guest's `lock` to clear (pve-container API2/LXC.pm,
// API2/LXC/Config.pm, API2/LXC/Status.pm; wait-for-unlock after create as bpg's WaitForConfigUnlock).
import { z } from 'zod';
import { ProximityError } from '../errors';
import { startContainer } from './lxc-power';
import { nextVmid, parseNode, parseVmid } from './nodes';
import type { PveClient } from './pve-client';
import { isNotFound, isTransientDispatchError } from './pve-errors';
import { delay, withRetry } from './retry';
import type { LxcOpOptions } from './lxc-power';
import { runTask, upidSchema, type TaskOutcome } from './tasks';

/** A volume id such as `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst` (storage id, then a path). */
export const VOLID_RE = /^[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]:[a-zA-Z0-9_./-]+$/;
/** PVE's dns-name format (one or more labels). */
export const DNS_NAME_RE = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
/** One property string (`name=eth0,bridge=vmbr0,ip=dhcp`): no whitespace, no control characters. */
const PROP_STRING_RE = /^[A-Za-z0-9_-]+=[^\s,=]*(,[A-Za-z0-9_-]+=[^\s,=]*)*$/;
/** Config keys as pve-container names them (`memory`, `net0`, `ssh-public-keys`, `mp3`). */
const CONFIG_KEY_RE = /^[a-z][a-z0-9_-]*$/;

/** What Proximity may set when creating a container; every value checked before it reaches PVE. */
export const lxcCreateSpecSchema = z.object({
  ostemplate: z.string().max(255).regex(VOLID_RE, 'a template volume id such as local:vztmpl/<file>'),
  hostname: z.string().regex(DNS_NAME_RE, 'a DNS name').optional(),
  /** MiB */
  memory: z.number().int().min(16).optional(),
  /** MiB */
  swap: z.number().int().min(0).optional(),
  cores: z.number().int().min(1).max(8192).optional(),
  /** `STORAGE:SIZE_GiB`, e.g. `local-lvm:8` */
  rootfs: z.string().regex(/^[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]:\d+(\.\d+)?$/, 'STORAGE:SIZE_GiB').optional(),
  /** net0, net1, ... as property strings (built and checked by the network code) */
  nets: z.array(z.string().max(1024).regex(PROP_STRING_RE, 'a property string such as name=eth0,bridge=vmbr0,ip=dhcp')).max(32).optional(),
  unprivileged: z.boolean().optional(),
  /** e.g. `nesting=1,keyctl=1` */
  features: z.string().regex(PROP_STRING_RE).optional(),
  password: z.string().min(5).max(4096).optional(),
  /** one OpenSSH public key per line */
  sshPublicKeys: z.string().max(65_536).regex(/^(ssh|ecdsa|sk)-[^\r]*$/, 'OpenSSH public keys, one per line').optional(),
  onboot: z.boolean().optional(),
  nameserver: z.string().regex(/^[0-9a-fA-F.:\s]+$/).optional(),
  searchdomain: z.string().regex(/^[a-zA-Z0-9.\-\s]+$/).optional(),
  description: z.string().max(8192).optional(),
  /** `;`-separated PVE tags */
  tags: z.string().regex(/^[a-z0-9_][a-z0-9_\-+.]*(;[a-z0-9_][a-z0-9_\-+.]*)*$/i).optional(),
  /** start once created (done as a separate start after the create task and the lock cleared) */
  start: z.boolean().optional(),
});
export type LxcCreateSpec = z.infer<typeof lxcCreateSpecSchema>;

export type { LxcOpOptions } from './lxc-power';
// the power operations, so callers find every container operation here
export { rebootContainer, shutdownContainer, startContainer, stopContainer } from './lxc-power';

function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ProximityError('VALIDATION', `Invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

function createParams(vmid: number, s: LxcCreateSpec): Record<string, string | number | boolean> {
  const p: Record<string, string | number | boolean> = { vmid, ostemplate: s.ostemplate };
  const copy = { hostname: s.hostname, memory: s.memory, swap: s.swap, cores: s.cores, rootfs: s.rootfs, unprivileged: s.unprivileged, features: s.features, password: s.password, 'ssh-public-keys': s.sshPublicKeys, onboot: s.onboot, nameserver: s.nameserver, searchdomain: s.searchdomain, description: s.description, tags: s.tags };
  for (const [k, v] of Object.entries(copy)) if (v !== undefined) p[k] = v;
  s.nets?.forEach((n, i) => (p[`net${i}`] = n));
  return p;
}

/** True for the answers of a create whose VMID someone else took first. */
function lostVmidRace(e: unknown): boolean {
  return e instanceof ProximityError && e.code === 'CONFLICT';
}

/**
 * Creates a container (POST /nodes/{node}/lxc, task `vzcreate`) and waits for the task and for the `create`
 * lock to clear; with `spec.start`, then starts it. Without `opts.vmid` the VMID comes from /cluster/nextid and
 * a lost race ("CT <id> already exists") takes the next one (3 tries). Returns the VMID and the create task's
 * outcome. Throws VALIDATION (spec), CONFLICT (given VMID taken), PVE_TASK_FAILED (the create task's error
 * with its log), PVE_LOCKED, PVE_TIMEOUT, CANCELLED, or a request error.
 */
export async function createContainer(
  client: PveClient,
  node: string,
  spec: LxcCreateSpec,
  opts: LxcOpOptions & { vmid?: number } = {},
): Promise<{ vmid: number; outcome: TaskOutcome }> {
  const s = validate(lxcCreateSpecSchema, spec, 'container settings');
  const n = parseNode(node);
  for (let race = 1; ; race++) {
    const vmid = opts.vmid ?? (await nextVmid(client, { signal: opts.signal }));
    let outcome: TaskOutcome;
    try {
      const run = await runTask(
        client,
        () => client.get((api) => api.nodes.$(n).lxc.$post(createParams(vmid, s) as never), upidSchema, { signal: opts.signal }),
        { ...opts, what: `create CT ${vmid}` },
      );
      if (run.alreadyDone) throw new ProximityError('INTERNAL', 'create cannot be already done');
      outcome = run.outcome;
    } catch (e) {
      if (opts.vmid === undefined && race < 3 && lostVmidRace(e)) continue;
      throw e;
    }
    await waitForUnlock(client, n, vmid, { signal: opts.signal, timeoutMs: opts.timeoutMs });
    if (s.start) await startContainer(client, n, vmid, opts);
    return { vmid, outcome };
  }
}

/**
 * Destroys a container (DELETE, task `vzdestroy`); one that does not exist counts as destroyed. `purge` also
 * removes it from backup/replication/HA jobs; `force` stops a running one first. Returns false when it was already
 * gone. Throws PVE_TASK_FAILED, PVE_LOCKED, ...
 */
export async function destroyContainer(client: PveClient, node: string, vmid: number, opts: LxcOpOptions & { purge?: boolean; force?: boolean } = {}): Promise<boolean> {
  const n = parseNode(node);
  const id = parseVmid(vmid);
  const params: Record<string, boolean> = {};
  if (opts.purge) params.purge = true;
  if (opts.force) params.force = true;
  const run = await runTask(client, () => client.get((api) => api.nodes.$(n).lxc.$(id).$delete(params), upidSchema, { signal: opts.signal }), {
    ...opts,
    what: `destroy CT ${id}`,
    alreadyDone: isNotFound,
  });
  return !run.alreadyDone;
}

/** GET .../config: the fields decisions are taken on; the rest passes through. */
export const lxcConfigSchema = z.looseObject({
  digest: z.string(),
  lock: z.string().optional(),
  hostname: z.string().optional(),
  memory: z.coerce.number().optional(),
  cores: z.coerce.number().optional(),
  unprivileged: z.coerce.number().optional(),
});
export type LxcConfig = z.infer<typeof lxcConfigSchema>;

/** GET .../lxc/{vmid}/config (`digest` for optimistic updates, `lock` while an operation holds it). PVE_NOT_FOUND when absent. */
export function getContainerConfig(client: PveClient, node: string, vmid: number, signal?: AbortSignal): Promise<LxcConfig> {
  return client.get((api) => api.nodes.$(parseNode(node)).lxc.$(parseVmid(vmid)).config.$get(), lxcConfigSchema, { signal });
}

/** A config PUT: options to set and to delete, optionally against a digest. */
export interface ConfigChange {
  /** options to set; values are strings, numbers or booleans (sent as 0/1) */
  set?: Record<string, string | number | boolean>;
  /** options to remove */
  delete?: string[];
  /** fail (PVE 500 "detected modified configuration") if the config changed since this digest */
  digest?: string;
}

/**
 * PUT .../lxc/{vmid}/config (synchronous). A held lock (`CT is locked (...)`, or the config file lock's `got
 * timeout` after PVE's own wait) is retried with backoff (bpg NewAPICallOperation). Throws VALIDATION for a key
 * or value that cannot be sent, PVE_LOCKED when retries run out, PVE_API_ERROR (400 with `errors`), PVE_NOT_FOUND.
 */
export async function setContainerConfig(client: PveClient, node: string, vmid: number, change: ConfigChange, opts: Pick<LxcOpOptions, 'signal' | 'retry' | 'onRetry'> = {}): Promise<void> {
  const n = parseNode(node);
  const id = parseVmid(vmid);
  const params: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(change.set ?? {})) {
    if (!CONFIG_KEY_RE.test(k) || ['delete', 'digest', 'revert', 'node', 'vmid'].includes(k)) throw new ProximityError('VALIDATION', `'${k}' is not a container option`);
    if (typeof v === 'string' && k !== 'description' && /[\r\n\0]/.test(v)) throw new ProximityError('VALIDATION', `The value of '${k}' must be one line`);
    params[k] = v;
  }
  for (const k of change.delete ?? []) if (!CONFIG_KEY_RE.test(k)) throw new ProximityError('VALIDATION', `'${k}' is not a container option`);
  if (change.delete?.length) params.delete = change.delete.join(',');
  if (change.digest !== undefined) params.digest = z.string().regex(/^[0-9a-f]{1,64}$/).parse(change.digest);
  await withRetry(() => client.call((api) => api.nodes.$(n).lxc.$(id).config.$put(params as never), { signal: opts.signal, retry: false }), (e) => isTransientDispatchError(e), {
    policy: opts.retry,
    signal: opts.signal,
    onRetry: opts.onRetry,
  });
}

/** GET .../status/current (bytes, cpu 0..1, uptime s). */
export const lxcStatusSchema = z.object({
  status: z.enum(['running', 'stopped']),
  vmid: z.coerce.number(),
  name: z.string().optional(),
  lock: z.string().optional(),
  uptime: z.coerce.number().optional(),
  cpu: z.coerce.number().optional(),
  cpus: z.coerce.number().optional(),
  mem: z.coerce.number().optional(),
  maxmem: z.coerce.number().optional(),
  disk: z.coerce.number().optional(),
  maxdisk: z.coerce.number().optional(),
});
export type LxcStatus = z.infer<typeof lxcStatusSchema>;

/** GET .../status/current. PVE_NOT_FOUND when the container does not exist. */
export function containerStatus(client: PveClient, node: string, vmid: number, signal?: AbortSignal): Promise<LxcStatus> {
  return client.get((api) => api.nodes.$(parseNode(node)).lxc.$(parseVmid(vmid)).status.current.$get(), lxcStatusSchema, { signal });
}

/** One row of GET .../interfaces (`inet` is `a.b.c.d/len`). */
export const lxcInterfaceSchema = z.object({
  name: z.string(),
  hwaddr: z.string().optional(),
  inet: z.string().optional(),
  inet6: z.union([z.string(), z.array(z.string())]).optional(),
});
export type LxcInterface = z.infer<typeof lxcInterfaceSchema>;

/** GET .../interfaces: the running container's interfaces with their addresses; [] when it is not running (PVE: null). */
export async function containerInterfaces(client: PveClient, node: string, vmid: number, signal?: AbortSignal): Promise<LxcInterface[]> {
  const r = await client.get((api) => api.nodes.$(parseNode(node)).lxc.$(parseVmid(vmid)).interfaces.$get(), z.array(lxcInterfaceSchema).nullable(), { signal });
  return r ?? [];
}

/**
 * Waits until the container's config has no `lock` (after a create, a backup, a snapshot). Polls the config
 * from 100 ms backing off to 1 s. Throws PVE_LOCKED past `timeoutMs` (default 120 s), CANCELLED, PVE_NOT_FOUND.
 */
export async function waitForUnlock(client: PveClient, node: string, vmid: number, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
  const started = performance.now();
  const limit = opts.timeoutMs ?? 120_000;
  for (let interval = 100; ; interval = Math.min(1000, interval * 2)) {
    const cfg = await getContainerConfig(client, node, vmid, opts.signal);
    if (cfg.lock === undefined) return;
    if (performance.now() - started > limit) {
      throw new ProximityError('PVE_LOCKED', `CT ${vmid} is still locked (${cfg.lock}) after ${Math.round(limit / 1000)} s.`, { details: { node, vmid, lock: cfg.lock } });
    }
    await delay(interval, opts.signal);
  }
}

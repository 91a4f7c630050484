// Snapshots, vzdump backups and restore of containers (pve-container API2/LXC/Snapshot.pm, pve-manager
// API2/VZDump.pm, restore = POST /nodes/{node}/lxc with `restore=1` and the archive as `ostemplate`).
// Snapshot and backup workers hold the guest's `lock` (snapshot/backup) while they run.
import { z } from 'zod';
import { ProximityError } from '../errors';
import { parseNode, parseVmid } from './nodes';
import type { PveClient } from './pve-client';
import { isNotFound } from './pve-errors';
import { runTask, upidSchema, type RunTaskOptions, type TaskOutcome } from './tasks';
import { STORAGE_ID_RE } from './templates';
import { VOLID_RE, waitForUnlock } from './lxc';

/** pve-configid, at most 40 characters; `current` and `vzdump` are reserved by PVE. */
export const SNAPSHOT_NAME_RE = /^[a-zA-Z][a-zA-Z0-9_-]{1,39}$/;

/** Options of a task-starting operation: retries, cancellation, deadline, task-log stream. */
export type TaskOpOptions = Omit<RunTaskOptions, 'what' | 'alreadyDone' | 'redispatchOnLockedTask'>;

/** One row of GET .../lxc/{vmid}/snapshot (`snaptime` in s since the epoch). */
export const snapshotSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  snaptime: z.coerce.number().optional(),
  parent: z.string().optional(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

function ids(node: string, vmid: number): { n: string; id: number } {
  return { n: parseNode(node), id: parseVmid(vmid) };
}

function snapName(name: string): string {
  if (!SNAPSHOT_NAME_RE.test(name) || name === 'current' || name === 'vzdump') {
    throw new ProximityError('VALIDATION', `'${name}' cannot be a snapshot name: 2-40 letters, digits, _ or -, starting with a letter; not 'current' or 'vzdump'`);
  }
  return name;
}

function outcomeOf(run: Awaited<ReturnType<typeof runTask>>): TaskOutcome {
  if (run.alreadyDone) throw new ProximityError('INTERNAL', 'this operation cannot be already done');
  return run.outcome;
}

/** The container's snapshots, without PVE's pseudo entry `current`. */
export async function listSnapshots(client: PveClient, node: string, vmid: number, signal?: AbortSignal): Promise<Snapshot[]> {
  const { n, id } = ids(node, vmid);
  const rows = await client.get((api) => api.nodes.$(n).lxc.$(id).snapshot.$get(), z.array(snapshotSchema), { signal });
  return rows.filter((s) => s.name !== 'current');
}

/** Takes a snapshot (task `vzsnapshot`). Throws VALIDATION (name), PVE_TASK_FAILED (e.g. storage cannot snapshot). */
export async function createSnapshot(client: PveClient, node: string, vmid: number, name: string, opts: TaskOpOptions & { description?: string } = {}): Promise<TaskOutcome> {
  const { n, id } = ids(node, vmid);
  const params: Record<string, string> = { snapname: snapName(name) };
  if (opts.description !== undefined) params.description = opts.description;
  return outcomeOf(await runTask(client, () => client.get((api) => api.nodes.$(n).lxc.$(id).snapshot.$post(params as never), upidSchema, { signal: opts.signal }), { ...opts, what: `snapshot CT ${id}` }));
}

/** Deletes a snapshot (task `vzdelsnapshot`); a snapshot that does not exist counts as deleted (returns false). */
export async function deleteSnapshot(client: PveClient, node: string, vmid: number, name: string, opts: TaskOpOptions = {}): Promise<boolean> {
  const { n, id } = ids(node, vmid);
  const snap = snapName(name);
  const run = await runTask(client, () => client.get((api) => api.nodes.$(n).lxc.$(id).snapshot.$(snap).$delete(), upidSchema, { signal: opts.signal }), {
    ...opts,
    what: `delete snapshot ${snap} of CT ${id}`,
    alreadyDone: isNotFound,
  });
  return !run.alreadyDone;
}

/** Rolls the container back to a snapshot (task `vzrollback`); `start` starts it afterwards (separate vzstart). */
export async function rollbackSnapshot(client: PveClient, node: string, vmid: number, name: string, opts: TaskOpOptions & { start?: boolean } = {}): Promise<TaskOutcome> {
  const { n, id } = ids(node, vmid);
  const snap = snapName(name);
  return outcomeOf(await runTask(client, () => client.get((api) => api.nodes.$(n).lxc.$(id).snapshot.$(snap).rollback.$post(opts.start ? { start: true } : {}), upidSchema, { signal: opts.signal }), {
    ...opts,
    what: `roll CT ${id} back to ${snap}`,
  }));
}

export interface BackupOptions extends TaskOpOptions {
  /** storage with `backup` content (default: PVE's default, `local`) */
  storage?: string;
  /** snapshot (default, no downtime where the storage can), suspend, or stop */
  mode?: 'snapshot' | 'suspend' | 'stop';
  compress?: 'zstd' | 'gzip' | 'lzo' | '0';
  /** notes of the archive; PVE expands {{guestname}}, {{vmid}} ... */
  notesTemplate?: string;
}

/**
 * Backs one container up (POST /nodes/{node}/vzdump, task `vzdump`). Returns the task's outcome and the archive's
 * volid when the log names it (`creating vzdump archive '<path>'`) and a storage was given. Throws PVE_TASK_FAILED
 * ("job errors", the log says why).
 */
export async function backupContainer(client: PveClient, node: string, vmid: number, opts: BackupOptions = {}): Promise<{ outcome: TaskOutcome; volid?: string }> {
  const { n, id } = ids(node, vmid);
  const params: Record<string, string | number> = { vmid: String(id) };
  if (opts.storage !== undefined) {
    if (!STORAGE_ID_RE.test(opts.storage)) throw new ProximityError('VALIDATION', `'${opts.storage}' is not a storage id`);
    params.storage = opts.storage;
  }
  if (opts.mode) params.mode = opts.mode;
  if (opts.compress) params.compress = opts.compress;
  if (opts.notesTemplate !== undefined) {
    if (/[\r\0]/.test(opts.notesTemplate)) throw new ProximityError('VALIDATION', 'Backup notes must not contain control characters');
    params['notes-template'] = opts.notesTemplate;
  }
  let archive: string | undefined;
  const run = await runTask(client, () => client.get((api) => api.nodes.$(n).vzdump.$post(params as never), upidSchema, { signal: opts.signal }), {
    ...opts,
    what: `back up CT ${id}`,
    onLog: (lines) => {
      for (const l of lines) {
        const m = /creating (?:vzdump )?archive '([^']+)'/.exec(l.t);
        if (m) archive = m[1];
      }
      opts.onLog?.(lines);
    },
  });
  const outcome = outcomeOf(run);
  const file = archive?.split('/').pop();
  return { outcome, ...(file && opts.storage ? { volid: `${opts.storage}:backup/${file}` } : {}) };
}

/** One backup archive of GET .../storage/{storage}/content?content=backup (`size` bytes, `ctime` s). */
export const backupVolumeSchema = z.object({
  volid: z.string(),
  size: z.coerce.number().optional(),
  ctime: z.coerce.number().optional(),
  vmid: z.coerce.number().optional(),
  notes: z.string().optional(),
  format: z.string().optional(),
});
export type BackupVolume = z.infer<typeof backupVolumeSchema>;

/** The backups of a storage (optionally of one guest), newest first. */
export async function listBackups(client: PveClient, node: string, storage: string, opts: { vmid?: number; signal?: AbortSignal } = {}): Promise<BackupVolume[]> {
  const n = parseNode(node);
  if (!STORAGE_ID_RE.test(storage)) throw new ProximityError('VALIDATION', `'${storage}' is not a storage id`);
  const q: Record<string, string | number> = { content: 'backup' };
  if (opts.vmid !== undefined) q.vmid = parseVmid(opts.vmid);
  const rows = await client.get((api) => api.nodes.$(n).storage.$(storage).content.$get(q as never), z.array(backupVolumeSchema), { signal: opts.signal });
  return rows.sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0));
}

/**
 * Restores a backup archive into container `vmid` (task `vzrestore`), then waits for its lock to clear. `force`
 * overwrites an existing container of that id; `storage` is where the disks go. Throws CONFLICT (exists and no
 * force), PVE_TASK_FAILED, ...
 */
export async function restoreContainer(client: PveClient, node: string, vmid: number, archive: string, opts: TaskOpOptions & { storage?: string; force?: boolean; unique?: boolean } = {}): Promise<TaskOutcome> {
  const { n, id } = ids(node, vmid);
  if (!VOLID_RE.test(archive)) throw new ProximityError('VALIDATION', `'${archive}' is not a backup volume id`);
  const params: Record<string, string | number | boolean> = { vmid: id, ostemplate: archive, restore: true };
  if (opts.storage !== undefined) {
    if (!STORAGE_ID_RE.test(opts.storage)) throw new ProximityError('VALIDATION', `'${opts.storage}' is not a storage id`);
    params.storage = opts.storage;
  }
  if (opts.force) params.force = true;
  if (opts.unique) params.unique = true;
  const outcome = outcomeOf(await runTask(client, () => client.get((api) => api.nodes.$(n).lxc.$post(params as never), upidSchema, { signal: opts.signal }), { ...opts, what: `restore CT ${id}` }));
  await waitForUnlock(client, n, id, { signal: opts.signal, timeoutMs: opts.timeoutMs });
  return outcome;
}

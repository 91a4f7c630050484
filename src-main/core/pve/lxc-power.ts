// Container power: start, stop, shutdown, reboot (pve-container API2/LXC/Status.pm), each a task.
// "Already running" on start and "not running" on stop/shutdown are answered 500 before any task exists; they
// mean the container is already where the caller wants it, so they count as success (bpg treats "already
// running" so). Since pve-container 5.x (2024) these workers take the config lock themselves
// (`lock_config($vmid, $realcmd)`): a held lock ends the task with `can't lock file ... got timeout` before it did
// anything, so such a task may be dispatched again.
import { parseNode, parseVmid } from './nodes';
import type { PveClient } from './pve-client';
import { reasonMatches } from './pve-errors';
import { runTask, upidSchema, type RunTaskOptions, type TaskRun } from './tasks';

/** Options of the container operations: retries, cancellation, deadline and the task-log stream. */
export type LxcOpOptions = Omit<RunTaskOptions, 'what' | 'alreadyDone' | 'redispatchOnLockedTask'>;

type PowerAction = 'start' | 'stop' | 'shutdown' | 'reboot';

async function power(client: PveClient, node: string, vmid: number, action: PowerAction, params: Record<string, number | boolean>, alreadyDone: RegExp | undefined, opts: LxcOpOptions): Promise<TaskRun> {
  const n = parseNode(node);
  const id = parseVmid(vmid);
  return runTask(client, () => client.get((api) => api.nodes.$(n).lxc.$(id).status[action].$post(params), upidSchema, { signal: opts.signal }), {
    ...opts,
    what: `${action} CT ${id}`,
    alreadyDone: alreadyDone ? (e) => reasonMatches(e, alreadyDone) : undefined,
    redispatchOnLockedTask: true,
  });
}

/**
 * Starts a container (task `vzstart`). Resolves `{alreadyDone: true}` when it was already running. Throws
 * PVE_TASK_FAILED (e.g. `startup for container '100' failed`, with the log), PVE_LOCKED, PVE_NOT_FOUND, ...
 */
export function startContainer(client: PveClient, node: string, vmid: number, opts: LxcOpOptions = {}): Promise<TaskRun> {
  return power(client, node, vmid, 'start', {}, /^CT \d+ already running$/, opts);
}

/** Stops a container at once (task `vzstop`); `{alreadyDone: true}` when it was not running. */
export function stopContainer(client: PveClient, node: string, vmid: number, opts: LxcOpOptions = {}): Promise<TaskRun> {
  return power(client, node, vmid, 'stop', {}, /^CT \d+ not running$/, opts);
}

/**
 * Shuts a container down cleanly (task `vzshutdown`): `timeoutS` seconds for its init (PVE default 60), then, with
 * `forceStop`, a hard stop. `{alreadyDone: true}` when it was not running.
 */
export function shutdownContainer(client: PveClient, node: string, vmid: number, opts: LxcOpOptions & { timeoutS?: number; forceStop?: boolean } = {}): Promise<TaskRun> {
  const params: Record<string, number | boolean> = {};
  if (opts.timeoutS !== undefined) params.timeout = opts.timeoutS;
  if (opts.forceStop !== undefined) params.forceStop = opts.forceStop;
  return power(client, node, vmid, 'shutdown', params, /^CT \d+ not running$/, opts);
}

/** Reboots a running container (task `vzreboot`); a stopped one is an error (PVE: 500 "VM <id> not running"). */
export function rebootContainer(client: PveClient, node: string, vmid: number, opts: LxcOpOptions & { timeoutS?: number } = {}): Promise<TaskRun> {
  return power(client, node, vmid, 'reboot', opts.timeoutS !== undefined ? { timeout: opts.timeoutS } : {}, undefined, opts);
}

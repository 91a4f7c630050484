// PVE worker tasks: waiting for one (adaptive polling, streamed log, cancellation, deadline) and dispatching an
// operation that starts one, with bpg/terraform-provider-proxmox's rules (proxmox/retry DoTask): the dispatch is
// retried on transient failures; a task that ran is never dispatched again; "already done" answers are success.
//
// Task API (pve-manager API2/Tasks.pm): GET /nodes/{node}/tasks/{upid}/status -> {status: running|stopped,
// exitstatus: "OK" | "WARNINGS: n" | <error text>}; GET .../log?start=N&limit=M -> [{n, t}] + `total`; the last
// line is "TASK OK" / "TASK WARNINGS: n" / "TASK ERROR: <msg>". Right after the dispatch, a task of another
// node may not be known yet (400 errors.upid "no such task"): retried for a short while, as bpg does.
import { z } from 'zod';
import { ProximityError } from '../errors';
import type { PveClient } from './pve-client';
import { isLockTimeoutText, isNoSuchTask, isTransientDispatchError } from './pve-errors';
import { backoffDelayMs, cancelledError, delay, DEFAULT_RETRY, type RetryPolicy } from './retry';

/** `UPID:node:pid:pstart:starttime:type:id:user:` (pve-common Tools.pm upid_decode). */
const UPID_RE = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** The parts of a UPID. */
export interface Upid {
  upid: string;
  node: string;
  type: string;
  /** the task's object, e.g. the vmid ("" for node-wide tasks) */
  id: string;
  /** authid that started it (`root@pam`, `root@pam!token`) */
  user: string;
  /** task start, seconds since the epoch (node clock) */
  starttime: number;
}

/** Parses a UPID; throws PVE_API_ERROR when PVE answered something that is not one. */
export function parseUpid(upid: unknown): Upid {
  const m = typeof upid === 'string' ? UPID_RE.exec(upid) : null;
  if (!m) throw new ProximityError('PVE_API_ERROR', `Proxmox VE answered ${JSON.stringify(upid)} where a task id (UPID) was expected`);
  return { upid: upid as string, node: m[1], type: m[6], id: m[7], user: m[8], starttime: parseInt(m[5], 16) };
}

/** What PVE's dump_logfile answers for an empty or missing log file. */
const PLACEHOLDER_LINE_RE = /^(no content|unable to open file - .*)$/;

/** A string that must be a UPID (the answer of every task-starting call). */
export const upidSchema = z.string().regex(UPID_RE, 'a task id (UPID)');

const taskStatusSchema = z.object({
  status: z.string(),
  exitstatus: z.string().optional(),
});
const taskLogSchema = z.array(z.object({ n: z.coerce.number().int(), t: z.string() }));

/** One task log line as PVE numbers it. */
export interface TaskLogLine {
  /** 1-based line number */
  n: number;
  t: string;
}

/** Options of waitForTask. */
export interface WaitForTaskOptions {
  signal?: AbortSignal;
  /** give up after this many ms (default 30 min); throws PVE_TIMEOUT. The task keeps running on the node. */
  timeoutMs?: number;
  /** called with each batch of new log lines, in order, as they appear */
  onLog?: (lines: TaskLogLine[]) => void;
  /** first poll interval (default 100 ms); grows with the task's age up to maxPollMs */
  minPollMs?: number;
  /** longest poll interval (default 1000 ms) */
  maxPollMs?: number;
  /** lines of the log tail kept for the result / error (default 20) */
  keepLines?: number;
  /** how long 400 "no such task" is taken for "not visible yet" (default 5000 ms) */
  unknownTaskGraceMs?: number;
}

/** A task that ended well: "OK", or "WARNINGS: n" (success with warnings; the WARN lines are kept). */
export interface TaskOutcome {
  upid: string;
  node: string;
  type: string;
  id: string;
  exitstatus: string;
  /** the `WARN: ...` lines of the log (empty for OK) */
  warnings: string[];
  /** the last `keepLines` log lines (without the final TASK line) */
  lastLines: string[];
  durationMs: number;
}

/** Details of a PVE_TASK_FAILED (or, for a lock failure inside the worker, PVE_LOCKED) error. */
export interface TaskFailureDetails {
  upid: string;
  node: string;
  type: string;
  id: string;
  exitstatus: string;
  lastLines: string[];
}

/**
 * The poll interval for a task this old: a tenth of its age, clamped to [min, max], so the time added after the
 * task ends stays below ~10 % of its run time (100 ms for a 1 s task, 1 s from 10 s on).
 */
export function pollIntervalMs(ageMs: number, minMs = 100, maxMs = 1000): number {
  return Math.min(maxMs, Math.max(minMs, Math.round(ageMs / 10)));
}

/**
 * Waits until the task stopped and returns its outcome; streams new log lines to `onLog` as they appear.
 * Throws PVE_TASK_FAILED (details: TaskFailureDetails, message with the last log lines) when it ended with an
 * error, PVE_LOCKED when that error is the config lock's `got timeout` (the worker did nothing), PVE_NOT_FOUND
 * when it says something "does not exist" (as bpg maps such 500s), PVE_TIMEOUT
 * past `timeoutMs`, CANCELLED when `signal` aborts, and any error of the status/log requests.
 */
export async function waitForTask(client: PveClient, upidText: string, opts: WaitForTaskOptions = {}): Promise<TaskOutcome> {
  const u = parseUpid(upidText);
  const started = performance.now();
  const deadline = started + (opts.timeoutMs ?? 30 * 60_000);
  const minPoll = opts.minPollMs ?? 100;
  const maxPoll = opts.maxPollMs ?? 1000;
  const keep = opts.keepLines ?? 20;
  const grace = opts.unknownTaskGraceMs ?? 5000;
  const tail: string[] = [];
  const warnings: string[] = [];
  let next = 0;
  const task = (api: Parameters<Parameters<PveClient['call']>[0]>[0]) => api.nodes.$(u.node).tasks.$(u.upid);

  const readLog = async (): Promise<void> => {
    for (;;) {
      const r = await client.call((api) => task(api).log.$get({ start: next, limit: 500 }), { schema: taskLogSchema, signal: opts.signal });
      // an empty or not yet created log reads as one placeholder line (dump_logfile): not progress
      const fresh = r.data.filter((l) => l.n > next && !(l.n === 1 && PLACEHOLDER_LINE_RE.test(l.t)));
      if (fresh.length === 0) return;
      next = fresh[fresh.length - 1].n;
      for (const l of fresh) {
        if (/^TASK (OK|ERROR: |WARNINGS: )/.test(l.t)) continue;
        if (l.t.startsWith('WARN: ')) warnings.push(l.t);
        tail.push(l.t);
        if (tail.length > keep) tail.shift();
      }
      opts.onLog?.(fresh);
      if (fresh.length < 500) return;
    }
  };

  for (;;) {
    if (opts.signal?.aborted) throw cancelledError(opts.signal, `Waiting for task ${u.type} ${u.id}`);
    let status: z.infer<typeof taskStatusSchema> | undefined;
    try {
      [status] = await Promise.all([
        client.get((api) => task(api).status.$get(), taskStatusSchema, { signal: opts.signal }),
        readLog(),
      ]);
    } catch (e) {
      if (!(isNoSuchTask(e) && performance.now() - started < grace)) throw e;
    }
    if (status?.status === 'stopped') {
      await readLog();
      const exitstatus = status.exitstatus ?? 'unknown';
      const durationMs = performance.now() - started;
      if (exitstatus === 'OK' || /^WARNINGS: \d+$/.test(exitstatus)) {
        return { upid: u.upid, node: u.node, type: u.type, id: u.id, exitstatus, warnings, lastLines: [...tail], durationMs };
      }
      throw taskError(u, exitstatus, tail);
    }
    const now = performance.now();
    if (now >= deadline) {
      throw new ProximityError('PVE_TIMEOUT', `Task ${u.type} ${u.id} on ${u.node} is still running after ${Math.round((now - started) / 1000)} s; it keeps running on the node.`, {
        details: { upid: u.upid, node: u.node, type: u.type, id: u.id, lastLines: [...tail] },
      });
    }
    await delay(Math.min(pollIntervalMs(now - started, minPoll, maxPoll), deadline - now), opts.signal);
  }
}

function taskError(u: Upid, exitstatus: string, tail: string[]): ProximityError {
  const details: TaskFailureDetails = { upid: u.upid, node: u.node, type: u.type, id: u.id, exitstatus, lastLines: [...tail] };
  const log = tail.length ? `\nLast log lines:\n${tail.slice(-10).join('\n')}` : '';
  if (/does not exist/.test(exitstatus)) {
    return new ProximityError('PVE_NOT_FOUND', `Task ${u.type} ${u.id} on ${u.node}: ${exitstatus}`, { details });
  }
  if (isLockTimeoutText(exitstatus)) {
    return new ProximityError('PVE_LOCKED', `Task ${u.type} ${u.id} on ${u.node} could not take the guest's lock: ${exitstatus}. Another operation holds it.${log}`, { details });
  }
  return new ProximityError('PVE_TASK_FAILED', `Task ${u.type} ${u.id} on ${u.node} failed: ${exitstatus}${log}`, { details });
}

/** Options of runTask: waitForTask's, plus the dispatch rules. */
export interface RunTaskOptions extends WaitForTaskOptions {
  /** what is being done, for messages ("start CT 100") */
  what: string;
  /** dispatch retries (default DEFAULT_RETRY: 6 attempts from 300 ms, equal jitter) */
  retry?: Partial<RetryPolicy>;
  /**
   * An error that means the work is already done ("already running" on start, "does not exist" on delete): the
   * operation succeeds. Checked for the dispatch's error and for the task's (a worker that found it gone).
   */
  alreadyDone?: (e: unknown) => boolean;
  /**
   * Whether a task that failed only on the config lock (`can't lock file ... got timeout` as its exit status) may
   * be dispatched again. Safe where the worker takes the lock before doing anything (pve-container's start, stop,
   * shutdown, reboot: `lock_config($vmid, $realcmd)`), so such a task did nothing. Default false.
   */
  redispatchOnLockedTask?: boolean;
  /** sees each retried failure and the delay before the next attempt */
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
}

/** How a task-starting operation ended: with its task, or already done without one. */
export type TaskRun = { alreadyDone: false; outcome: TaskOutcome } | { alreadyDone: true };

/**
 * Dispatches an operation that answers a UPID and waits for its task (bpg DoTask). The dispatch is retried on
 * transient failures (5xx before a task exists, lock `got timeout`, `got no worker upid`) with exponential
 * backoff and jitter; once a task ran, its failure is final (except a lock failure when
 * `redispatchOnLockedTask`). Throws the last dispatch error, or what waitForTask throws.
 */
export async function runTask(client: PveClient, dispatch: () => Promise<string>, opts: RunTaskOptions): Promise<TaskRun> {
  const policy = { ...DEFAULT_RETRY, ...opts.retry };
  for (let attempt = 1; ; attempt++) {
    let upid: string;
    try {
      upid = await dispatch();
    } catch (e) {
      if (opts.alreadyDone?.(e)) return { alreadyDone: true };
      if (attempt >= policy.attempts || !isTransientDispatchError(e)) throw e;
      await backoff(e, attempt);
      continue;
    }
    try {
      return { alreadyDone: false, outcome: await waitForTask(client, upid, opts) };
    } catch (e) {
      // e.g. a snapshot delete whose worker found the snapshot gone
      if (opts.alreadyDone?.(e)) return { alreadyDone: true };
      const lockedTask = e instanceof ProximityError && e.code === 'PVE_LOCKED' && (e.details as TaskFailureDetails | undefined)?.upid === upid;
      if (!lockedTask || !opts.redispatchOnLockedTask || attempt >= policy.attempts) throw e;
      await backoff(e, attempt);
    }
  }

  async function backoff(e: unknown, attempt: number): Promise<void> {
    const wait = backoffDelayMs(attempt, policy);
    opts.onRetry?.(e, attempt, wait);
    await delay(wait, opts.signal);
  }
}

// PVE worker tasks: UPIDs, running -> stopped with exitstatus, the task log, and the /nodes/{node}/tasks routes.
// Formats follow pve-common Tools.pm (upid_encode/upid_decode, dump_logfile) and pve-manager API2/Tasks.pm.
import type { FaultInjector } from './faults';
import { START_WORKER_FAILED_MESSAGE } from './faults';
import type { Router } from './router';
import { PveHttpError, type StartTaskOptions, type TaskManager } from './types';

export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  /** authid as written in the UPID (`root@pam` or `root@pam!proximity`) */
  authid: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  endtime?: number;
  lines: string[];
}

/** PVE's upid_decode regex (pve-common Tools.pm). */
const UPID_RE =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');

export function encodeUpid(t: Pick<TaskRecord, 'node' | 'pid' | 'pstart' | 'starttime' | 'type' | 'id' | 'authid'>): string {
  return `UPID:${t.node}:${hex8(t.pid)}:${hex8(t.pstart)}:${hex8(t.starttime)}:${t.type}:${t.id}:${t.authid}:`;
}

export function decodeUpid(upid: string) {
  const m = UPID_RE.exec(upid);
  if (!m) return undefined;
  return {
    node: m[1],
    pid: parseInt(m[3], 16),
    pstart: parseInt(m[4], 16),
    starttime: parseInt(m[5], 16),
    type: m[6],
    id: m[7],
    authid: m[8],
  };
}

export interface TaskManagerOptions {
  /** Seconds a task stays `running` before its work runs and it stops (0 = next event-loop turn). */
  taskSeconds: number;
  faults: FaultInjector;
}

export class LabTaskManager implements TaskManager {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly waiters = new Map<string, { resolve: (exit: string) => void; reject: (e: Error) => void }[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** tasks whose work has not begun yet (still inside their taskSeconds), so they can be stopped */
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; opts: StartTaskOptions }>();
  // A fake boot 1 h ago: pstart is in clock ticks (100 Hz) since boot, as /proc/<pid>/stat has it.
  private readonly bootMs = Date.now() - 3600_000;
  private nextPid = 100_000 + Math.floor(Math.random() * 100_000);
  private closed = false;

  constructor(private readonly opts: TaskManagerOptions) {}

  start(o: StartTaskOptions): string {
    if (this.opts.faults.takeStartWorkerFailure()) throw new PveHttpError(500, START_WORKER_FAILED_MESSAGE);
    const now = Date.now();
    const rec: TaskRecord = {
      node: o.node,
      pid: this.nextPid++,
      pstart: Math.floor((now - this.bootMs) / 10),
      starttime: Math.floor(now / 1000),
      type: o.type,
      id: o.id,
      authid: o.identity.authid,
      status: 'running',
      lines: [],
      upid: '',
    };
    rec.upid = encodeUpid(rec);
    this.tasks.set(rec.upid, rec);
    // Faults are bound at start so "fail the next vzcreate" means the next one started, whatever runs first.
    const injected = this.opts.faults.takeTaskFailure(o.type);
    o.onStart?.();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.pending.delete(rec.upid);
      void this.runTask(rec, o, injected);
    }, Math.max(0, this.opts.taskSeconds * 1000));
    this.timers.add(timer);
    this.pending.set(rec.upid, { timer, opts: o });
    return rec.upid;
  }

  /**
   * DELETE /nodes/{node}/tasks/{upid}: PVE sends the worker SIGTERM and it ends "interrupted by signal". Only a
   * task whose work has not begun can be interrupted here; one already doing its work finishes normally.
   */
  stop(upid: string): void {
    const p = this.pending.get(upid);
    const rec = this.tasks.get(upid);
    if (!p || !rec) return;
    clearTimeout(p.timer);
    this.timers.delete(p.timer);
    this.pending.delete(upid);
    void this.runTask(rec, { ...p.opts, run: () => {} }, 'interrupted by signal');
  }

  private async runTask(rec: TaskRecord, o: StartTaskOptions, injected: string | undefined): Promise<void> {
    let warnings = 0;
    const line = (text: string) => void rec.lines.push(...String(text).replace(/\n+$/, '').split('\n'));
    const log = { line, warn: (text: string) => { warnings++; line(`WARN: ${text}`); } };
    let error: string | undefined = injected;
    if (error === undefined) {
      try {
        await o.run(log);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        if (!error) error = 'unknown error';
      }
    }
    // fork_worker: `chomp $err; $err =~ s/\n/ /mg;` before printing "TASK ERROR: $err"
    error = error?.replace(/\n+$/, '').replace(/\n/g, ' ');
    try {
      o.onEnd?.(error === undefined);
    } catch (e) {
      // a broken cleanup hook must not leave the task running forever; record it like PVE's worker would
      rec.lines.push(`cleanup failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    rec.exitstatus = error !== undefined ? error : warnings > 0 ? `WARNINGS: ${warnings}` : 'OK';
    rec.lines.push(error !== undefined ? `TASK ERROR: ${error}` : `TASK ${rec.exitstatus}`);
    rec.status = 'stopped';
    rec.endtime = Math.floor(Date.now() / 1000);
    for (const w of this.waiters.get(rec.upid) ?? []) w.resolve(rec.exitstatus);
    this.waiters.delete(rec.upid);
  }

  wait(upid: string): Promise<string> {
    const rec = this.tasks.get(upid);
    if (!rec) return Promise.reject(new Error(`no such task: ${upid}`));
    if (rec.status === 'stopped') return Promise.resolve(rec.exitstatus!);
    if (this.closed) return Promise.reject(new Error(`emulator closed before task ${upid} finished`));
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(upid) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(upid, list);
    });
  }

  get(upid: string): TaskRecord | undefined {
    return this.tasks.get(upid);
  }

  list(): TaskRecord[] {
    return [...this.tasks.values()];
  }

  /** Cancel pending task timers (emulator shutdown); whoever waits for an unfinished task gets an error. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
    for (const [upid, list] of this.waiters) {
      for (const w of list) w.reject(new Error(`emulator closed before task ${upid} finished`));
    }
    this.waiters.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** The task object as GET /nodes/{node}/tasks and .../status return it. */
function taskInfo(t: TaskRecord): Record<string, unknown> {
  const [user, tokenid] = t.authid.split('!');
  const o: Record<string, unknown> = {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user,
  };
  if (tokenid) o.tokenid = tokenid;
  return o;
}

/** Find a task as Tasks.pm does: unparsable => 400 "unable to parse worker upid", unknown => 400 "no such task". */
function lookup(tasks: LabTaskManager, node: string, upid: string): TaskRecord {
  const d = decodeUpid(upid);
  if (!d) throw new PveHttpError(400, 'Parameter verification failed.', { upid: 'unable to parse worker upid' });
  const rec = tasks.get(upid);
  // A task of another node is "no such task" here: its log file lives on that node.
  if (!rec || d.node !== node) throw new PveHttpError(400, 'Parameter verification failed.', { upid: 'no such task' });
  return rec;
}

/** PVE::Tools::dump_logfile: 1-based `n`, `total` = all lines, limit 0 = to the end, "no content" when empty. */
function dumpLog(lines: string[], start: number, limit: number): { data: { n: number; t: string }[]; total: number } {
  if (lines.length === 0) return { data: [{ n: 1, t: 'no content' }], total: 1 };
  const end = limit === 0 ? lines.length : Math.min(lines.length, start + limit);
  const data = [];
  for (let i = start; i < end; i++) data.push({ n: i + 1, t: lines[i] });
  return { data, total: lines.length };
}

export function registerTaskRoutes(router: Router, tasks: LabTaskManager): void {
  router.on('GET', '/nodes/{node}/tasks', ({ params }) => {
    let list = tasks
      .list()
      .filter((t) => t.node === params.node)
      .sort((a, b) => b.starttime - a.starttime || b.pid - a.pid);
    const source = params.source ?? 'archive';
    if (source === 'active') list = list.filter((t) => t.status === 'running');
    else if (source === 'archive') list = list.filter((t) => t.status === 'stopped');
    if (params.typefilter) list = list.filter((t) => t.type === params.typefilter);
    if (params.userfilter) list = list.filter((t) => t.authid.includes(params.userfilter));
    if (params.vmid !== undefined) list = list.filter((t) => t.id === String(params.vmid));
    if (params.errors) list = list.filter((t) => t.status === 'stopped' && t.exitstatus !== 'OK');
    if (params.since !== undefined) list = list.filter((t) => t.starttime >= params.since);
    if (params.until !== undefined) list = list.filter((t) => t.starttime <= params.until);
    const total = list.length;
    const start = params.start ?? 0;
    const limit = params.limit ?? 50;
    const page = list.slice(start, limit === 0 ? undefined : start + limit);
    const data = page.map((t) => {
      const o = taskInfo(t);
      if (t.status === 'stopped') Object.assign(o, { status: t.exitstatus, endtime: t.endtime });
      else o.status = 'RUNNING'; // node_tasks: active tasks without a status (source=active|all)
      return o;
    });
    return { data, total };
  });

  // Tasks.pm upid_index is a plain index helper: it never looks at the UPID
  router.on('GET', '/nodes/{node}/tasks/{upid}', () => [{ name: 'log' }, { name: 'status' }]);

  router.on('GET', '/nodes/{node}/tasks/{upid}/status', ({ params }) => {
    const t = lookup(tasks, params.node, params.upid);
    const o = taskInfo(t);
    o.status = t.status;
    if (t.status === 'stopped') o.exitstatus = t.exitstatus;
    return o;
  });

  router.on('DELETE', '/nodes/{node}/tasks/{upid}', ({ params }) => {
    const t = lookup(tasks, params.node, params.upid);
    tasks.stop(t.upid);
    return null;
  });

  router.on('GET', '/nodes/{node}/tasks/{upid}/log', ({ params }) => {
    // read_task_log only parses the UPID (no "no such task"); dump_logfile turns a missing log file into a line
    if (!decodeUpid(params.upid)) throw new PveHttpError(400, 'Parameter verification failed.', { upid: 'unable to parse worker upid' });
    const t = tasks.get(params.upid);
    if (!t || t.node !== params.node) return { data: [{ n: 1, t: 'unable to open file - No such file or directory' }], total: 1 };
    return dumpLog(t.lines, params.start ?? 0, params.limit ?? 50);
  });
}

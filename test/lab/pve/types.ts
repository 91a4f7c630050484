// Shared shapes of the PVE API emulator. The HTTP layer (server, auth, router, tasks, faults) and the
// cluster state (nodes, storage, LXC, network, snapshots, backups) meet only through these types.

/** An error as PVE sends it: HTTP status, the message as reason phrase, optional `errors` map (400s). */
export class PveHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'PveHttpError';
  }
}

/** Who is calling: a ticket user (`root@pam`) or a token (`root@pam!proximity`). */
export interface PveIdentity {
  /** user id without token part, e.g. root@pam */
  user: string;
  /** token id (the part after `!`) when authenticated by API token */
  tokenId?: string;
  /** the string PVE writes in UPIDs and logs: `root@pam` or `root@pam!proximity` */
  authid: string;
}

export interface TaskLog {
  /** Append one line to the task log (PVE's `{n,t}` entries). */
  line(text: string): void;
  /**
   * `$rpcenv->warn` / `log_warn` inside the worker: logs `WARN: <text>` and counts it; a task that otherwise
   * succeeds then ends `TASK WARNINGS: <n>` with exitstatus `WARNINGS: <n>` (pve-common RESTEnvironment).
   * A plain Perl `warn` is just a log line (use line()).
   */
  warn(text: string): void;
}

export interface StartTaskOptions {
  node: string;
  /** PVE worker type: vzcreate, vzstart, vzstop, vzshutdown, vzreboot, vzdestroy, download, srvreload, vzsnapshot, ... */
  type: string;
  /** task id part of the UPID (usually the vmid, or the template name / `networking`) */
  id: string;
  identity: PveIdentity;
  /**
   * The work. Resolve -> `TASK OK`; throw -> `TASK ERROR: <message>`. Runs after the configured task
   * duration has elapsed (or at once with `--task-seconds 0`). Faults injected for this task type apply here.
   */
  run: (log: TaskLog) => Promise<void> | void;
  /** Runs synchronously before start() returns (e.g. take `lock: create`). */
  onStart?: () => void;
  /** Runs when the task ends, whatever the outcome (e.g. release the lock). */
  onEnd?: (ok: boolean) => void;
}

export interface TaskManager {
  /** Returns the UPID string at once; the task runs asynchronously. */
  start(opts: StartTaskOptions): string;
  /** Resolves with the exit status ("OK" or the error text) when the task has stopped. */
  wait(upid: string): Promise<string>;
}

export interface RouteContext {
  /** validated and type-coerced parameters (path + query + body) */
  params: Record<string, any>;
  identity: PveIdentity;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** schema path template, e.g. /nodes/{node}/lxc/{vmid}/status/start */
  path: string;
  tasks: TaskManager;
}

/** What a route returns: `data`, plus `total` / `changes` when PVE sends them at top level. */
export interface RouteResult {
  data: unknown;
  total?: number;
  changes?: string;
}

/** Handlers return RouteResult, or bare data (wrapped as `{data}`); they throw PveHttpError for PVE's errors. */
export type RouteHandler = (ctx: RouteContext) => Promise<RouteResult | unknown> | RouteResult | unknown;

export interface RouteTable {
  /** `path` is the schema's template, e.g. `/nodes/{node}/lxc/{vmid}/config`. */
  on(method: RouteContext['method'], path: string, handler: RouteHandler): void;
}

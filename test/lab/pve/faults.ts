// Fault injection for the PVE emulator. Tests (in-process) and the control endpoint (JSON over HTTP) set faults
// here; the HTTP layer (server/auth/tasks) and the cluster routes query them at the point where PVE would fail.
//
// Who applies what:
//   HTTP layer:    delay, httpError, startWorkerFailed, failNextTask, expireAllTickets, nodeOffline for
//                  `proxyto: node` routes (answers 595 like pveproxy failing to reach the node).
//   Cluster routes: isGuestLockHeld (config lock timeout), isStorageFull (create/download), isNodeOffline (node
//                  status `offline` in /nodes and /cluster/resources), takeTemplateChecksumFailure (aplinfo download).
//
// Every fault is a plain-JSON `FaultSpec` so `apply(spec)` works the same from a test and from `POST /faults`.
// The failures real hosts throw at a deployment (template index drift, corrupt templates, storages, package
// versions, config drift) live in `host` (host-failures.ts); apply() forwards those kinds there.
import { HOST_FAILURE_KINDS, HostFailures, type DownloadFailureMode, type HostFailureSpec } from './host-failures';

export type FaultSpec =
  | { kind: 'failNextTask'; type: string; message: string }
  | { kind: 'delay'; ms: number; pathPattern?: string }
  | { kind: 'httpError'; status: number; message: string; pathPattern?: string; count?: number }
  | { kind: 'startWorkerFailed'; count?: number }
  | { kind: 'expireAllTickets' }
  | { kind: 'holdGuestLock'; vmid: number; ms?: number }
  | { kind: 'releaseGuestLock'; vmid: number }
  | { kind: 'nodeOffline'; node: string; on: boolean }
  | { kind: 'fillStorage'; node: string; storage: string; on: boolean }
  | { kind: 'failTemplateDownload'; template: string; mode?: 'checksum' | DownloadFailureMode }
  | HostFailureSpec
  | { kind: 'clear' };

/** PVE's answer when the worker fork fails (pve-common RESTEnvironment fork_worker). */
export const START_WORKER_FAILED_MESSAGE = 'got no worker upid - start worker failed';

/**
 * The text PVE's download_file_from_url (pve-common Tools.pm) dies with when the template's checksum from
 * aplinfo.dat does not match: `checksum mismatch: got '<got>' != expect '<expected>'`.
 */
export function templateChecksumMismatchMessage(expected: string, got = '0'.repeat(expected.length || 128)): string {
  return `checksum mismatch: got '${got}' != expect '${expected}'`;
}

/** Message as PVE's storage layer dies when a volume cannot be allocated on a full storage (dir plugin / df). */
export function storageFullMessage(storage: string): string {
  return `unable to create image: not enough free space on storage '${storage}'`;
}

/** The 595 reason pveproxy passes through when the target node of a `proxyto` route is unreachable. */
export const NODE_OFFLINE_STATUS = 595;
export const NODE_OFFLINE_MESSAGE = 'No route to host';

interface HttpErrorFault {
  status: number;
  message: string;
  pattern?: RegExp;
  /** remaining count; Infinity = until cleared */
  remaining: number;
}

/** `pathPattern` is a RegExp source tested against `"<METHOD> <path>"`, path without /api2/json and query. */
function compilePattern(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined || pattern === '') return undefined;
  return new RegExp(pattern);
}

export class FaultInjector {
  private taskFailures = new Map<string, string[]>();
  private delays: { ms: number; pattern?: RegExp }[] = [];
  private httpErrors: HttpErrorFault[] = [];
  private workerFailures = 0;
  private locks = new Map<number, NodeJS.Timeout | true>();
  private lockReleaseWaiters = new Map<number, Set<() => void>>();
  private offline = new Set<string>();
  private fullStorages = new Set<string>();
  private checksumFailures = new Set<string>();
  private listeners: { expireTickets: (() => void)[] } = { expireTickets: [] };
  /** failures of the host itself (issue 12): template index, corrupt templates, storages, packages, drift */
  readonly host = new HostFailures();
  /** Bumped by expireAllTickets(); auth rejects tickets issued before the latest bump. */
  ticketsRevokedAtMs = 0;

  /** Apply a JSON fault spec (the control endpoint's `POST /faults` body). Throws on a malformed spec. */
  apply(spec: FaultSpec): void {
    const s = spec as any;
    switch (s?.kind) {
      case 'failNextTask':
        return this.failNextTask(str(s.type, 'type'), str(s.message, 'message'));
      case 'delay':
        return this.delay(num(s.ms, 'ms'), optStr(s.pathPattern, 'pathPattern'));
      case 'httpError':
        return this.httpError(num(s.status, 'status'), str(s.message, 'message'), {
          pathPattern: optStr(s.pathPattern, 'pathPattern'),
          count: s.count === undefined ? undefined : num(s.count, 'count'),
        });
      case 'startWorkerFailed':
        return this.startWorkerFailed(s.count === undefined ? 1 : num(s.count, 'count'));
      case 'expireAllTickets':
        return this.expireAllTickets();
      case 'holdGuestLock':
        return this.holdGuestLock(num(s.vmid, 'vmid'), s.ms === undefined ? undefined : num(s.ms, 'ms'));
      case 'releaseGuestLock':
        return this.releaseGuestLock(num(s.vmid, 'vmid'));
      case 'nodeOffline':
        return this.nodeOffline(str(s.node, 'node'), s.on !== false);
      case 'fillStorage':
        return this.fillStorage(str(s.node, 'node'), str(s.storage, 'storage'), s.on !== false);
      case 'failTemplateDownload':
        if (s.mode === 'interrupted' || s.mode === 'missing') return this.host.failTemplateDownload(str(s.template, 'template'), s.mode);
        if (s.mode !== undefined && s.mode !== 'checksum') throw new Error("fault field 'mode' must be checksum, interrupted or missing");
        return this.failTemplateDownload(str(s.template, 'template'));
      case 'clear':
        return this.clear();
      default:
        if (HOST_FAILURE_KINDS.has(s?.kind)) return this.host.apply(s as HostFailureSpec);
        throw new Error(`unknown fault kind: ${JSON.stringify(s?.kind)}`);
    }
  }

  /** The next task of this worker type (vzcreate, vzstart, download, ...) ends with `TASK ERROR: <message>`. */
  failNextTask(type: string, message: string): void {
    const q = this.taskFailures.get(type) ?? [];
    q.push(message);
    this.taskFailures.set(type, q);
  }

  /** Delay matching requests (all when no pattern) by `ms` before handling. */
  delay(ms: number, pathPattern?: string): void {
    this.delays.push({ ms, pattern: compilePattern(pathPattern) });
  }

  /** Answer matching requests with `status` + message (e.g. 500, 503, 595, 596); `count` times (default: until clear). */
  httpError(status: number, message: string, opts: { pathPattern?: string; count?: number } = {}): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`bad status ${status}`);
    this.httpErrors.push({
      status,
      message,
      pattern: compilePattern(opts.pathPattern),
      remaining: opts.count === undefined ? Infinity : opts.count,
    });
  }

  /** The next `count` task starts answer 500 `got no worker upid - start worker failed` (no UPID, no task). */
  startWorkerFailed(count = 1): void {
    this.workerFailures += count;
  }

  /** Every ticket issued so far becomes invalid (as after a key rotation / long sleep). */
  expireAllTickets(): void {
    this.ticketsRevokedAtMs = Date.now();
    for (const l of this.listeners.expireTickets) l();
  }

  /** Pretend another worker holds the guest's config lock (for `ms`, or until released). */
  holdGuestLock(vmid: number, ms?: number): void {
    this.releaseGuestLock(vmid);
    if (ms === undefined) this.locks.set(vmid, true);
    else {
      const t = setTimeout(() => this.releaseGuestLock(vmid), ms);
      t.unref();
      this.locks.set(vmid, t);
    }
  }

  releaseGuestLock(vmid: number): void {
    const t = this.locks.get(vmid);
    if (t !== undefined && t !== true) clearTimeout(t);
    this.locks.delete(vmid);
    const waiters = this.lockReleaseWaiters.get(vmid);
    this.lockReleaseWaiters.delete(vmid);
    for (const w of waiters ?? []) w();
  }

  nodeOffline(node: string, on: boolean): void {
    if (on) this.offline.add(node);
    else this.offline.delete(node);
  }

  /** Creating volumes / downloading templates to this storage fails with `storageFullMessage(storage)`. */
  fillStorage(node: string, storage: string, on: boolean): void {
    const key = `${node}/${storage}`;
    if (on) this.fullStorages.add(key);
    else this.fullStorages.delete(key);
  }

  /** The next download of this template ends `TASK ERROR: checksum mismatch: got '..' != expect '..'`. */
  failTemplateDownload(template: string): void {
    this.checksumFailures.add(template);
  }

  clear(): void {
    this.taskFailures.clear();
    this.delays = [];
    this.httpErrors = [];
    this.workerFailures = 0;
    for (const vmid of [...this.locks.keys()]) this.releaseGuestLock(vmid);
    this.offline.clear();
    this.fullStorages.clear();
    this.checksumFailures.clear();
    this.host.clear();
    // ticket revocation is history, not a standing fault: clearing does not resurrect revoked tickets
  }

  // ---- queries -----------------------------------------------------------------------------------------

  /** Consumes and returns the failure message queued for the next task of `type`. */
  takeTaskFailure(type: string): string | undefined {
    const q = this.taskFailures.get(type);
    const msg = q?.shift();
    if (q && q.length === 0) this.taskFailures.delete(type);
    return msg;
  }

  /** Consumes one `startWorkerFailed` if any. */
  takeStartWorkerFailure(): boolean {
    if (this.workerFailures <= 0) return false;
    this.workerFailures--;
    return true;
  }

  /** Total delay (ms) for a request `"<METHOD> <path>"`. */
  delayFor(method: string, path: string): number {
    const key = `${method} ${path}`;
    return this.delays.reduce((sum, d) => (!d.pattern || d.pattern.test(key) ? sum + d.ms : sum), 0);
  }

  /** Consumes one matching injected HTTP error (first registered wins). */
  takeHttpError(method: string, path: string): { status: number; message: string } | undefined {
    const key = `${method} ${path}`;
    const f = this.httpErrors.find((e) => e.remaining > 0 && (!e.pattern || e.pattern.test(key)));
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.httpErrors = this.httpErrors.filter((e) => e !== f);
    return { status: f.status, message: f.message };
  }

  isGuestLockHeld(vmid: number): boolean {
    return this.locks.has(vmid);
  }

  /**
   * Waits (no polling) until the held guest lock of `vmid` is released, for at most `timeoutMs` ms.
   * Resolves true when it is free (at once if it is not held), false when the deadline passed first.
   */
  waitGuestLockReleased(vmid: number, timeoutMs: number): Promise<boolean> {
    if (!this.locks.has(vmid)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const set = this.lockReleaseWaiters.get(vmid) ?? new Set<() => void>();
      this.lockReleaseWaiters.set(vmid, set);
      const done = (free: boolean) => {
        clearTimeout(timer);
        set.delete(onRelease);
        resolve(free);
      };
      const onRelease = () => done(true);
      const timer = setTimeout(() => done(!this.locks.has(vmid)), Math.max(0, timeoutMs));
      timer.unref();
      set.add(onRelease);
    });
  }

  isStorageFull(node: string, storage: string): boolean {
    return this.fullStorages.has(`${node}/${storage}`);
  }

  /** Consumes the checksum failure queued for this template (true once). */
  takeTemplateChecksumFailure(template: string): boolean {
    return this.checksumFailures.delete(template);
  }

  isNodeOffline(node: string): boolean {
    return this.offline.has(node);
  }

  onExpireTickets(listener: () => void): void {
    this.listeners.expireTickets.push(listener);
  }

  /** JSON summary for the control endpoint's `GET /state`. */
  summary(): Record<string, unknown> {
    return {
      taskFailures: Object.fromEntries(this.taskFailures),
      delays: this.delays.map((d) => ({ ms: d.ms, pathPattern: d.pattern?.source })),
      httpErrors: this.httpErrors.map((e) => ({
        status: e.status,
        message: e.message,
        pathPattern: e.pattern?.source,
        remaining: Number.isFinite(e.remaining) ? e.remaining : null,
      })),
      startWorkerFailures: this.workerFailures,
      guestLocks: [...this.locks.keys()],
      offlineNodes: [...this.offline],
      fullStorages: [...this.fullStorages],
      templateChecksumFailures: [...this.checksumFailures],
      ticketsRevokedAtMs: this.ticketsRevokedAtMs || null,
      host: this.host.summary(),
    };
  }
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`fault field '${name}' must be a non-empty string`);
  return v;
}
function optStr(v: unknown, name: string): string | undefined {
  return v === undefined ? undefined : str(v, name);
}
function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`fault field '${name}' must be a number >= 0`);
  return v;
}

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Operation, OperationError, OperationSummary } from '../../../src-shared/contract/schemas';
import { ERROR_CODES, type ErrorCode } from '../../../src-shared/contract/errors';
import { ProximityError } from '../errors';
import type { CoreEventPublisher } from '../events/core-events';
import type { SqliteDatabase } from '../store/database';
import { OperationJournal } from './operation-journal';
import { OperationLog } from './operation-log';

/** What an operation is: shown in lists and notifications. `target`: an app id, node name, ...; optional. */
export interface OperationSpec {
  kind: string;
  title: string;
  target?: string | null;
}

/** What the work of an operation reports through, and the signal it must pass to every await. */
export interface OperationContext {
  readonly id: string;
  /** Fires when the operator cancels (reason: OPERATION_CANCELLED) or Proximity quits (OPERATION_INTERRUPTED). */
  readonly signal: AbortSignal;
  /** Starts a named step (`'create'`, `'start'`, ...); a failure is reported against the current step. */
  step(name: string): void;
  /** Overall progress in percent (0-100; clamped; NaN ignored). */
  progress(percent: number): void;
  /** One log line for the operator (multi-line text becomes several lines). */
  log(text: string): void;
}

export type OperationWork = (op: OperationContext) => Promise<void>;

interface Running {
  op: Operation;
  log: OperationLog;
  controller: AbortController;
  settled: Promise<Operation>;
  /** A save + announcement is scheduled for the end of this turn of the event loop. */
  flushPending: boolean;
}

/**
 * Runs and records long operations. `start` returns at once with the new operation; the work runs after it,
 * reporting steps, percent and log lines. Every change is saved to the `operations` table and announced as a
 * core `operations.changed` event with the full snapshot and bounded log backlog. An operation ends:
 *   - `succeeded` when its work resolves;
 *   - `cancelled` when `cancel(id)` aborted its signal and the work then rejected (a work that ignores the
 *     signal and resolves still counts as `succeeded`: it did finish);
 *   - `failed` with {code, message, step} otherwise (a non-ProximityError becomes INTERNAL, message kept);
 *   - `interrupted` when Proximity stopped first: at `shutdown()`, or found still `running` when a later
 *     process opens the database (after a crash).
 * Start and end are saved and announced at once; steps, percent and log lines are coalesced to one save and one
 * announcement per turn of the event loop, so a chatty operation (hundreds of lines at once) costs one write.
 */
export class Operations {
  private readonly journal: OperationJournal;
  private readonly running = new Map<string, Running>();
  private readonly now: () => Date;
  private readonly logger: { error(message: string, error?: unknown): void };
  private closed = false;

  constructor(
    db: SqliteDatabase,
    private readonly events: CoreEventPublisher,
    options: { now?: () => Date; logger?: { error(message: string, error?: unknown): void } } = {},
  ) {
    this.journal = new OperationJournal(db);
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? console;
    this.markLeftoversInterrupted();
  }

  /** Starts `work` as a new operation; returns its first snapshot (state `running`) before any work runs. */
  start(spec: OperationSpec, work: OperationWork): Operation {
    if (this.closed) throw new ProximityError('INTERNAL', 'Proximity is shutting down; no new operation can start.');
    const op: Operation = {
      id: randomUUID(),
      kind: spec.kind,
      title: spec.title,
      target: spec.target ?? null,
      state: 'running',
      step: null,
      percent: null,
      error: null,
      startedAt: this.now().toISOString(),
      endedAt: null,
      log: [],
      logDropped: 0,
    };
    const entry = { op, log: new OperationLog(), controller: new AbortController(), flushPending: false } as Running;
    this.running.set(op.id, entry);
    this.flush(entry);
    const ctx = this.contextFor(entry);
    entry.settled = Promise.resolve()
      .then(() => work(ctx))
      .then(
        () => this.finish(entry, 'succeeded', null),
        (e: unknown) => this.finishWithError(entry, e),
      );
    return structuredClone(op);
  }

  /** The operation with its log backlog; undefined when unknown. */
  get(id: string): Operation | undefined {
    const live = this.running.get(id);
    return live ? structuredClone(live.op) : this.journal.get(id);
  }

  /** Like `get`, but NOT_FOUND when unknown. */
  require(id: string): Operation {
    const op = this.get(id);
    if (!op) throw new ProximityError('NOT_FOUND', `No operation with id ${id}.`, { details: { id } });
    return op;
  }

  /** Newest first, without logs; `limit` rows at most. */
  list(limit = 50): OperationSummary[] {
    return this.journal.list(limit);
  }

  /**
   * Asks a running operation to stop: its signal aborts with OPERATION_CANCELLED and it ends `cancelled` once
   * its work unwinds. Cancelling an operation that has already ended changes nothing. NOT_FOUND when unknown.
   */
  cancel(id: string): OperationSummary {
    const live = this.running.get(id);
    if (live && !live.controller.signal.aborted) {
      live.controller.abort(new ProximityError('OPERATION_CANCELLED', `${live.op.title} was cancelled.`));
    }
    return summaryOf(this.require(id));
  }

  /** Resolves with the final snapshot once the operation has ended (at once for an ended one). */
  async settled(id: string): Promise<Operation> {
    const live = this.running.get(id);
    return live ? live.settled : this.require(id);
  }

  /** Quitting: aborts every running operation and records it `interrupted` now, while the database is open. */
  shutdown(): void {
    this.closed = true;
    for (const entry of [...this.running.values()]) {
      const error: OperationError = { code: 'OPERATION_INTERRUPTED', message: 'Proximity quit while this was running.', step: entry.op.step };
      this.finish(entry, 'interrupted', error);
      entry.controller.abort(new ProximityError('OPERATION_INTERRUPTED', error.message));
    }
  }

  private contextFor(entry: Running): OperationContext {
    const active = () => this.running.get(entry.op.id) === entry;
    return {
      id: entry.op.id,
      signal: entry.controller.signal,
      step: (name) => {
        if (!active()) return;
        entry.op.step = name;
        this.changed(entry);
      },
      progress: (percent) => {
        if (!active() || Number.isNaN(percent)) return;
        entry.op.percent = Math.min(100, Math.max(0, percent));
        this.changed(entry);
      },
      log: (text) => {
        if (!active()) return;
        const at = this.now().toISOString();
        for (const line of String(text).split(/\r?\n/)) entry.log.append(line, entry.op.step, at);
        this.changed(entry);
      },
    };
  }

  private finishWithError(entry: Running, e: unknown): Operation {
    if (this.running.get(entry.op.id) !== entry) return structuredClone(entry.op); // already ended (shutdown)
    const signal = entry.controller.signal;
    if (signal.aborted && isCode(signal.reason, 'OPERATION_CANCELLED')) return this.finish(entry, 'cancelled', null);
    const code: ErrorCode = e instanceof ProximityError && (ERROR_CODES as readonly string[]).includes(e.code) ? e.code : 'INTERNAL';
    if (code === 'INTERNAL') this.logger.error(`[operations] ${entry.op.kind} ${entry.op.id} failed`, e);
    const message = e instanceof Error ? e.message : String(e);
    return this.finish(entry, 'failed', { code, message, step: entry.op.step });
  }

  private finish(entry: Running, state: Operation['state'], error: OperationError | null): Operation {
    if (this.running.get(entry.op.id) !== entry) return structuredClone(entry.op); // already ended (shutdown)
    this.running.delete(entry.op.id);
    entry.op.state = state;
    entry.op.error = error;
    entry.op.endedAt = this.now().toISOString();
    if (state === 'succeeded') entry.op.percent = 100;
    this.flush(entry);
    return structuredClone(entry.op);
  }

  /** Schedules one save + announcement for this turn of the event loop (steps, percent, log lines). */
  private changed(entry: Running): void {
    if (entry.flushPending) return;
    entry.flushPending = true;
    setImmediate(() => {
      if (entry.flushPending && this.running.get(entry.op.id) === entry) this.flush(entry);
    });
  }

  /** Saves and announces the current snapshot now. A save that fails is logged: the work goes on (or ends) anyway. */
  private flush(entry: Running): void {
    entry.flushPending = false;
    Object.assign(entry.op, entry.log.snapshot());
    const snapshot = structuredClone(entry.op);
    try {
      this.journal.save(snapshot);
    } catch (e) {
      this.logger.error(`[operations] could not save operation ${snapshot.id}`, e);
    }
    this.events.emit('operations.changed', snapshot);
  }

  /**
   * Rows left `running` by a process that is gone did not finish: they become `interrupted`. Rows of another
   * live process (the web bridge beside the desktop app on one data folder) are its business and stay, unless
   * that pid now belongs to a process younger than the operation (reused after a reboot).
   */
  private markLeftoversInterrupted(): void {
    const at = this.now().toISOString();
    for (const { op, ownerPid } of this.journal.running()) {
      if (ownerPid !== process.pid && processIsAlive(ownerPid) && !startedAfter(ownerPid, op.startedAt)) continue;
      const error: OperationError = { code: 'OPERATION_INTERRUPTED', message: 'Proximity stopped while this was running.', step: op.step };
      this.journal.save({ ...op, state: 'interrupted', error, endedAt: at });
    }
  }
}

/** True when a process with this pid exists (signal 0 checks without sending; EPERM: exists, not ours). */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when process `pid` provably started after `iso` (plus 5 s for clock steps), so it cannot be the one that
 * started an operation then: its pid was reused (typically after a reboot, where pids start over). Linux only
 * (/proc/<pid>/stat field 22 `starttime`, in clock ticks since boot `btime` of /proc/stat; USER_HZ is 100 on
 * every Linux ABI); false elsewhere or when /proc cannot be read.
 */
function startedAfter(pid: number, iso: string): boolean {
  try {
    const btime = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields 3.. (comm may hold spaces)
    const startTicks = Number(fields[22 - 3]);
    if (!btime || !Number.isFinite(startTicks)) return false;
    const startedMs = Number(btime[1]) * 1000 + startTicks * 10;
    return startedMs > Date.parse(iso) + 5000;
  } catch {
    return false;
  }
}

function isCode(reason: unknown, code: ErrorCode): boolean {
  return reason instanceof ProximityError && reason.code === code;
}

function summaryOf(op: Operation): OperationSummary {
  const { log: _log, logDropped: _dropped, ...summary } = op;
  return summary;
}

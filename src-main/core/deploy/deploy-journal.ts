// The deployment journal (tables of migrations 003 + 006): a row per deployment with its plan, and a row per
// step, written before the step runs (`running`, with what it is about to touch, e.g. the VMID) and after it
// (`done`, with what it made). Rollback and start-up recovery read it to undo exactly what was done.
import type { SqliteDatabase } from '../store/database';

export type DeploymentStatus = 'running' | 'succeeded' | 'rolling-back' | 'rolled-back' | 'failed';
export type StepStatus = 'running' | 'done' | 'failed';

export interface JournalStep {
  seq: number;
  step: string;
  status: StepStatus;
  startedAt: string;
  finishedAt: string | null;
  /** JSON detail: what the step touches or made (vmid, ports, ip, ...) */
  detail: Record<string, unknown>;
}

export interface JournalDeployment<P = unknown> {
  id: string;
  appId: string | null;
  kind: string;
  status: DeploymentStatus;
  plan: P;
  ownerPid: number | null;
  operationId: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: unknown;
  steps: JournalStep[];
}

interface DeploymentRow {
  id: string;
  app_id: string | null;
  kind: string;
  status: DeploymentStatus;
  plan: string;
  owner_pid: number | null;
  operation_id: string | null;
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

interface StepRow {
  seq: number;
  step: string;
  status: StepStatus;
  started_at: string;
  finished_at: string | null;
  detail: string;
}

/** Journal of deployments; every write is its own small transaction (the journal must survive a crash). */
export class DeployJournal {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a new running deployment owned by this process. */
  begin(d: { id: string; appId: string; kind: string; plan: unknown; operationId?: string }): void {
    this.db
      .prepare('INSERT INTO deployments (id, app_id, kind, status, started_at, plan, owner_pid, operation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(d.id, d.appId, d.kind, 'running', this.at(), JSON.stringify(d.plan ?? null), process.pid, d.operationId ?? null);
  }

  /** Journals `step` as started, with what it is about to touch; returns its seq. */
  stepStarted(id: string, step: string, detail: Record<string, unknown> = {}): number {
    const seq = (this.db.prepare<[string], number>('SELECT COALESCE(MAX(seq) + 1, 0) FROM deployment_steps WHERE deployment_id = ?').pluck().get(id) ?? 0);
    this.db
      .prepare('INSERT INTO deployment_steps (deployment_id, seq, step, status, started_at, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, seq, step, 'running', this.at(), JSON.stringify(detail));
    return seq;
  }

  /** Adds to a running step's detail (e.g. the VMID once chosen, the IP once leased). */
  stepDetail(id: string, seq: number, detail: Record<string, unknown>): void {
    const row = this.db.prepare<[string, number], { detail: string }>('SELECT detail FROM deployment_steps WHERE deployment_id = ? AND seq = ?').get(id, seq);
    const merged = { ...(row ? (JSON.parse(row.detail) as Record<string, unknown>) : {}), ...detail };
    this.db.prepare('UPDATE deployment_steps SET detail = ? WHERE deployment_id = ? AND seq = ?').run(JSON.stringify(merged), id, seq);
  }

  /** Ends a step: `done` (detail merged) or `failed` (detail: the error). */
  stepEnded(id: string, seq: number, status: 'done' | 'failed', detail: Record<string, unknown> = {}): void {
    this.stepDetail(id, seq, detail);
    this.db.prepare('UPDATE deployment_steps SET status = ?, finished_at = ? WHERE deployment_id = ? AND seq = ?').run(status, this.at(), id, seq);
  }

  /** Sets the deployment's status; final statuses record the end time and the error (JSON). */
  setStatus(id: string, status: DeploymentStatus, error?: unknown): void {
    const final = status === 'succeeded' || status === 'rolled-back' || status === 'failed';
    this.db
      .prepare('UPDATE deployments SET status = ?, finished_at = ?, error = COALESCE(?, error) WHERE id = ?')
      .run(status, final ? this.at() : null, error === undefined ? null : JSON.stringify(error), id);
  }

  /** Takes over a deployment left by a dead process (start-up recovery). */
  claim(id: string): void {
    this.db.prepare('UPDATE deployments SET owner_pid = ? WHERE id = ?').run(process.pid, id);
  }

  get<P = unknown>(id: string): JournalDeployment<P> | undefined {
    const row = this.db.prepare<[string], DeploymentRow>('SELECT * FROM deployments WHERE id = ?').get(id);
    return row && this.toDeployment<P>(row);
  }

  /** Deployments not finished (running or rolling back), oldest first. */
  unfinished<P = unknown>(): JournalDeployment<P>[] {
    return this.db
      .prepare<[], DeploymentRow>("SELECT * FROM deployments WHERE status IN ('running', 'rolling-back') ORDER BY started_at, id")
      .all()
      .map((r) => this.toDeployment<P>(r));
  }

  /** The newest deployments of an app (or all), newest first. */
  list<P = unknown>(opts: { appId?: string; limit?: number } = {}): JournalDeployment<P>[] {
    const limit = Math.min(500, Math.max(1, opts.limit ?? 50));
    const rows = opts.appId
      ? this.db.prepare<[string, number], DeploymentRow>('SELECT * FROM deployments WHERE app_id = ? ORDER BY started_at DESC, id LIMIT ?').all(opts.appId, limit)
      : this.db.prepare<[number], DeploymentRow>('SELECT * FROM deployments ORDER BY started_at DESC, id LIMIT ?').all(limit);
    return rows.map((r) => this.toDeployment<P>(r));
  }

  private toDeployment<P>(row: DeploymentRow): JournalDeployment<P> {
    const steps = this.db
      .prepare<[string], StepRow>('SELECT seq, step, status, started_at, finished_at, detail FROM deployment_steps WHERE deployment_id = ? ORDER BY seq')
      .all(row.id)
      .map((s) => ({ seq: s.seq, step: s.step, status: s.status, startedAt: s.started_at, finishedAt: s.finished_at, detail: JSON.parse(s.detail) as Record<string, unknown> }));
    return {
      id: row.id,
      appId: row.app_id,
      kind: row.kind,
      status: row.status,
      plan: JSON.parse(row.plan) as P,
      ownerPid: row.owner_pid,
      operationId: row.operation_id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      error: row.error === null ? null : (JSON.parse(row.error) as unknown),
      steps,
    };
  }

  private at(): string {
    return this.now().toISOString();
  }
}

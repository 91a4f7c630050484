import {
  operationErrorSchema,
  operationLogLineSchema,
  operationStateSchema,
  type Operation,
  type OperationSummary,
} from '../../../src-shared/contract/schemas';
import type { SqliteDatabase } from '../store/database';

interface OperationRow {
  id: string;
  kind: string;
  title: string;
  target: string | null;
  state: string;
  step: string | null;
  percent: number | null;
  error: string | null;
  log: string;
  log_dropped: number;
  started_at: string;
  ended_at: string | null;
  owner_pid: number;
}

const SUMMARY_COLUMNS = 'id, kind, title, target, state, step, percent, error, started_at, ended_at';

/**
 * The `operations` table (migration 004): one row per operation, rewritten whenever it changes, so the
 * database always holds the latest step, percent and bounded log. Rows that do not parse (a newer build's
 * state, a damaged value) are read with what can be trusted rather than failing the whole list.
 */
export class OperationJournal {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      upsert: db.prepare(
        `INSERT INTO operations (id, kind, title, target, state, step, percent, error, log, log_dropped, started_at, ended_at, owner_pid)
         VALUES (@id, @kind, @title, @target, @state, @step, @percent, @error, @log, @log_dropped, @started_at, @ended_at, @owner_pid)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, step = excluded.step, percent = excluded.percent,
           error = excluded.error, log = excluded.log, log_dropped = excluded.log_dropped, ended_at = excluded.ended_at`,
      ),
      get: db.prepare<[string], OperationRow>('SELECT * FROM operations WHERE id = ?'),
      list: db.prepare<[number], OperationRow>(
        `SELECT ${SUMMARY_COLUMNS}, '[]' AS log, 0 AS log_dropped, owner_pid FROM operations ORDER BY started_at DESC, rowid DESC LIMIT ?`,
      ),
      running: db.prepare<[], OperationRow>("SELECT * FROM operations WHERE state = 'running'"),
    };
  }

  /** Writes the whole snapshot (insert or update); `ownerPid` is recorded on insert only. */
  save(op: Operation, ownerPid = process.pid): void {
    this.statements.upsert.run({
      id: op.id,
      kind: op.kind,
      title: op.title,
      target: op.target,
      state: op.state,
      step: op.step,
      percent: op.percent,
      error: op.error === null ? null : JSON.stringify(op.error),
      log: JSON.stringify(op.log),
      log_dropped: op.logDropped,
      started_at: op.startedAt,
      ended_at: op.endedAt,
      owner_pid: ownerPid,
    });
  }

  get(id: string): Operation | undefined {
    const row = this.statements.get.get(id);
    return row && toOperation(row);
  }

  /** Newest first, without logs. */
  list(limit: number): OperationSummary[] {
    return this.statements.list.all(limit).map((row) => toSummary(row));
  }

  /** Operations whose row still says `running`, with the pid of the process that ran them. */
  running(): Array<{ op: Operation; ownerPid: number }> {
    return this.statements.running.all().map((row) => ({ op: toOperation(row), ownerPid: row.owner_pid }));
  }
}

function toSummary(row: OperationRow): OperationSummary {
  const state = operationStateSchema.safeParse(row.state);
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    target: row.target,
    state: state.success ? state.data : 'interrupted',
    step: row.step,
    percent: row.percent,
    error: row.error === null ? null : parseJson(row.error, (v) => operationErrorSchema.safeParse(v).data ?? null),
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

function toOperation(row: OperationRow): Operation {
  const log = parseJson(row.log, (v) => (Array.isArray(v) ? v.flatMap((l) => operationLogLineSchema.safeParse(l).data ?? []) : []));
  return { ...toSummary(row), log, logDropped: row.log_dropped };
}

function parseJson<T>(text: string, read: (value: unknown) => T): T {
  try {
    return read(JSON.parse(text));
  } catch {
    return read(null);
  }
}

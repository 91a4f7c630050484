import { z } from 'zod';
import { ProximityError } from '../errors';
import type { SqliteDatabase } from '../store/database';

export interface AuditEntry {
  id: number;
  /** ISO-8601 UTC. */
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
}

export interface AuditInput {
  actor: string;
  action: string;
  target?: string | null;
  details?: unknown;
}

const inputSchema = z.object({
  actor: z.string().trim().min(1).max(200),
  action: z.string().trim().min(1).max(200),
  target: z.string().max(500).nullish(),
  details: z.unknown().optional(),
});

const listSchema = z.object({
  limit: z.number().int().min(1).max(1000).default(100),
  beforeId: z.number().int().positive().optional(),
});

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: string;
}

/**
 * Who did what, when. Append-only: the schema's triggers reject UPDATE and DELETE. Callers that change state
 * append inside the same transaction as the change, so a change and its audit row commit or vanish together.
 */
export class AuditLog {
  private readonly insert;
  private readonly now: () => Date;

  constructor(
    private readonly db: SqliteDatabase,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.insert = db.prepare<[string, string, string, string | null, string]>(
      'INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)',
    );
  }

  append(input: AuditInput): AuditEntry {
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) {
      throw new ProximityError('VALIDATION', `Invalid audit entry: ${parsed.error.message}`, { details: parsed.error.issues });
    }
    const { actor, action } = parsed.data;
    const target = parsed.data.target ?? null;
    const details = toJson(input.details);
    const at = this.now().toISOString();
    const id = Number(this.insert.run(at, actor, action, target, details).lastInsertRowid);
    return { id, at, actor, action, target, details: JSON.parse(details) };
  }

  /** Newest first; page with `beforeId` = the smallest id of the previous page. */
  list(options: { limit?: number; beforeId?: number } = {}): AuditEntry[] {
    const parsed = listSchema.safeParse(options);
    if (!parsed.success) {
      throw new ProximityError('VALIDATION', `Invalid audit query: ${parsed.error.message}`, { details: parsed.error.issues });
    }
    const { limit, beforeId } = parsed.data;
    const rows = this.db
      .prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit);
    return rows.map((row) => ({ ...row, details: JSON.parse(row.details) }));
  }
}

function toJson(details: unknown): string {
  try {
    return JSON.stringify(details ?? null) ?? 'null';
  } catch (cause) {
    throw new ProximityError('VALIDATION', 'Audit details must be JSON-serialisable.', { cause });
  }
}

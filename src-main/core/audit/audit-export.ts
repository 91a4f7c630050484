// The audit log as a file an operator can keep or hand on: CSV (RFC 4180) or JSON, oldest first.
import { z } from 'zod';
import { ProximityError } from '../errors';
import type { AuditEntry, AuditLog } from './audit-log';

export const auditExportFormatSchema = z.enum(['csv', 'json']);
export type AuditExportFormat = z.infer<typeof auditExportFormatSchema>;

/** Most entries one export holds (newest kept). */
export const MAX_AUDIT_EXPORT_ROWS = 100_000;

export interface AuditExport {
  format: AuditExportFormat;
  /** a suggested file name, e.g. `proximity-audit-2026-11-30.csv` */
  filename: string;
  /** the file's text (UTF-8) */
  content: string;
  rows: number;
}

const CSV_COLUMNS = ['id', 'at', 'actor', 'action', 'target', 'details'] as const;

/**
 * One CSV cell: quoted when it holds `,`, `"`, CR or LF (quotes doubled, RFC 4180). A cell a spreadsheet would
 * run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` (OWASP CSV injection).
 */
export function csvCell(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}

/** Entries as CSV text with a header row; `details` as compact JSON. Lines end CRLF (RFC 4180). */
export function auditToCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) => [String(e.id), e.at, e.actor, e.action, e.target ?? '', JSON.stringify(e.details ?? null)].map(csvCell).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** Every entry (up to MAX_AUDIT_EXPORT_ROWS, newest kept), oldest first. */
export function allAuditEntries(audit: Pick<AuditLog, 'list'>): AuditEntry[] {
  const out: AuditEntry[] = [];
  let beforeId: number | undefined;
  while (out.length < MAX_AUDIT_EXPORT_ROWS) {
    const page = audit.list(beforeId === undefined ? { limit: 1000 } : { limit: 1000, beforeId });
    out.push(...page);
    if (page.length < 1000) break;
    beforeId = page[page.length - 1]!.id;
  }
  return out.reverse();
}

/** The whole audit log as CSV or JSON. Throws VALIDATION for an unknown format. */
export function exportAudit(audit: Pick<AuditLog, 'list'>, format: AuditExportFormat, now: Date = new Date()): AuditExport {
  const f = auditExportFormatSchema.safeParse(format);
  if (!f.success) throw new ProximityError('VALIDATION', `Audit export format must be csv or json, not ${JSON.stringify(format)}.`);
  const entries = allAuditEntries(audit);
  const content = f.data === 'csv' ? auditToCsv(entries) : `${JSON.stringify(entries, null, 2)}\n`;
  return { format: f.data, filename: `proximity-audit-${now.toISOString().slice(0, 10)}.${f.data}`, content, rows: entries.length };
}

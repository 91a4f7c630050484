import type { AuditEntry } from '../../../src-shared/contract/schemas';
import { detailsText } from './audit-filters';

export type ExportFormat = 'csv' | 'json';

/**
 * The entries as CSV (RFC 4180 quoting by Papa Parse; details as JSON text in one column). Papa Parse is loaded
 * on first export, so it is not part of the initial bundle.
 */
export async function auditToCsv(entries: readonly AuditEntry[]): Promise<string> {
  const { default: Papa } = await import('papaparse');
  return Papa.unparse({
    fields: ['id', 'at', 'actor', 'action', 'target', 'details'],
    data: entries.map((e) => [e.id, e.at, e.actor, e.action, e.target ?? '', detailsText(e.details)]),
  });
}

/** The entries as pretty-printed JSON, exactly as main reported them. */
export function auditToJson(entries: readonly AuditEntry[]): string {
  return JSON.stringify(entries, null, 2);
}

/** `proximity-activity-2026-11-30T07-40-00.csv`: sortable and safe on every file system. */
export function exportFileName(format: ExportFormat, now: Date = new Date()): string {
  return `proximity-activity-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.${format}`;
}

/**
 * Saves the entries as a file through a Blob and a download link: the data never leaves the renderer, and no
 * channel is needed. Returns the file name.
 */
export async function downloadAudit(entries: readonly AuditEntry[], format: ExportFormat): Promise<string> {
  const text = format === 'csv' ? await auditToCsv(entries) : auditToJson(entries);
  const blob = new Blob([text], { type: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json' });
  const url = URL.createObjectURL(blob);
  const name = exportFileName(format);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.className = 'visually-hidden';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled (the download has its own reference by then).
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return name;
}

import type { AuditEntry } from '../../../src-shared/contract/schemas';

export interface AuditFilter {
  /** Matched (case-insensitive) against action, actor, target and the details' JSON. */
  query: string;
  action: string | 'all';
  actor: string | 'all';
}

export const NO_AUDIT_FILTER: AuditFilter = { query: '', action: 'all', actor: 'all' };

/** The entries matching `filter`, order kept (newest first, as main sends them). */
export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const q = filter.query.trim().toLowerCase();
  return entries.filter((e) => {
    if (filter.action !== 'all' && e.action !== filter.action) return false;
    if (filter.actor !== 'all' && e.actor !== filter.actor) return false;
    if (!q) return true;
    return [e.action, e.actor, e.target ?? '', detailsText(e.details)].some((v) => v.toLowerCase().includes(q));
  });
}

/** The details as one line of text (JSON), '' when there are none. */
export function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  return typeof details === 'string' ? details : JSON.stringify(details);
}

/** The distinct values of `key` among the entries, sorted (the filter menus). */
export function distinct(entries: readonly AuditEntry[], key: 'action' | 'actor'): string[] {
  return [...new Set(entries.map((e) => e[key]))].sort();
}

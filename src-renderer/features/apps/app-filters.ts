import type { AppStatus, AppSummary } from '../../../src-shared/contract/schemas';

export interface AppFilter {
  /** Free text matched (case-insensitive) against name, hostname, catalog id, node, VMID and ports. */
  query: string;
  status: AppStatus | 'all';
  node: string | 'all';
}

export const NO_FILTER: AppFilter = { query: '', status: 'all', node: 'all' };

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The apps that match `filter`, sorted by name (then hostname, which is unique), numbers in natural order. */
export function filterApps(apps: readonly AppSummary[], filter: AppFilter): AppSummary[] {
  const q = filter.query.trim().toLowerCase();
  const matching = apps.filter((a) => {
    if (filter.status !== 'all' && a.status !== filter.status) return false;
    if (filter.node !== 'all' && a.node !== filter.node) return false;
    if (!q) return true;
    const haystack = [a.name, a.hostname, a.catalogId, a.node ?? '', a.vmid ?? '', a.ports?.public ?? '', a.ports?.internal ?? ''];
    return haystack.some((v) => String(v).toLowerCase().includes(q));
  });
  return matching.sort((a, b) => byName.compare(a.name, b.name) || byName.compare(a.hostname, b.hostname));
}

/** The distinct nodes apps live on, sorted, for the node filter. */
export function nodesOf(apps: readonly AppSummary[]): string[] {
  return [...new Set(apps.map((a) => a.node).filter((n): n is string => n !== null))].sort();
}

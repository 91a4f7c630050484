import { create } from 'zustand';

/**
 * The app catalog. Channels are not in the contract yet; expected:
 *   `catalog.list` -> CatalogEntry[]   `catalog.get` { id } -> CatalogEntry with parameters
 *   `deploy.plan` { catalogId, hostname, params, resources, node } -> DeployPlan (the Review step)
 *   `deploy.start` { planId } -> OperationSummary (progress through `operations.progress`)
 * Until then `available` stays false and the screen says so.
 */
export interface CatalogEntry {
  id: string;
  name: string;
  description: string;
  category: string;
  /** Minimum resources the app needs. */
  minCores: number;
  minMemoryMiB: number;
  minDiskGiB: number;
}

export interface CatalogState {
  available: boolean;
  entries: CatalogEntry[];
  query: string;
  category: string | 'all';
  applyEntries(entries: CatalogEntry[]): void;
  setQuery(query: string): void;
  setCategory(category: string | 'all'): void;
}

/** The catalog entries and the search/category the operator chose. */
export const useCatalogStore = create<CatalogState>((set) => ({
  available: false,
  entries: [],
  query: '',
  category: 'all',
  applyEntries: (entries) => set({ entries, available: true }),
  setQuery: (query) => set({ query }),
  setCategory: (category) => set({ category }),
}));

/** Entries matching the search text and category. */
export function filterCatalog(entries: readonly CatalogEntry[], query: string, category: string): CatalogEntry[] {
  const q = query.trim().toLowerCase();
  return entries.filter(
    (e) => (category === 'all' || e.category === category) && (!q || `${e.name} ${e.description} ${e.id}`.toLowerCase().includes(q)),
  );
}

import { create } from 'zustand';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { ChannelOutput } from '../../../src-shared/contract/channels';

/**
 * The app catalog: `catalog.list` (the built-in catalog in main). `available` turns true with its first answer;
 * `catalog.get` and the deploy targets are read when the operator picks an app (catalog-channels.ts).
 */
export type CatalogEntry = ChannelOutput<'catalog.list'>[number];

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
    (e) => (category === 'all' || e.category === category) && (!q || `${e.name} ${e.description} ${e.id} ${e.tags.join(' ')}`.toLowerCase().includes(q)),
  );
}

/** Loads `catalog.list`; returns its error (NOT_SUPPORTED when main could not read its catalog), or null. */
export async function loadCatalog(api: DesktopApi): Promise<IpcError | null> {
  const r = await api.catalog.list();
  if (r.ok) useCatalogStore.getState().applyEntries(r.value);
  return r.ok ? null : r.error;
}

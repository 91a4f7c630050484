import { create } from 'zustand';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { CatalogApp, TargetNode } from '../deploy/deploy-types';

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

type Answer<T> = Promise<{ ok: true; value: T } | { ok: false; error: IpcError }>;
interface CatalogChannels {
  catalog?: { list?: () => Answer<CatalogEntry[]>; get?: (input: { id: string }) => Answer<CatalogApp> };
  nodes?: { list?: () => Answer<TargetNode[]> };
}
const channels = (api: DesktopApi) => api as unknown as CatalogChannels;

/** Loads `catalog.list` when main offers it; returns its error, or null (also when the channel does not exist yet). */
export async function loadCatalog(api: DesktopApi): Promise<IpcError | null> {
  const list = channels(api).catalog?.list;
  if (!list) return null;
  const r = await list();
  if (r.ok) useCatalogStore.getState().applyEntries(r.value);
  return r.ok ? null : r.error;
}

/** What the deploy wizard needs for one entry: `catalog.get` and `nodes.list`; NOT_SUPPORTED until both exist. */
export async function prepareDeploy(api: DesktopApi, id: string): Promise<{ ok: true; app: CatalogApp; nodes: TargetNode[] } | { ok: false; error: IpcError }> {
  const c = channels(api);
  if (!c.catalog?.get || !c.nodes?.list) return { ok: false, error: { code: 'NOT_SUPPORTED', message: 'Deploying arrives with the deploy engine (not connected yet).' } };
  const [app, nodes] = await Promise.all([c.catalog.get({ id }), c.nodes.list()]);
  if (!app.ok) return app;
  if (!nodes.ok) return nodes;
  return { ok: true, app: app.value, nodes: nodes.value };
}

import { create } from 'zustand';
import type { DesktopApi, Unsubscribe } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { AppSummary } from '../../../src-shared/contract/schemas';
import { NO_FILTER, type AppFilter } from './app-filters';

export interface AppsState {
  apps: AppSummary[];
  /** False until the first list or `apps.changed` snapshot arrived (the list shows skeletons meanwhile). */
  loaded: boolean;
  error: IpcError | null;
  filter: AppFilter;
  /** Loads `apps.list` (on start and after a reconnection). */
  load(api: DesktopApi): Promise<void>;
  /** Applies an `apps.changed` snapshot (the whole list: main never sends diffs). */
  apply(apps: AppSummary[]): void;
  setFilter(patch: Partial<AppFilter>): void;
}

export const useAppsStore = create<AppsState>((set) => ({
  apps: [],
  loaded: false,
  error: null,
  filter: NO_FILTER,
  load: async (api) => {
    const result = await api.apps.list();
    if (result.ok) set({ apps: result.value, loaded: true, error: null });
    else set({ error: result.error });
  },
  apply: (apps) => set({ apps, loaded: true, error: null }),
  setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
}));

/** Keeps the store equal to main's apps (the latest snapshot is replayed on subscribe). Never polls. */
export function followApps(api: DesktopApi): Unsubscribe {
  return api.onAppsChanged((apps) => useAppsStore.getState().apply(apps));
}

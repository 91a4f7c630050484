import { create } from 'zustand';
import type { DesktopApi, Unsubscribe } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { AppStatus, AppSummary } from '../../../src-shared/contract/schemas';
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

/** The apps as main last reported them, and the list filter. */
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

/** Statuses that mean an app went down by itself (a stop the operator asked for is `stopped`, not one of these). */
const DOWN: ReadonlySet<AppStatus> = new Set(['failed', 'missing']);

/**
 * Keeps the store equal to main's apps (the latest snapshot is replayed on subscribe). Never polls. `onWentDown`
 * is told about each app this window saw running and now sees failed or missing (not about apps that were
 * already down when the window opened).
 */
export function followApps(api: DesktopApi, onWentDown?: (app: AppSummary) => void): Unsubscribe {
  return api.onAppsChanged((apps) => {
    const before = useAppsStore.getState();
    if (onWentDown && before.loaded) {
      const was = new Map(before.apps.map((a) => [a.id, a.status]));
      for (const app of apps) if (was.get(app.id) === 'running' && DOWN.has(app.status)) onWentDown(app);
    }
    before.apply(apps);
  });
}

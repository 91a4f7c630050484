import { create } from 'zustand';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { AuditEntry } from '../../../src-shared/contract/schemas';
import { NO_AUDIT_FILTER, type AuditFilter } from './audit-filters';

/** Entries per `audit.list` page (the contract allows up to 500). */
export const AUDIT_PAGE = 200;

export interface ActivityState {
  entries: AuditEntry[];
  loading: boolean;
  loaded: boolean;
  /** True while the last page was full, so older entries may exist. */
  hasMore: boolean;
  error: IpcError | null;
  filter: AuditFilter;
  /** Loads the newest page (replacing what is shown). */
  load(api: DesktopApi): Promise<void>;
  /** Appends the next older page (`beforeId` = the oldest shown). */
  loadMore(api: DesktopApi): Promise<void>;
  setFilter(patch: Partial<AuditFilter>): void;
}

/** The audit entries loaded so far (newest first) and the filters. */
export const useActivityStore = create<ActivityState>((set, get) => ({
  entries: [],
  loading: false,
  loaded: false,
  hasMore: false,
  error: null,
  filter: NO_AUDIT_FILTER,
  load: async (api) => {
    set({ loading: true });
    const result = await api.audit.list({ limit: AUDIT_PAGE });
    if (result.ok) set({ entries: result.value, loading: false, loaded: true, hasMore: result.value.length === AUDIT_PAGE, error: null });
    else set({ loading: false, error: result.error });
  },
  loadMore: async (api) => {
    const oldest = get().entries.at(-1);
    if (!oldest || get().loading) return;
    set({ loading: true });
    const result = await api.audit.list({ limit: AUDIT_PAGE, beforeId: oldest.id });
    if (result.ok) set((s) => ({ entries: [...s.entries, ...result.value], loading: false, hasMore: result.value.length === AUDIT_PAGE, error: null }));
    else set({ loading: false, error: result.error });
  },
  setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
}));

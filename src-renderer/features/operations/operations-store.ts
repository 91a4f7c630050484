import { create } from 'zustand';
import type { DesktopApi, Unsubscribe } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { Operation, OperationState } from '../../../src-shared/contract/schemas';

export interface OperationsState {
  /** Every operation seen, by id (snapshot with log backlog, as `operations.progress` carries it). */
  byId: Record<string, Operation>;
  drawerOpen: boolean;
  /** The operation whose steps and log the drawer shows; null shows the list. */
  selectedId: string | null;
  cancelError: IpcError | null;
  /**
   * Applies one `operations.progress` snapshot. Returns the state it had before (undefined when new), so the
   * caller can tell a transition it watched (running -> succeeded) from a finished one replayed on subscribe.
   */
  apply(op: Operation): OperationState | undefined;
  openDrawer(selectedId?: string | null): void;
  closeDrawer(): void;
  select(id: string | null): void;
  /** Asks main to cancel; the operation ends `cancelled` through a later progress event. */
  cancel(api: DesktopApi, id: string): Promise<void>;
}

/** Every operation seen through `operations.progress`, and the drawer. */
export const useOperationsStore = create<OperationsState>((set, get) => ({
  byId: {},
  drawerOpen: false,
  selectedId: null,
  cancelError: null,
  apply: (op) => {
    const before = get().byId[op.id]?.state;
    set((s) => ({ byId: { ...s.byId, [op.id]: op } }));
    return before;
  },
  openDrawer: (selectedId = null) => set({ drawerOpen: true, selectedId }),
  closeDrawer: () => set({ drawerOpen: false }),
  select: (selectedId) => set({ selectedId }),
  cancel: async (api, id) => {
    const result = await api.operations.cancel({ id });
    set({ cancelError: result.ok ? null : result.error });
  },
}));

/** Newest first. */
export function sortedOperations(byId: Record<string, Operation>): Operation[] {
  return Object.values(byId).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** How many operations are still running (the header badge). */
export function runningCount(byId: Record<string, Operation>): number {
  return Object.values(byId).filter((o) => o.state === 'running').length;
}

export type OperationFinished = (op: Operation) => void;

/**
 * Feeds `operations.progress` into the store (late subscribers get every remembered operation with its log) and
 * calls `onFinished` once per operation it watched finish: replayed operations that had already ended when
 * the window subscribed are not announced again.
 */
export function followOperations(api: DesktopApi, onFinished: OperationFinished): Unsubscribe {
  return api.onOperationsProgress((op) => {
    const before = useOperationsStore.getState().apply(op);
    if (before === 'running' && op.state !== 'running') onFinished(op);
  });
}

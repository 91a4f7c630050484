import { create } from 'zustand';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { SystemInfo, PortRanges, DatabaseStatus } from '../../../src-shared/contract/schemas';

type Section = 'info' | 'status' | 'portRanges';

export interface SystemState {
  info: SystemInfo | null;
  status: DatabaseStatus | null;
  portRanges: PortRanges | null;
  errors: Partial<Record<Section, IpcError>>;
  loading: boolean;
  /** Loads everything the System screen shows; each section fails on its own. */
  load(api: DesktopApi): Promise<void>;
  /** Applies a `database.statusChanged` event (pushed by main; the renderer never polls). */
  applyStatus(status: DatabaseStatus): void;
  /** Applies a `settings.portRangesChanged` event. */
  applyPortRanges(portRanges: PortRanges): void;
}

export const useSystemStore = create<SystemState>((set) => ({
  info: null,
  status: null,
  portRanges: null,
  errors: {},
  loading: false,
  load: async (api) => {
    set({ loading: true });
    const [info, status, portRanges] = await Promise.all([
      api.system.getInfo(),
      api.database.getStatus(),
      api.settings.getPortRanges(),
    ]);
    const errors: SystemState['errors'] = {};
    if (!info.ok) errors.info = info.error;
    if (!status.ok) errors.status = status.error;
    if (!portRanges.ok) errors.portRanges = portRanges.error;
    set((s) => ({
      loading: false,
      errors,
      info: info.ok ? info.value : s.info,
      status: status.ok ? status.value : s.status,
      portRanges: portRanges.ok ? portRanges.value : s.portRanges,
    }));
  },
  applyStatus: (status) => set((s) => ({ status, errors: { ...s.errors, status: undefined } })),
  applyPortRanges: (portRanges) => set((s) => ({ portRanges, errors: { ...s.errors, portRanges: undefined } })),
}));

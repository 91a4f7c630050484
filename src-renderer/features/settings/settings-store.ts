import { create } from 'zustand';
import type { DesktopApi, Unsubscribe } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { PortRanges } from '../../../src-shared/contract/schemas';

/**
 * Settings main has channels for today: the port ranges. Expected later (shown as "not connected yet"):
 * `settings.get`/`settings.set` for subnet, appliance VMID, deploy concurrency, health interval, auto-restart,
 * and `catalog.import`.
 */
export interface SettingsState {
  portRanges: PortRanges | null;
  loadError: IpcError | null;
  saving: boolean;
  saveError: IpcError | null;
  /** Set after a save main accepted, cleared by the next edit. */
  savedAt: number | null;
  load(api: DesktopApi): Promise<void>;
  applyPortRanges(portRanges: PortRanges): void;
  /** Sends `settings.setPortRanges`; main's answer (or its error, e.g. an app holding a port outside) is kept. */
  savePortRanges(api: DesktopApi, value: PortRanges): Promise<boolean>;
  clearSaveState(): void;
}

/** The port ranges as saved in main, and the state of the last save. */
export const useSettingsStore = create<SettingsState>((set) => ({
  portRanges: null,
  loadError: null,
  saving: false,
  saveError: null,
  savedAt: null,
  load: async (api) => {
    const result = await api.settings.getPortRanges();
    if (result.ok) set({ portRanges: result.value, loadError: null });
    else set({ loadError: result.error });
  },
  applyPortRanges: (portRanges) => set({ portRanges, loadError: null }),
  savePortRanges: async (api, value) => {
    set({ saving: true, saveError: null, savedAt: null });
    const result = await api.settings.setPortRanges(value);
    if (result.ok) set({ saving: false, portRanges: result.value, savedAt: Date.now() });
    else set({ saving: false, saveError: result.error });
    return result.ok;
  },
  clearSaveState: () => set({ saveError: null, savedAt: null }),
}));

/** Applies `settings.portRangesChanged` (a change from elsewhere shows up in the form until it is edited). */
export function followPortRanges(api: DesktopApi): Unsubscribe {
  return api.onSettingsPortRangesChanged((r) => useSettingsStore.getState().applyPortRanges(r));
}

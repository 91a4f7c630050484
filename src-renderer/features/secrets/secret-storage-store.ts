import { create } from 'zustand';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { SecretStorageInfo } from '../../../src-shared/contract/schemas';

export interface SecretStorageState {
  /** null until loaded, or where this runtime keeps no secrets (the web bridge). */
  status: SecretStorageInfo | null;
  /** Per app start on purpose: weak secret protection is worth a reminder every launch until it is fixed. */
  acknowledged: boolean;
  load(api: DesktopApi): Promise<void>;
  acknowledge(): void;
}

export const useSecretStorageStore = create<SecretStorageState>((set) => ({
  status: null,
  acknowledged: false,
  load: async (api) => {
    const info = await api.system.getInfo();
    // A failed system.getInfo is shown by the System screen; the banner only needs the status when there is one.
    if (info.ok) set({ status: info.value.secretStorage });
  },
  acknowledge: () => set({ acknowledged: true }),
}));

/** The banner shows while secrets are not really encrypted and the operator has not acknowledged it. */
export function needsSecretWarning(s: Pick<SecretStorageState, 'status' | 'acknowledged'>): boolean {
  return s.status !== null && !s.status.encrypted && !s.acknowledged;
}

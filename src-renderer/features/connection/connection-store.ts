import { create } from 'zustand';
import type { BridgeConnectionStatus } from '../../../src-shared/transport/bridge-connection';

export interface ConnectionStoreState {
  /** Electron's IPC never disconnects, so `open` is the default; the web bridge client reports changes. */
  status: BridgeConnectionStatus;
  setStatus(status: BridgeConnectionStatus): void;
}

export const useConnectionStore = create<ConnectionStoreState>((set) => ({
  status: { state: 'open', message: null, opens: 1 },
  setStatus: (status) => set({ status }),
}));

/** True while what the screens show may be out of date (not connected to main). */
export function isDisconnected(status: BridgeConnectionStatus): boolean {
  return status.state !== 'open' && status.state !== 'connecting';
}

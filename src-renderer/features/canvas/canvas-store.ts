import { create } from 'zustand';

/**
 * The canvases open as tabs. The canvas gateway (main) is not in the contract yet; expected channel
 * `canvas.urlFor` { appId } -> { url } (`http://<app-slug>.localhost:<gateway-port>/`). Until then a canvas tab
 * shows why there is no frame instead of a blank one.
 */
export interface CanvasState {
  openAppIds: string[];
  open(appId: string): void;
  close(appId: string): void;
}

/** The app ids whose canvases are open as tabs, in opening order. */
export const useCanvasStore = create<CanvasState>((set) => ({
  openAppIds: [],
  open: (appId) => set((s) => (s.openAppIds.includes(appId) ? s : { openAppIds: [...s.openAppIds, appId] })),
  close: (appId) => set((s) => ({ openAppIds: s.openAppIds.filter((id) => id !== appId) })),
}));

import { create } from 'zustand';
import type { DesktopApi, Unsubscribe } from '../../../src-shared/contract/desktop-api';
import type { Navigation, View } from '../../../src-shared/contract/schemas';

/** Every view the UI knows; the contract's `viewSchema` lists the same (checked by the compiler below). */
export const VIEWS = ['system', 'deploy', 'canvas', 'infrastructure'] as const satisfies readonly View[];
// Fails to compile when the contract gains a view this list lacks.
const noViewMissing: [Exclude<View, (typeof VIEWS)[number]>] extends [never] ? true : false = true;
void noViewMissing;

export interface NavigationState {
  currentView: View;
  /** The app the canvas view shows; null on every other view. */
  appId: string | null;
  /**
   * Goes to a view: from a `ui.navigate` event (tray menu) or the sidebar. Main validated the event already;
   * this checks again because the renderer has no zod: an unknown view or a canvas without an app is ignored.
   */
  navigate(to: Navigation): void;
}

export const useNavigationStore = create<NavigationState>((set) => ({
  currentView: 'system',
  appId: null,
  navigate: (to) => {
    if (!(VIEWS as readonly string[]).includes(to.view)) return;
    if (to.view === 'canvas') {
      if (typeof to.appId !== 'string' || to.appId === '') return;
      set({ currentView: 'canvas', appId: to.appId });
      return;
    }
    set({ currentView: to.view, appId: null });
  },
}));

/** Applies every `ui.navigate` main sends (including the latest one, replayed on subscribe). */
export function followNavigationEvents(api: DesktopApi): Unsubscribe {
  return api.onUiNavigate((to) => useNavigationStore.getState().navigate(to));
}

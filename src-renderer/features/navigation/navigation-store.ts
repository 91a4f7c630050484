import { create } from 'zustand';
import type { DesktopApi, Unsubscribe } from '../../../src-shared/contract/desktop-api';
import type { Navigation, View } from '../../../src-shared/contract/schemas';

/**
 * Every screen of the UI. Main can send the operator to the contract's views (`ui.navigate`: system, deploy,
 * canvas, infrastructure); the sidebar reaches the rest. `deploy` is the catalog's deploy wizard.
 */
export const SCREENS = ['apps', 'catalog', 'deploy', 'infrastructure', 'activity', 'settings', 'system', 'canvas'] as const;
export type Screen = (typeof SCREENS)[number];
// Fails to compile when the contract gains a view the UI has no screen for.
const everyViewIsAScreen: [Exclude<View, Screen>] extends [never] ? true : false = true;
void everyViewIsAScreen;

/** The screen a fresh window opens on. */
export const HOME_SCREEN: Screen = 'apps';

export interface NavigationState {
  screen: Screen;
  /** The app the canvas screen shows; null on every other screen. */
  appId: string | null;
  /** Shows a screen that needs no app (sidebar, command palette). */
  show(screen: Exclude<Screen, 'canvas'>): void;
  /** Shows an app's canvas. */
  openCanvas(appId: string): void;
  /**
   * Applies a `ui.navigate` from main (tray menu). Main validated it already; this checks again because the
   * renderer has no zod: an unknown view or a canvas without an app is ignored.
   */
  navigate(to: Navigation): void;
}

const VIEWS: readonly string[] = ['system', 'deploy', 'canvas', 'infrastructure'] satisfies readonly View[];

/** The screen shown and, for a canvas, its app. */
export const useNavigationStore = create<NavigationState>((set) => ({
  screen: HOME_SCREEN,
  appId: null,
  show: (screen) => {
    if ((SCREENS as readonly string[]).includes(screen) && (screen as string) !== 'canvas') set({ screen, appId: null });
  },
  openCanvas: (appId) => {
    if (typeof appId === 'string' && appId !== '') set({ screen: 'canvas', appId });
  },
  navigate: (to) => {
    if (!VIEWS.includes(to.view)) return;
    if (to.view === 'canvas') {
      if (typeof to.appId !== 'string' || to.appId === '') return;
      set({ screen: 'canvas', appId: to.appId });
      return;
    }
    set({ screen: to.view, appId: null });
  },
}));

/** Applies every `ui.navigate` main sends (including the latest one, replayed on subscribe). */
export function followNavigationEvents(api: DesktopApi): Unsubscribe {
  return api.onUiNavigate((to) => useNavigationStore.getState().navigate(to));
}

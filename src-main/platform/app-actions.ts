import type { Navigation } from '../../src-shared/contract/schemas';

/** The tray entries that lead to a screen of the app rather than acting on an app. */
export interface NavigationActions {
  openCanvas(appId: string): void;
  deployApp(): void;
  showInfrastructure(): void;
}

/**
 * Sends the UI to a view (`ui.navigate`, published through the EventHub) and brings the window up.
 * `openWindow` gets the navigation so it knows this window is meant to land there (see index.ts).
 * A payload the contract refuses is a bug in main: it is logged and the window still opens.
 */
export function createNavigationActions(
  publish: (navigation: Navigation) => void,
  openWindow: (navigation: Navigation) => void,
  log: (line: string) => void = console.error,
): NavigationActions {
  const go = (navigation: Navigation) => {
    try {
      publish(navigation);
    } catch (e) {
      log(`[navigate] could not publish ui.navigate: ${String(e)}`);
    }
    openWindow(navigation);
  };
  return {
    openCanvas: (appId) => go({ view: 'canvas', appId }),
    deployApp: () => go({ view: 'deploy' }),
    showInfrastructure: () => go({ view: 'infrastructure' }),
  };
}

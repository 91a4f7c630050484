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

/** The tray's start / stop / restart entries. */
export interface LifecycleActions {
  startApp(appId: string): void;
  stopApp(appId: string): void;
  restartApp(appId: string): void;
}

/**
 * Tray lifecycle entries that reach the same core action as the UI (`apps.act`, which starts an operation whose
 * progress and result the window and notifications follow). Without the apps feature (no catalog, no Proxmox
 * wiring) or when the action is refused at once (unknown app, not deployed), the operator gets a desktop
 * notification saying why; nothing is pretended.
 */
export function createLifecycleActions(
  apps: { act(appId: string, action: 'start' | 'stop' | 'restart'): { operationId: string } } | undefined,
  notify: (title: string, body: string) => void,
  nameOf: (appId: string) => string,
): LifecycleActions {
  const run = (action: 'start' | 'stop' | 'restart') => (appId: string) => {
    if (!apps) {
      notify(`Cannot ${action} ${nameOf(appId)}`, `${action[0].toUpperCase()}${action.slice(1)} is not available: Proximity is not connected to Proxmox.`);
      return;
    }
    try {
      apps.act(appId, action);
    } catch (e) {
      notify(`Cannot ${action} ${nameOf(appId)}`, e instanceof Error ? e.message : String(e));
    }
  };
  return { startApp: run('start'), stopApp: run('stop'), restartApp: run('restart') };
}

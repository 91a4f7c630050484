import type { MenuItemConstructorOptions } from 'electron';
import type { AppStatus, InfrastructureStatus } from '../../src-shared/contract/schemas';

// The contract's enums: core, the renderer and the tray use the same names.
export type { AppStatus, InfrastructureStatus };

export interface TrayState {
  apps: ReadonlyArray<{ id: string; name: string; status: AppStatus; canvasUrl?: string }>;
  infrastructure: { status: InfrastructureStatus; detail?: string };
}

export interface TrayActions {
  openWindow(): void;
  openCanvas(appId: string): void;
  startApp(appId: string): void;
  stopApp(appId: string): void;
  restartApp(appId: string): void;
  deployApp(): void;
  showInfrastructure(): void;
  quit(): void;
}

const INFRA_LABEL: Record<InfrastructureStatus, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'Unknown',
};

/** The tray menu as plain data, so it is tested without Electron; tray.ts feeds it to Menu.buildFromTemplate. */
export function buildTrayMenuTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const appItems: MenuItemConstructorOptions[] = state.apps.map((app) => {
    const running = app.status === 'running';
    return {
      id: `app:${app.id}`,
      label: `${app.name} (${app.status})`,
      submenu: [
        { id: `app:${app.id}:open`, label: 'Open canvas', enabled: Boolean(app.canvasUrl), click: () => actions.openCanvas(app.id) },
        { type: 'separator' },
        { id: `app:${app.id}:start`, label: 'Start', enabled: app.status === 'stopped', click: () => actions.startApp(app.id) },
        { id: `app:${app.id}:stop`, label: 'Stop', enabled: running, click: () => actions.stopApp(app.id) },
        { id: `app:${app.id}:restart`, label: 'Restart', enabled: running, click: () => actions.restartApp(app.id) },
      ],
    };
  });
  const infra = state.infrastructure;
  const infraLabel = `Infrastructure: ${INFRA_LABEL[infra.status] ?? 'Unknown'}${infra.detail ? ` (${infra.detail})` : ''}`;
  return [
    { id: 'open', label: 'Open Proximity', click: () => actions.openWindow() },
    { type: 'separator' },
    ...(appItems.length ? appItems : [{ id: 'no-apps', label: 'No apps deployed', enabled: false }]),
    { type: 'separator' },
    { id: 'deploy', label: 'Deploy an app…', click: () => actions.deployApp() },
    { id: 'infrastructure', label: infraLabel, click: () => actions.showInfrastructure() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}

/** Tooltip text for the tray icon: the name plus a short status. */
export function trayTooltip(state: TrayState): string {
  const running = state.apps.filter((a) => a.status === 'running').length;
  return `Proximity: ${running}/${state.apps.length} apps running, infrastructure ${INFRA_LABEL[state.infrastructure.status] ?? 'Unknown'}`;
}

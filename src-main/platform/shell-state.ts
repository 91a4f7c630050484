import type { AppStatus, InfrastructureStatus, TrayState } from './tray-menu';

/** The slice of an app summary (contract `AppSummary`) the shell needs for the tray and the CSP. */
export interface ShellAppView {
  id: string;
  name: string;
  status: AppStatus;
  ports: { public: number; internal: number } | null;
}

/**
 * Derives the tray state and the canvas URLs from the app list. A canvas URL needs the host that serves the
 * canvas ports (the network appliance); until infrastructure is connected there is none, so no app has a canvas.
 */
export function shellStateFromApps(
  apps: readonly ShellAppView[],
  // Until the network appliance is wired, infrastructure is unknown and nothing serves canvases.
  infrastructure: { status: InfrastructureStatus; detail?: string; canvasHost?: string | null } = { status: 'unknown', canvasHost: null },
): { tray: TrayState; canvasUrls: string[] } {
  const host = infrastructure.canvasHost ?? null;
  const canvasOf = (a: ShellAppView) => (host && a.ports ? `http://${host}:${a.ports.internal}/` : undefined);
  const trayApps = apps.map((a) => ({ id: a.id, name: a.name, status: a.status, canvasUrl: canvasOf(a) }));
  return {
    tray: { apps: trayApps, infrastructure: { status: infrastructure.status, detail: infrastructure.detail } },
    canvasUrls: trayApps.flatMap((a) => (a.canvasUrl ? [a.canvasUrl] : [])),
  };
}

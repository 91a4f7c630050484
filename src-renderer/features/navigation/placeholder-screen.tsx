import { useEffect, useState } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { View } from '../../../src-shared/contract/schemas';

export const VIEW_TITLES: Record<View, string> = {
  system: 'System',
  deploy: 'Deploy an app',
  canvas: 'Canvas',
  infrastructure: 'Infrastructure',
};

const WHAT_IT_WILL_DO: Record<Exclude<View, 'system'>, string> = {
  deploy: 'Pick an app from the catalog and deploy it to your Proxmox node as an LXC container.',
  canvas: 'The app itself, shown inside Proximity through its canvas port.',
  infrastructure: 'The network appliance (DHCP/DNS, NAT, reverse proxy) and the health of your Proxmox connection.',
};

/** A screen that is not built yet: says so plainly under its real title, so the operator knows where they are. */
export function PlaceholderScreen({ view, appId, api }: { view: Exclude<View, 'system'>; appId: string | null; api: DesktopApi }) {
  const appName = useAppName(api, view === 'canvas' ? appId : null);
  const title = view === 'canvas' ? `${VIEW_TITLES.canvas}: ${appName ?? appId ?? 'unknown app'}` : VIEW_TITLES[view];
  return (
    <section className="screen" data-testid={`${view}-screen`} data-view={view}>
      <header className="screen-header">
        <h1 data-testid="screen-title">{title}</h1>
      </header>
      <div className="placeholder" data-testid="coming-later">
        <strong>Coming in a later release.</strong>
        <span>{WHAT_IT_WILL_DO[view]}</span>
      </div>
    </section>
  );
}

/** The display name of `appId`, from the apps snapshot main pushes (replayed on subscribe). */
function useAppName(api: DesktopApi, appId: string | null): string | null {
  // Keyed by the app it names, so the previous app's name never shows for the next one (no reset inside the effect).
  const [seen, setSeen] = useState<{ appId: string; name: string | null } | null>(null);
  useEffect(() => {
    if (!appId) return;
    return api.onAppsChanged((apps) => setSeen({ appId, name: apps.find((a) => a.id === appId)?.name ?? null }));
  }, [api, appId]);
  return appId !== null && seen?.appId === appId ? seen.name : null;
}

import { useEffect } from 'react';
import type { DesktopApi } from '../src-shared/contract/desktop-api';
import type { View } from '../src-shared/contract/schemas';
import { followNavigationEvents, useNavigationStore } from './features/navigation/navigation-store';
import { PlaceholderScreen, VIEW_TITLES } from './features/navigation/placeholder-screen';
import { ConnectionBanner } from './features/connection/connection-banner';
import { SecretStorageBanner } from './features/secrets/secret-storage-banner';
import { SystemScreen } from './features/system/system-screen';

// Canvas is per app (reached from the tray or, later, the app list), so it has no sidebar entry.
const SIDEBAR: Array<Exclude<View, 'canvas'>> = ['system', 'deploy', 'infrastructure'];

export function App({ api }: { api: DesktopApi | null }) {
  const { currentView, appId, navigate } = useNavigationStore();
  useEffect(() => (api ? followNavigationEvents(api) : undefined), [api]);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Proximity</div>
        {SIDEBAR.map((view) => (
          <button
            key={view}
            type="button"
            className={`nav-item${currentView === view ? ' active' : ''}`}
            aria-current={currentView === view ? 'page' : undefined}
            data-testid={`nav-${view}`}
            onClick={() => navigate({ view })}
          >
            {VIEW_TITLES[view]}
          </button>
        ))}
      </nav>
      <main className="content" data-current-view={currentView}>
        {api ? (
          <>
            <ConnectionBanner />
            <SecretStorageBanner api={api} />
            {currentView === 'system' ? <SystemScreen api={api} /> : <PlaceholderScreen view={currentView} appId={appId} api={api} />}
          </>
        ) : (
          <div className="error-banner" role="alert" data-testid="no-desktop-api" data-error-code="BRIDGE_UNAVAILABLE">
            <span className="error-code">BRIDGE_UNAVAILABLE</span>
            <span>
              This page has no connection to Proximity. Open it from the desktop app, or use the full URL printed by
              <code> npm run web</code> (it carries a one-time token).
            </span>
          </div>
        )}
      </main>
    </div>
  );
}

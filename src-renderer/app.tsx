import type { DesktopApi } from '../src-preload/contract/desktop-api';
import { SystemScreen } from './features/system/system-screen';

export function App({ api }: { api: DesktopApi | null }) {
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Proximity</div>
        <a className="nav-item active" aria-current="page" data-testid="nav-system">
          System
        </a>
      </nav>
      <main className="content">
        {api ? (
          <SystemScreen api={api} />
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

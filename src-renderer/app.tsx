import { useEffect } from 'react';
import type { DesktopApi } from '../src-shared/contract/desktop-api';
import { Banner } from './components/banner';
import { applyThemeToDocument } from './components/theme/theme-store';
import { Toaster } from './components/toaster';
import { TooltipProvider } from './components/tooltip';
import { ConnectionBanner } from './features/connection/connection-banner';
import { useNavigationStore } from './features/navigation/navigation-store';
import { OperationsDrawer } from './features/operations/operations-drawer';
import { CommandPalette } from './features/palette/command-palette';
import { SecretStorageBanner } from './features/secrets/secret-storage-banner';
import { HeaderBar } from './shell/header-bar';
import { ScreenOutlet } from './shell/screen-outlet';
import { Sidebar } from './shell/sidebar';
import { useLiveStores } from './shell/use-live-stores';
import './shell/shell.css';

/** The whole UI: sidebar, header, the current screen, and the overlays (palette, operations, toasts). */
export function App({ api }: { api: DesktopApi | null }) {
  useEffect(() => applyThemeToDocument(), []);
  useLiveStores(api);
  const screen = useNavigationStore((s) => s.screen);

  return (
    <TooltipProvider delayDuration={400}>
      <div className="shell">
        <Sidebar />
        <HeaderBar />
        <main className="content" data-current-view={screen}>
          <div className="content-inner">
            {api ? (
              <>
                <ConnectionBanner />
                <SecretStorageBanner api={api} />
                <ScreenOutlet api={api} />
              </>
            ) : (
              <Banner tone="bad" role="alert" testId="no-desktop-api" data-error-code="BRIDGE_UNAVAILABLE" title={<span className="error-code">BRIDGE_UNAVAILABLE</span>}>
                <span>
                  This page has no connection to Proximity. Open it from the desktop app, or use the full URL printed by <code>npm run web</code> (it carries a one-time
                  token).
                </span>
              </Banner>
            )}
          </div>
        </main>
      </div>
      {api && <CommandPalette api={api} />}
      {api && <OperationsDrawer api={api} />}
      <Toaster />
    </TooltipProvider>
  );
}

import type { DesktopApi } from '../../src-shared/contract/desktop-api';
import { ActivityScreen } from '../features/activity/activity-screen';
import { AppsScreen } from '../features/apps/apps-screen';
import { CanvasScreen } from '../features/canvas/canvas-screen';
import { CatalogScreen } from '../features/catalog/catalog-screen';
import { DeployScreen } from '../features/catalog/deploy-screen';
import { InfrastructureScreen } from '../features/infrastructure/infrastructure-screen';
import { useNavigationStore } from '../features/navigation/navigation-store';
import { SettingsScreen } from '../features/settings/settings-screen';
import { SystemScreen } from '../features/system/system-screen';

/** The screen the navigation store points at. */
export function ScreenOutlet({ api }: { api: DesktopApi }) {
  const screen = useNavigationStore((s) => s.screen);
  const appId = useNavigationStore((s) => s.appId);
  switch (screen) {
    case 'apps':
      return <AppsScreen api={api} />;
    case 'catalog':
      return <CatalogScreen api={api} />;
    case 'deploy':
      return <DeployScreen api={api} />;
    case 'infrastructure':
      return <InfrastructureScreen api={api} />;
    case 'activity':
      return <ActivityScreen api={api} />;
    case 'settings':
      return <SettingsScreen api={api} />;
    case 'system':
      return <SystemScreen api={api} />;
    case 'canvas':
      return appId ? <CanvasScreen appId={appId} /> : <AppsScreen api={api} />;
  }
}

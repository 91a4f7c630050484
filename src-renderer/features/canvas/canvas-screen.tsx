import { AppWindow, X } from 'lucide-react';
import { useEffect } from 'react';
import { EmptyState } from '../../components/empty-state';
import { IconButton } from '../../components/icon-button';
import { ScreenHeader } from '../../components/screen-header';
import { StatusBadge } from '../../components/status-badge';
import { useAppsStore } from '../apps/apps-store';
import { useNavigationStore } from '../navigation/navigation-store';
import { useCanvasStore } from './canvas-store';

/** Open canvases as tabs; the selected one is the navigation's app. */
export function CanvasScreen({ appId }: { appId: string }) {
  const apps = useAppsStore((s) => s.apps);
  const { openAppIds, open, close } = useCanvasStore();
  const openCanvas = useNavigationStore((s) => s.openCanvas);
  const show = useNavigationStore((s) => s.show);
  useEffect(() => open(appId), [appId, open]);
  const app = apps.find((a) => a.id === appId) ?? null;
  const name = (id: string) => apps.find((a) => a.id === id)?.name ?? id;

  return (
    <section className="screen" data-testid="canvas-screen" data-app-id={appId}>
      <ScreenHeader title={`Canvas: ${app?.name ?? appId}`} subtitle={app ? <span className="mono">{app.hostname}</span> : undefined} actions={app && <StatusBadge status={app.status} testId="canvas-status" />} />
      <nav className="canvas-tabs" aria-label="Open canvases">
        {openAppIds.map((id) => (
          <div key={id} className="canvas-tab" data-active={id === appId ? 'true' : undefined}>
            <button type="button" aria-current={id === appId ? 'page' : undefined} className="canvas-tab-button" onClick={() => openCanvas(id)} data-testid={`canvas-tab-${id}`}>
              <AppWindow size={14} aria-hidden />
              {name(id)}
            </button>
            <IconButton
              label={`Close ${name(id)} canvas`}
              size="sm"
              icon={<X size={13} aria-hidden />}
              onClick={() => {
                close(id);
                const rest = useCanvasStore.getState().openAppIds;
                if (id === appId) {
                  if (rest.length) openCanvas(rest[rest.length - 1]);
                  else show('apps');
                }
              }}
            />
          </div>
        ))}
      </nav>
      <div className="canvas-panel">
        <EmptyState icon={<AppWindow size={22} />} title="The canvas is not connected yet" testId="canvas-not-connected">
          The app will show here, in a sandboxed frame served by Proximity’s canvas gateway, once that lands. Logins inside the canvas will keep working across reloads.
        </EmptyState>
      </div>
    </section>
  );
}

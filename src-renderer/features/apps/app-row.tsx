import { AppWindow, ExternalLink, MoreHorizontal, Play, RotateCw, Square, Trash2 } from 'lucide-react';
import { memo } from 'react';
import type { AppSummary } from '../../../src-shared/contract/schemas';
import { CopyButton } from '../../components/copy-button';
import { ActionMenu, type MenuAction } from '../../components/dropdown-menu';
import { IconButton } from '../../components/icon-button';
import { StatusBadge } from '../../components/status-badge';
import { accessUrlsOf } from './app-access';
import type { AppAction } from './app-actions';

export interface AppRowHandlers {
  openCanvas(app: AppSummary): void;
  showDetails(app: AppSummary): void;
  openInBrowser(url: string): void;
  run(action: AppAction, app: AppSummary): void;
  askDelete(app: AppSummary): void;
}

export interface AppRowProps {
  app: AppSummary;
  index: number;
  applianceAddress: string | null;
  handlers: AppRowHandlers;
}

/** One app in the apps list: status, node, ports, access URL with copy, quick actions. */
export const AppRow = memo(function AppRow({ app, index, applianceAddress, handlers }: AppRowProps) {
  const url = accessUrlsOf(app, applianceAddress)[0]?.url ?? null;
  const actions: MenuAction[] = [
    { key: 'open-canvas', label: 'Open canvas', icon: <AppWindow size={15} aria-hidden />, run: () => handlers.openCanvas(app) },
    { key: 'open-browser', label: 'Open in browser', icon: <ExternalLink size={15} aria-hidden />, disabledReason: url ? undefined : 'No address until the network appliance is provisioned', run: () => url && handlers.openInBrowser(url) },
    { key: 'start', label: 'Start', icon: <Play size={15} aria-hidden />, separated: true, disabledReason: app.status === 'running' ? 'Already running' : undefined, run: () => handlers.run('start', app) },
    { key: 'stop', label: 'Stop', icon: <Square size={15} aria-hidden />, disabledReason: app.status === 'stopped' ? 'Already stopped' : undefined, run: () => handlers.run('stop', app) },
    { key: 'restart', label: 'Restart', icon: <RotateCw size={15} aria-hidden />, run: () => handlers.run('restart', app) },
    { key: 'delete', label: 'Delete…', icon: <Trash2 size={15} aria-hidden />, tone: 'bad', separated: true, run: () => handlers.askDelete(app) },
  ];
  return (
    <div className="app-row" role="row" aria-rowindex={index + 2} data-testid="app-row" data-app-id={app.id} data-status={app.status}>
      <div role="cell" className="app-cell-name">
        <button type="button" className="app-name link-button" onClick={() => handlers.showDetails(app)} data-testid="app-details">
          {app.name}
        </button>
        <span className="app-host mono">{app.hostname}</span>
      </div>
      <div role="cell">
        <StatusBadge status={app.status} testId="app-status" />
      </div>
      <div role="cell" className="app-cell-node">
        {app.node ?? <span className="muted">—</span>}
        {app.vmid !== null && <span className="muted mono"> · {app.vmid}</span>}
      </div>
      <div role="cell" className="mono app-cell-ports" data-testid="app-ports">
        {app.ports ? (
          <>
            {app.ports.public}
            <span className="muted"> / {app.ports.internal}</span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </div>
      <div role="cell" className="app-cell-url">
        {url ? (
          <>
            <span className="mono app-url" title={url}>
              {url}
            </span>
            <CopyButton text={url} label={`Copy ${app.name} URL`} testId="copy-url" />
          </>
        ) : (
          <span className="muted">No address yet</span>
        )}
      </div>
      <div role="cell" className="app-cell-actions">
        <IconButton label={`Open ${app.name} canvas`} size="sm" icon={<AppWindow size={15} aria-hidden />} onClick={() => handlers.openCanvas(app)} data-testid="app-open-canvas" />
        <ActionMenu
          label={`${app.name} actions`}
          actions={actions}
          testId="app-actions-menu"
          trigger={<IconButton label={`More actions for ${app.name}`} size="sm" icon={<MoreHorizontal size={15} aria-hidden />} data-testid="app-actions" />}
        />
      </div>
    </div>
  );
}, sameRow);

/** Rows re-render only when what they show changed (snapshots bring new objects for unchanged apps). */
function sameRow(a: AppRowProps, b: AppRowProps): boolean {
  if (a.index !== b.index || a.applianceAddress !== b.applianceAddress || a.handlers !== b.handlers) return false;
  const x = a.app;
  const y = b.app;
  return (
    x === y ||
    (x.id === y.id && x.name === y.name && x.hostname === y.hostname && x.status === y.status && x.node === y.node && x.vmid === y.vmid && x.ports?.public === y.ports?.public && x.ports?.internal === y.ports?.internal)
  );
}

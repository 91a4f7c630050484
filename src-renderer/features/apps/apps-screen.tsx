import { LayoutGrid, PlugZap, Rocket, Search } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { AppStatus, AppSummary } from '../../../src-shared/contract/schemas';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { ScreenHeader } from '../../components/screen-header';
import { SelectField } from '../../components/select-field';
import { Skeleton } from '../../components/skeleton';
import { APP_STATUS_LOOK } from '../../components/status-badge';
import { TextField } from '../../components/text-field';
import { SCREEN_INFO } from '../../shell/screen-catalogue';
import { applianceAddressOf, useInfrastructureStore } from '../infrastructure/infrastructure-store';
import { useConnectionsStore } from '../connections/connections-store';
import { useNavigationStore } from '../navigation/navigation-store';
import { filterApps, nodesOf } from './app-filters';
import type { AppRowHandlers } from './app-row';
import { AppDetailDialog, useAppDetailStore } from './app-detail-dialog';
import { AppsList } from './apps-list';
import { useAppsStore } from './apps-store';
import { useAppActionRunner, useOpenInBrowser } from './use-app-action-runner';
import './apps.css';

const STATUS_OPTIONS = [{ value: 'all', label: 'All statuses' }, ...(Object.keys(APP_STATUS_LOOK) as AppStatus[]).map((s) => ({ value: s, label: APP_STATUS_LOOK[s].label }))];

/** Every deployed app, searchable and filterable, virtualised; live from `apps.changed`. */
export function AppsScreen({ api }: { api: DesktopApi }) {
  const { apps, loaded, error, filter, setFilter } = useAppsStore();
  const applianceAddress = useInfrastructureStore(applianceAddressOf);
  const openCanvas = useNavigationStore((s) => s.openCanvas);
  const show = useNavigationStore((s) => s.show);
  // A first run: nothing deployed and no Proxmox connection yet, so the way forward is adding one.
  const firstRun = useConnectionsStore((s) => s.loaded && s.connections.length === 0);
  const startOnboarding = () => {
    show('infrastructure');
    useConnectionsStore.getState().openDialog({ mode: 'add' });
  };
  const runAction = useAppActionRunner(api);
  const openInBrowser = useOpenInBrowser(api);
  const [toDelete, setToDelete] = useState<AppSummary | null>(null);

  const visible = useMemo(() => filterApps(apps, filter), [apps, filter]);
  const nodes = useMemo(() => nodesOf(apps), [apps]);
  const handlers = useMemo<AppRowHandlers>(
    () => ({
      openCanvas: (app) => openCanvas(app.id),
      showDetails: (app) => useAppDetailStore.getState().open(app.id),
      openInBrowser: (url) => void openInBrowser(url),
      run: (action, app) => void runAction(action, app),
      askDelete: setToDelete,
    }),
    [openCanvas, runAction, openInBrowser],
  );
  const info = SCREEN_INFO.apps;

  return (
    <section className="screen apps-screen" data-testid="apps-screen" aria-busy={!loaded}>
      <ScreenHeader
        title={info.title}
        subtitle={info.subtitle}
        actions={
          <Button variant="primary" icon={<Rocket size={15} aria-hidden />} onClick={() => show('catalog')} data-testid="apps-deploy">
            Deploy an app
          </Button>
        }
      />
      {error && error.code !== 'BRIDGE_UNAVAILABLE' && <ErrorNotice error={error} testId="apps-error" actions={<Button onClick={() => void useAppsStore.getState().load(api)}>Retry</Button>} />}
      {!loaded ? (
        <div className="card" data-testid="apps-loading">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} size="lg" className="skeleton-row" />
          ))}
        </div>
      ) : apps.length === 0 && firstRun ? (
        <EmptyState
          icon={<PlugZap size={22} />}
          title="Welcome to Proximity"
          testId="apps-first-run"
          actions={
            <Button variant="primary" icon={<PlugZap size={15} aria-hidden />} onClick={startOnboarding} data-testid="first-run-add-connection">
              Add a Proxmox connection
            </Button>
          }
        >
          Start by connecting your Proxmox host: you confirm its certificate and SSH host key, test the connection, and then deploy apps from the catalog.
        </EmptyState>
      ) : apps.length === 0 ? (
        <EmptyState
          icon={<LayoutGrid size={22} />}
          title="No apps yet"
          testId="apps-empty"
          actions={
            <Button variant="primary" icon={<Rocket size={15} aria-hidden />} onClick={() => show('catalog')}>
              Browse the catalog
            </Button>
          }
        >
          Deploy an app from the catalog and it appears here with its status, node, ports and address.
        </EmptyState>
      ) : (
        <>
          <div className="toolbar" role="search">
            <TextField
              className="toolbar-grow"
              label="Search apps"
              hideLabel
              type="search"
              placeholder="Search by name, hostname, node, VMID or port"
              icon={<Search size={15} aria-hidden />}
              value={filter.query}
              onChange={(e) => setFilter({ query: e.target.value })}
              data-testid="apps-search"
            />
            <SelectField label="Status" hideLabel options={STATUS_OPTIONS} value={filter.status} onValueChange={(v) => setFilter({ status: v as typeof filter.status })} data-testid="apps-status-filter" />
            <SelectField
              label="Node"
              hideLabel
              options={[{ value: 'all', label: 'All nodes' }, ...nodes.map((n) => ({ value: n, label: n }))]}
              value={filter.node}
              onValueChange={(v) => setFilter({ node: v })}
              data-testid="apps-node-filter"
            />
          </div>
          <p className="apps-count" aria-live="polite" data-testid="apps-count">
            {visible.length === apps.length ? `${apps.length} apps` : `${visible.length} of ${apps.length} apps`}
          </p>
          {visible.length === 0 ? (
            <EmptyState icon={<Search size={22} />} title="No app matches" testId="apps-no-match" actions={<Button onClick={() => setFilter({ query: '', status: 'all', node: 'all' })}>Clear filters</Button>}>
              Nothing matches this search and these filters.
            </EmptyState>
          ) : (
            <AppsList apps={visible} applianceAddress={applianceAddress} handlers={handlers} />
          )}
        </>
      )}
      <AppDetailDialog api={api} />
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(open) => !open && setToDelete(null)}
        title={toDelete ? `Delete ${toDelete.name}?` : 'Delete app?'}
        description="The container and its data are destroyed on the Proxmox node, and its ports, proxy route and DNS name are released. This cannot be undone."
        confirmLabel="Delete app"
        tone="danger"
        testId="delete-confirm"
        onConfirm={async () => {
          if (toDelete) await runAction('delete', toDelete);
        }}
      />
    </section>
  );
}

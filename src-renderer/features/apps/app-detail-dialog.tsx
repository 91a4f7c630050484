import { Activity } from 'lucide-react';
import { create } from 'zustand';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { EmptyState } from '../../components/empty-state';
import { StatusBadge } from '../../components/status-badge';
import { Tabs } from '../../components/tabs';
import { applianceAddressOf, useInfrastructureStore } from '../infrastructure/infrastructure-store';
import { accessUrlsOf } from './app-access';
import { AppCommands, AppLiveStatus, AppLogs } from './app-detail-live';
import { useAppsStore } from './apps-store';

/**
 * Which app's details are open. The live status is `apps.get`, commands are `commands.list|run`, logs the `logs`
 * safe command (app-detail-live.tsx). Metrics have no channel yet; expected:
 *   `apps.metrics` { id, timeframe: 'hour'|'day' } -> RRD points from PVE `rrddata` (cpu, mem, netin, netout)
 */
export const useAppDetailStore = create<{ appId: string | null; open(appId: string | null): void }>((set) => ({
  appId: null,
  open: (appId) => set({ appId }),
}));

/** An app's details: status (live from `apps.get`), where it runs, its ports and URLs; metrics, safe commands and logs as tabs. */
export function AppDetailDialog({ api }: { api: DesktopApi }) {
  const appId = useAppDetailStore((s) => s.appId);
  const open = useAppDetailStore((s) => s.open);
  const app = useAppsStore((s) => s.apps.find((a) => a.id === appId) ?? null);
  const address = useInfrastructureStore(applianceAddressOf);
  if (!app) return null;
  const urls = accessUrlsOf(app, address);
  const metricsLater = (
    <EmptyState icon={<Activity size={22} />} title="Metrics: not connected yet">
      CPU, memory and network charts from Proxmox arrive with a metrics channel in main.
    </EmptyState>
  );
  return (
    <Dialog open onOpenChange={(o) => !o && open(null)} size="wide" title={app.name} description={<span className="mono">{app.hostname}</span>} testId="app-detail">
      <Tabs
        label="App details"
        items={[
          {
            value: 'overview',
            label: 'Overview',
            content: (
              <>
              <dl>
                <div className="field">
                  <dt>Status</dt>
                  <dd>
                    <StatusBadge status={app.status} />
                  </dd>
                </div>
                <div className="field">
                  <dt>Node · VMID</dt>
                  <dd className="mono">{app.node ? `${app.node} · ${app.vmid ?? '—'}` : '—'}</dd>
                </div>
                <div className="field">
                  <dt>Ports</dt>
                  <dd className="mono">{app.ports ? `public ${app.ports.public}, canvas ${app.ports.internal}` : 'not assigned'}</dd>
                </div>
                <div className="field">
                  <dt>Catalog app</dt>
                  <dd className="mono">{app.catalogId}</dd>
                </div>
                <div className="field">
                  <dt>Address</dt>
                  <dd className="copy-line">
                    {urls.length ? (
                      urls.map((u) => (
                        <span key={u.url} className="copy-line">
                          <span className="mono">{u.url}</span>
                          <CopyButton text={u.url} label={`Copy ${u.url}`} />
                        </span>
                      ))
                    ) : (
                      <span className="muted">No address until the network appliance is provisioned</span>
                    )}
                  </dd>
                </div>
              </dl>
              <AppLiveStatus api={api} appId={app.id} />
              </>
            ),
          },
          { value: 'metrics', label: 'Metrics', content: metricsLater },
          { value: 'commands', label: 'Commands', content: <AppCommands api={api} appId={app.id} /> },
          { value: 'logs', label: 'Logs', content: <AppLogs api={api} appId={app.id} /> },
        ]}
      />
    </Dialog>
  );
}

import { Cpu, HardDrive, MemoryStick, Plug, PlugZap, Router, Server } from 'lucide-react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { Button } from '../../components/button';
import { AddConnectionDialog } from '../connections/add-connection-dialog';
import { useConnectionsStore } from '../connections/connections-store';
import { Badge, type Tone } from '../../components/status-badge';
import { Banner } from '../../components/banner';
import { Card } from '../../components/card';
import { DataTable } from '../../components/data-table';
import { EmptyState } from '../../components/empty-state';
import { ProgressBar } from '../../components/progress-bar';
import { ScreenHeader } from '../../components/screen-header';
import { SCREEN_INFO } from '../../shell/screen-catalogue';
import { formatBytes } from '../system/system-screen';
import { useInfrastructureStore, type NodeHealth } from './infrastructure-store';

const HEALTH_TONE: Record<string, Tone> = { healthy: 'good', online: 'good', degraded: 'warn', down: 'bad', offline: 'bad', unknown: 'neutral' };

/** Nodes and the network appliance. Until main offers the connection channels, says what will be here. */
export function InfrastructureScreen({ api }: { api: DesktopApi }) {
  const { connected, nodes, appliance } = useInfrastructureStore();
  const openAddConnection = () => useConnectionsStore.getState().setDialogOpen(true);
  return (
    <section className="screen" data-testid="infrastructure-screen">
      <ScreenHeader title={SCREEN_INFO.infrastructure.title} subtitle={SCREEN_INFO.infrastructure.subtitle} />
      {!connected ? (
        <EmptyState
          icon={<Plug size={22} />}
          title="No Proxmox connection yet"
          testId="infrastructure-not-connected"
          actions={
            <Button variant="primary" icon={<PlugZap size={15} aria-hidden />} onClick={openAddConnection} data-testid="add-connection">
              Add a Proxmox connection
            </Button>
          }
        >
          Connecting to Proxmox arrives with the Proxmox layer: you will add a host with an API token or a user and password, confirm its certificate fingerprint and SSH host key, test the
          connection, and provision the network appliance.
        </EmptyState>
      ) : (
        <div className="stack">
          {appliance?.fallback && (
            <Banner tone="warn" role="alert" title="Fallback mode" testId="appliance-fallback">
              The network appliance is not usable, so apps are reached directly. Repair it to restore DNS names and the reverse proxy.
            </Banner>
          )}
          <Card title="Network appliance" icon={<Router size={15} aria-hidden />} testId="appliance-card">
            {appliance ? (
              <dl>
                <div className="field">
                  <dt>Container</dt>
                  <dd className="mono">
                    {appliance.vmid} on {appliance.node}
                  </dd>
                </div>
                <div className="field">
                  <dt>Address · bridge</dt>
                  <dd className="mono">
                    {appliance.address} · {appliance.bridge}
                  </dd>
                </div>
                {appliance.services.map((s) => (
                  <div className="field" key={s.name}>
                    <dt>{s.name}</dt>
                    <dd>
                      <Badge tone={HEALTH_TONE[s.status]} label={s.status} />
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="muted">Not provisioned.</p>
            )}
          </Card>
          <DataTable<NodeHealth>
            caption="Nodes"
            testId="nodes-table"
            rows={nodes}
            rowKey={(n) => n.node}
            columns={[
              { key: 'node', header: <><Server size={13} aria-hidden /> Node</>, cell: (n) => n.node },
              { key: 'status', header: 'Status', cell: (n) => <Badge tone={HEALTH_TONE[n.status]} label={n.status} /> },
              { key: 'cpu', header: <><Cpu size={13} aria-hidden /> CPU</>, cell: (n) => <ProgressBar value={n.cpu * 100} label={`${n.node} CPU`} /> },
              { key: 'mem', header: <><MemoryStick size={13} aria-hidden /> Memory</>, cell: (n) => `${formatBytes(n.memUsedBytes)} / ${formatBytes(n.memTotalBytes)}` },
              { key: 'disk', header: <><HardDrive size={13} aria-hidden /> Disk</>, cell: (n) => `${formatBytes(n.diskUsedBytes)} / ${formatBytes(n.diskTotalBytes)}` },
            ]}
          />
        </div>
      )}
      <AddConnectionDialog api={api} />
    </section>
  );
}

import { Cpu, HardDrive, MemoryStick, Plug, PlugZap, Router, Server } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { DataTable } from '../../components/data-table';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { ProgressBar } from '../../components/progress-bar';
import { ScreenHeader } from '../../components/screen-header';
import { SelectField } from '../../components/select-field';
import { Skeleton } from '../../components/skeleton';
import { Badge, type Tone } from '../../components/status-badge';
import { SCREEN_INFO } from '../../shell/screen-catalogue';
import { AddConnectionDialog } from '../connections/add-connection-dialog';
import { ConnectionsList } from '../connections/connections-list';
import { useConnectionsStore } from '../connections/connections-store';
import { formatBytes } from '../system/system-screen';
import { historyKey, useInfrastructureStore, type ClusterNode } from './infrastructure-store';
import { AppliancePanel, type ApplianceTarget } from './appliance-panel';
import { NodeSparkline } from './node-sparkline';
import './infrastructure.css';

const HEALTH_TONE: Record<string, Tone> = { healthy: 'good', online: 'good', degraded: 'warn', down: 'bad', offline: 'bad', unknown: 'neutral' };

interface NodeRow extends ClusterNode {
  connectionId: string;
  connectionName: string;
}

/**
 * The Proxmox connections, every node of their clusters (live from `cluster.changed`: status, CPU, memory and
 * container storage with what is free, and a small chart) and the network appliance. A first run (no
 * connection) leads to adding one.
 */
export function InfrastructureScreen({ api }: { api: DesktopApi }) {
  const { loaded, connections, loadError } = useConnectionsStore();
  const { clusters, clusterErrors, history, appliance } = useInfrastructureStore();
  const targets = useMemo(() => Object.values(clusters).flatMap((c) => c.nodes.map((n) => ({ connectionId: c.connectionId, node: n.node }))), [clusters]);
  const openAdd = () => useConnectionsStore.getState().openDialog({ mode: 'add' });
  const rows: NodeRow[] = connections.flatMap((c) => (clusters[c.id]?.nodes ?? []).map((n) => ({ ...n, connectionId: c.id, connectionName: c.name })));
  return (
    <section className="screen" data-testid="infrastructure-screen">
      <ScreenHeader title={SCREEN_INFO.infrastructure.title} subtitle={SCREEN_INFO.infrastructure.subtitle} />
      {loadError && <ErrorNotice error={loadError} testId="connections-load-error" />}
      {!loaded ? (
        !loadError && <Skeleton size="lg" />
      ) : connections.length === 0 ? (
        <EmptyState
          icon={<Plug size={22} />}
          title="No Proxmox connection yet"
          testId="infrastructure-not-connected"
          actions={
            <Button variant="primary" icon={<PlugZap size={15} aria-hidden />} onClick={openAdd} data-testid="add-first-connection">
              Add a Proxmox connection
            </Button>
          }
        >
          Add your Proxmox host with an API token or a user and password and the SSH login, confirm its certificate fingerprint and SSH host key, and test the connection.
        </EmptyState>
      ) : (
        <div className="stack">
          <ConnectionsList api={api} />
          {connections.map((c) => clusterErrors[c.id] && <ErrorNotice key={c.id} error={clusterErrors[c.id]} testId="cluster-error" />)}
          <DataTable<NodeRow>
            caption="Nodes"
            testId="nodes-table"
            rows={rows}
            rowKey={(n) => historyKey(n.connectionId, n.node)}
            columns={[
              { key: 'node', header: <><Server size={13} aria-hidden /> Node</>, cell: (n) => (connections.length > 1 ? `${n.node} (${n.connectionName})` : n.node) },
              { key: 'status', header: 'Status', cell: (n) => <Badge tone={HEALTH_TONE[n.status]} label={n.status} testId="node-status" /> },
              {
                key: 'cpu',
                header: <><Cpu size={13} aria-hidden /> CPU</>,
                cell: (n) => (
                  <div className="node-metric">
                    <ProgressBar value={n.cpu * 100} label={`${n.node} CPU`} />
                    <span className="muted">
                      {Math.round(n.cpu * 100)} % of {n.maxcpu} cores · {n.freeCpu.toFixed(1)} free
                    </span>
                  </div>
                ),
              },
              {
                key: 'mem',
                header: <><MemoryStick size={13} aria-hidden /> Memory</>,
                cell: (n) => (
                  <div className="node-metric">
                    <ProgressBar value={n.maxmemBytes ? (n.memBytes / n.maxmemBytes) * 100 : 0} label={`${n.node} memory`} />
                    <span className="muted">
                      {formatBytes(n.memBytes)} of {formatBytes(n.maxmemBytes)} · {formatBytes(n.freeMemBytes)} free
                    </span>
                  </div>
                ),
              },
              {
                key: 'disk',
                header: <><HardDrive size={13} aria-hidden /> Container storage</>,
                cell: (n) => {
                  const st = n.storages.filter((s) => s.content.includes('rootdir'));
                  return st.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <ul className="node-storages">
                      {st.map((s) => (
                        <li key={s.storage}>
                          <span className="mono">{s.storage}</span> {formatBytes(s.freeBytes)} free of {formatBytes(s.totalBytes)}
                        </li>
                      ))}
                    </ul>
                  );
                },
              },
              { key: 'chart', header: 'Recent use', cell: (n) => <NodeSparkline samples={history[historyKey(n.connectionId, n.node)] ?? []} label={`${n.node} recent use`} /> },
            ]}
          />
          {appliance?.fallback && (
            <Banner tone="warn" role="alert" title="Fallback mode" testId="appliance-fallback">
              The network appliance is not usable, so apps are reached directly. Repair it to restore DNS names and the reverse proxy.
            </Banner>
          )}
          <Card title="Network appliance" icon={<Router size={15} aria-hidden />} testId="appliance-card">
            {appliance && (
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
            )}
            {targets.length > 0 ? (
              <ApplianceCardBody api={api} targets={targets} />
            ) : (
              !appliance && <p className="muted">No Proxmox node yet: each node&apos;s appliance shows here once a connection answers.</p>
            )}
          </Card>
        </div>
      )}
      <AddConnectionDialog api={api} />
    </section>
  );
}

/** The appliance of one node at a time (a select when the clusters have several). */
function ApplianceCardBody({ api, targets }: { api: DesktopApi; targets: readonly ApplianceTarget[] }) {
  const [picked, setPicked] = useState(0);
  const target = targets[Math.min(picked, targets.length - 1)];
  return (
    <div className="stack">
      {targets.length > 1 && (
        <SelectField label="Node" options={targets.map((t, i) => ({ value: String(i), label: t.node }))} value={String(targets.indexOf(target))} onValueChange={(v) => setPicked(Number(v))} data-testid="appliance-node" />
      )}
      <AppliancePanel key={`${target.connectionId}/${target.node}`} api={api} target={target} />
    </div>
  );
}

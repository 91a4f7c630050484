import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../src-shared/contract/channels';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { Result } from '../../../src-shared/contract/result';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { OperationDetails } from '../operations/operation-details';
import { useOperationsStore } from '../operations/operations-store';

type Status = ChannelOutput<'appliance.status'>;
type Shown =
  | { kind: 'logs'; value: ChannelOutput<'appliance.logs'> }
  | { kind: 'nat'; value: ChannelOutput<'appliance.natTest'> }
  | { kind: 'proxy'; value: ChannelOutput<'proxy.status'> };

/** One node's appliance target: `connectionId` as `cluster.get` named it, and the node. */
export interface ApplianceTarget {
  connectionId: string;
  node: string;
}

function StatusView({ s }: { s: Status }) {
  return (
    <dl data-testid="appliance-status" data-mode={s.mode}>
      <div className="field">
        <dt>Mode</dt>
        <dd>{s.mode === 'appliance' ? 'appliance (isolated LAN, DNS names, reverse proxy)' : `fallback${s.reason ? `: ${s.reason}` : ''}`}</dd>
      </div>
      <div className="field">
        <dt>Container · bridge</dt>
        <dd className="mono">
          {s.vmid} ({s.container}) · {s.bridge.name} {s.bridge.present ? (s.bridge.active ? 'active' : 'inactive') : 'missing'}
        </dd>
      </div>
      <div className="field">
        <dt>Addresses</dt>
        <dd className="mono">
          WAN {s.wanAddress ?? '—'} · LAN {s.lanAddress}
        </dd>
      </div>
      <div className="field">
        <dt>Services</dt>
        <dd>
          dnsmasq {s.services.dnsmasq}, Caddy {s.services.caddy}, iptables {s.services.iptables}
        </dd>
      </div>
      {s.lastProvisionError && (
        <div className="field">
          <dt>Last provisioning</dt>
          <dd>
            {s.lastProvisionError.code}: {s.lastProvisionError.message}
          </dd>
        </div>
      )}
    </dl>
  );
}

/**
 * A node's network appliance: `appliance.status` when shown, then Provision (`appliance.provision`, its operation
 * followed live through `operations.progress`), Restart services (`appliance.restartServices`), dnsmasq/Caddy logs
 * (`appliance.logs`), NAT test (`appliance.natTest`) and the proxy routes (`proxy.status`). Main's refusals show
 * with their code and advice.
 */
export function AppliancePanel({ api, target }: { api: DesktopApi; target: ApplianceTarget }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const op = useOperationsStore((s) => (operationId ? s.byId[operationId] : undefined));
  const input = { connectionId: target.connectionId, node: target.node };

  async function call<T>(what: string, run: () => Promise<Result<T>>, done: (value: T) => void) {
    setBusy(what);
    const r = await run();
    setBusy(null);
    setError(r.ok ? null : r.error);
    if (r.ok) done(r.value);
  }
  const refresh = () => call('status', () => api.appliance.status(input), setStatus);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- refresh() sets state once main has answered
    void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per target
  }, [target.connectionId, target.node]);
  // a finished provisioning changes what the appliance is: read it again
  const finished = op && op.state !== 'running' ? op.id : null;
  useEffect(() => {
    // refresh() sets state only once main has answered (an external system), never synchronously here
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (finished) void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per finished operation
  }, [finished]);

  const actions: Array<{ key: string; label: string; run(): Promise<void> }> = [
    { key: 'refresh', label: 'Check again', run: refresh },
    { key: 'provision', label: 'Provision', run: () => call('provision', () => api.appliance.provision(input), (v) => setOperationId(v.operationId)) },
    { key: 'restart', label: 'Restart services', run: () => call('restart', () => api.appliance.restartServices(input), setStatus) },
    { key: 'logs-dnsmasq', label: 'dnsmasq log', run: () => call('logs', () => api.appliance.logs({ ...input, service: 'dnsmasq' }), (value) => setShown({ kind: 'logs', value })) },
    { key: 'logs-caddy', label: 'Caddy log', run: () => call('logs', () => api.appliance.logs({ ...input, service: 'caddy' }), (value) => setShown({ kind: 'logs', value })) },
    { key: 'nat', label: 'NAT test', run: () => call('nat', () => api.appliance.natTest(input), (value) => setShown({ kind: 'nat', value })) },
    { key: 'proxy', label: 'Proxy routes', run: () => call('proxy', () => api.proxy.status(input), (value) => setShown({ kind: 'proxy', value })) },
  ];
  return (
    <div className="stack" data-testid="appliance-panel" data-node={target.node} aria-busy={busy !== null}>
      {error && <ErrorNotice error={error} testId="appliance-error" />}
      {status ? <StatusView s={status} /> : !error && <p className="muted">Reading the appliance on {target.node}…</p>}
      <div className="form-actions">
        {actions.map((a) => (
          <Button key={a.key} size="sm" disabled={busy !== null} onClick={() => void a.run()} data-testid={`appliance-${a.key}`}>
            {a.label}
          </Button>
        ))}
      </div>
      {operationId && (op ? <OperationDetails api={api} op={op} /> : <p className="muted">Provisioning started ({operationId})…</p>)}
      {shown?.kind === 'logs' && (
        <pre className="mono log-view" data-testid="appliance-logs" aria-label={`${shown.value.service} log (${shown.value.file})`}>
          {shown.value.lines.join('\n') || '(empty)'}
        </pre>
      )}
      {shown?.kind === 'nat' && (
        <p data-testid="appliance-nat" data-ok={shown.value.ok}>
          {shown.value.ok ? `NAT works: container ${shown.value.vmid} reached ${shown.value.url} via ${shown.value.gateway}` : `NAT test failed: ${shown.value.message}`}
        </p>
      )}
      {shown?.kind === 'proxy' && (
        <ul data-testid="appliance-proxy">
          <li>Caddy {shown.value.caddy}</li>
          {shown.value.routes.map((r) => (
            <li key={r.hostname} className="mono">
              {r.hostname} :{r.publicPort}/{r.internalPort} → {r.upstream} {r.upstreamAnswers ? 'answers' : 'does not answer'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

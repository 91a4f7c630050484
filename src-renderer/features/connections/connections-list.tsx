import { Pencil, PlugZap, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { Connection } from '../../../src-shared/contract/connection-schemas';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Badge, type Tone } from '../../components/status-badge';
import { useInfrastructureStore } from '../infrastructure/infrastructure-store';
import { ConnectionTestResults } from './connection-test-results';
import { mismatchOf, useConnectionsStore } from './connections-store';
import { RepinPanel } from './repin-panel';

const HEALTH_TONE: Record<string, Tone> = { ok: 'good', unreachable: 'bad', 'auth-failed': 'bad', error: 'bad', unknown: 'neutral' };

/** The saved Proxmox connections: health, pinned fingerprints, and test / edit / re-pin / remove. */
export function ConnectionsList({ api }: { api: DesktopApi }) {
  const connections = useConnectionsStore((s) => s.connections);
  const [removing, setRemoving] = useState<Connection | null>(null);
  const [removeError, setRemoveError] = useState<IpcError | null>(null);
  return (
    <Card title="Proxmox connections" icon={<PlugZap size={15} aria-hidden />} testId="connections-card">
      <div className="stack">
        {connections.map((c) => (
          <ConnectionItem key={c.id} api={api} connection={c} onRemove={() => setRemoving(c)} />
        ))}
        {removeError && <ErrorNotice error={removeError} testId="remove-connection-error" />}
        <div>
          <Button icon={<Plus size={15} aria-hidden />} onClick={() => useConnectionsStore.getState().openDialog({ mode: 'add' })} data-testid="add-connection">
            Add a connection
          </Button>
        </div>
      </div>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${removing?.name ?? 'connection'}?`}
        description="Proximity forgets this host, its saved secrets and pinned fingerprints. Containers on it keep running; add the connection again to manage them."
        confirmLabel="Remove"
        tone="danger"
        testId="remove-connection-dialog"
        onConfirm={async () => {
          const r = await api.connections.remove({ id: removing!.id });
          setRemoveError(r.ok ? null : r.error);
        }}
      />
    </Card>
  );
}

function ConnectionItem({ api, connection: c, onRemove }: { api: DesktopApi; connection: Connection; onRemove(): void }) {
  const report = useConnectionsStore((s) => s.reports[c.id]);
  const testing = useConnectionsStore((s) => !!s.testing[c.id]);
  const testError = useConnectionsStore((s) => s.testErrors[c.id]);
  const health = useInfrastructureStore((s) => s.clusters[c.id]?.health);
  const mismatch = mismatchOf(report);
  return (
    <article className="connection-item" data-testid="connection-item" data-connection-id={c.id} aria-label={c.name}>
      <header className="connection-item-head">
        <h3>{c.name}</h3>
        <span className="mono muted">
          {c.host}:{c.port}
        </span>
        <Badge tone={HEALTH_TONE[health?.status ?? 'unknown']} label={health?.status ?? 'unknown'} testId="connection-health" />
        <span className="connection-actions">
          <Button size="sm" icon={<PlugZap size={14} aria-hidden />} busy={testing} onClick={() => void useConnectionsStore.getState().test(api, c.id)} data-testid="connection-item-test">
            Test connection
          </Button>
          <Button size="sm" icon={<Pencil size={14} aria-hidden />} onClick={() => useConnectionsStore.getState().openDialog({ mode: 'edit', id: c.id })} data-testid="connection-item-edit">
            Edit
          </Button>
          <Button size="sm" variant="ghost" icon={<Trash2 size={14} aria-hidden />} onClick={onRemove} data-testid="connection-item-remove">
            Remove
          </Button>
        </span>
      </header>
      {health?.error && <p className="muted">{health.error.message}</p>}
      <dl className="connection-pins">
        <div className="field">
          <dt>TLS (SHA-256)</dt>
          <dd className="mono">{c.tlsFingerprint ?? '—'}</dd>
        </div>
        <div className="field">
          <dt>SSH host key</dt>
          <dd className="mono">{c.ssh?.hostKeyFingerprint ?? '—'}</dd>
        </div>
      </dl>
      {testError && <ErrorNotice error={testError} testId="connection-item-test-error" />}
      {(report || testing) && <ConnectionTestResults report={report} testId="connection-item-results" />}
      {mismatch && <RepinPanel api={api} connection={c} kind={mismatch} />}
    </article>
  );
}

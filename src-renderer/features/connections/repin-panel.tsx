import { ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import type { Connection, ConnectionProbeResult } from '../../../src-shared/contract/connection-schemas';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { useConnectionsStore } from './connections-store';

/**
 * After a test failed with TLS_FINGERPRINT_MISMATCH or SSH_HOST_KEY_MISMATCH: explains what changed (the pinned
 * fingerprint and the one the host presents now, read by `connections.probe`) and re-pins only when the operator
 * confirms (`connections.repin`, audited by main), then tests again.
 */
export function RepinPanel({ api, connection, kind }: { api: DesktopApi; connection: Connection; kind: 'tls' | 'ssh' }) {
  const [probe, setProbe] = useState<ConnectionProbeResult | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const pinned = kind === 'tls' ? connection.tlsFingerprint : (connection.ssh?.hostKeyFingerprint ?? null);
  const now = kind === 'tls' ? probe?.tls.fingerprint : probe?.ssh?.fingerprint;
  const what = kind === 'tls' ? 'TLS certificate' : 'SSH host key';

  const look = async () => {
    setBusy(true);
    const r = await api.connections.probe({ host: connection.host, port: connection.port, ...(connection.ssh && { ssh: { host: connection.ssh.host, port: connection.ssh.port } }) });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setProbe(r.value);
    setError(null);
  };
  const repin = async () => {
    if (!now) return;
    setBusy(true);
    const r = await api.connections.repin({ id: connection.id, kind, fingerprint: now });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setProbe(null);
    void useConnectionsStore.getState().test(api, connection.id);
  };

  return (
    <Banner tone="warn" role="status" title={`The ${what} changed`} testId="repin-panel" data-kind={kind}>
      <p>
        {kind === 'tls'
          ? 'The Proxmox host presents a different certificate than the one you confirmed. This is expected after renewing or replacing the certificate (e.g. ACME, pvecm updatecerts); otherwise someone may be intercepting the connection.'
          : 'The node presents a different SSH host key than the one you confirmed. This is expected after reinstalling the node or regenerating its keys; otherwise someone may be impersonating it.'}{' '}
        Proximity refuses to talk to it until you confirm the new {kind === 'tls' ? 'fingerprint' : 'key'}.
      </p>
      <dl>
        <div className="field">
          <dt>Confirmed before</dt>
          <dd className="mono">{pinned ?? '—'}</dd>
        </div>
        {now && (
          <div className="field">
            <dt>Presented now</dt>
            <dd className="mono" data-testid="repin-new">
              {now}
            </dd>
          </div>
        )}
      </dl>
      {error && <ErrorNotice error={error} testId="repin-error" />}
      {!now ? (
        <Button icon={<ShieldAlert size={15} aria-hidden />} busy={busy} onClick={() => void look()} data-testid="repin-look">
          Show the new {kind === 'tls' ? 'fingerprint' : 'key'}
        </Button>
      ) : (
        <Button variant="danger" busy={busy} onClick={() => void repin()} data-testid="repin-confirm">
          It matches the node: trust the new {kind === 'tls' ? 'certificate' : 'key'}
        </Button>
      )}
    </Banner>
  );
}

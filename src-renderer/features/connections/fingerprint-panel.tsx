import type { ConnectionProbeResult } from '../../../src-shared/contract/connection-schemas';

/**
 * What `connections.probe` saw, for the operator to compare with the node before anything is pinned: the
 * certificate's SHA-256 fingerprint (with the cluster CA when it could be read) and the SSH host key's.
 */
export function FingerprintPanel({ probe, confirmed, onConfirmedChange }: { probe: ConnectionProbeResult; confirmed: boolean; onConfirmedChange(confirmed: boolean): void }) {
  const ca = probe.tls.clusterCa;
  return (
    <div className="card fingerprints" data-testid="connection-fingerprints">
      <dl>
        <div className="field">
          <dt>TLS certificate (SHA-256)</dt>
          <dd className="mono" data-testid="tls-fingerprint">
            {probe.tls.fingerprint}
          </dd>
        </div>
        {(ca || probe.tls.clusterCaError) && (
          <div className="field">
            <dt>Cluster CA (SHA-256)</dt>
            {ca ? (
              <dd className="mono" data-testid="cluster-ca">
                {ca.fingerprint} {ca.signsLeaf ? '(issued this certificate)' : '(did NOT issue this certificate)'}
              </dd>
            ) : (
              <dd className="muted" data-testid="cluster-ca">
                Not read: {probe.tls.clusterCaError}
              </dd>
            )}
          </div>
        )}
        <div className="field">
          <dt>SSH host key{probe.ssh ? ` (${probe.ssh.algorithm})` : ''}</dt>
          <dd className="mono" data-testid="ssh-fingerprint">
            {probe.ssh?.fingerprint ?? '—'}
          </dd>
        </div>
      </dl>
      <label className="checkbox">
        <input type="checkbox" checked={confirmed} disabled={!probe.ssh} onChange={(e) => onConfirmedChange(e.target.checked)} data-testid="connection-confirm" />
        <span>
          These match what the node shows: Node › System › Certificates in the Proxmox web UI (or <code>pvenode cert info</code>) and{' '}
          <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the node.
        </span>
      </label>
    </div>
  );
}

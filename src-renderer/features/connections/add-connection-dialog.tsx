import { PlugZap } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Tabs } from '../../components/tabs';
import { TextField } from '../../components/text-field';
import { EMPTY_CONNECTION, validateConnection, type AuthMode, type ConnectionDraft } from './connection-form';
import { ConnectionTestResults } from './connection-test-results';
import { canTestConnections, testPassed, useConnectionsStore } from './connections-store';
import './connections.css';

/**
 * First run: add a Proxmox connection. Host, an API token or user/realm/password, and the SSH login; "Test
 * connection" checks each part and shows the certificate fingerprint and SSH host key for the operator to confirm
 * before anything is saved.
 */
export function AddConnectionDialog({ api }: { api: DesktopApi }) {
  const { dialogOpen, setDialogOpen, testing, result, error, test, clearResult } = useConnectionsStore();
  const [draft, setDraft] = useState<ConnectionDraft>(EMPTY_CONNECTION);
  const [shown, setShown] = useState<Partial<Record<keyof ConnectionDraft, true>>>({});
  const [confirmed, setConfirmed] = useState(false);
  const errors = useMemo(() => validateConnection(draft), [draft]);
  const wired = canTestConnections(api);

  const field = (key: keyof ConnectionDraft, label: string, extra: { type?: string; hint?: string; placeholder?: string; autoComplete?: string } = {}) => (
    <TextField
      label={label}
      value={draft[key]}
      error={shown[key] ? errors[key] : null}
      onChange={(e) => {
        setDraft({ ...draft, [key]: e.target.value });
        setConfirmed(false);
        clearResult(); // a result belongs to the values it tested
      }}
      onBlur={() => setShown((s) => ({ ...s, [key]: true }))}
      data-testid={`connection-${key}`}
      spellCheck={false}
      {...extra}
    />
  );
  const authFields = (mode: AuthMode) =>
    mode === 'token' ? (
      <div className="form-grid">
        {field('tokenId', 'API token ID', { placeholder: 'root@pam!proximity' })}
        {field('tokenSecret', 'Token secret', { type: 'password', autoComplete: 'off', placeholder: 'xxxxxxxx-xxxx-…' })}
      </div>
    ) : (
      <div className="form-grid form-grid-3">
        {field('username', 'User')}
        {field('realm', 'Realm', { hint: 'pam or pve' })}
        {field('password', 'Password', { type: 'password', autoComplete: 'off' })}
      </div>
    );
  const valid = Object.keys(errors).length === 0;

  return (
    <Dialog
      open={dialogOpen}
      onOpenChange={setDialogOpen}
      size="wide"
      title="Add a Proxmox connection"
      description="Proximity talks to the Proxmox API over HTTPS and to the node over SSH (for pct)."
      testId="add-connection-dialog"
      footer={
        <>
          <Button onClick={() => setDialogOpen(false)}>Cancel</Button>
          <Button
            icon={<PlugZap size={15} aria-hidden />}
            busy={testing}
            disabled={!valid || !wired}
            title={wired ? undefined : 'Arrives with the Proxmox layer (not connected yet)'}
            onClick={() => (setShown(Object.fromEntries(Object.keys(draft).map((k) => [k, true]))), valid && void test(api, draft))}
            data-testid="connection-test"
          >
            Test connection
          </Button>
          <Button variant="primary" disabled={!testPassed(result) || !confirmed} data-testid="connection-save">
            Save connection
          </Button>
        </>
      }
    >
      {!wired && (
        <Banner tone="info" role="note" testId="connection-not-wired">
          Not connected yet: testing and saving connections arrive with the Proxmox layer. You can fill in the form; it is checked as you type.
        </Banner>
      )}
      <div className="stack">
        <div className="form-grid form-grid-host">
          {field('host', 'Proxmox host', { placeholder: 'pve.example.lan or 192.168.1.10' })}
          {field('port', 'API port')}
        </div>
        <Tabs
          label="How Proximity signs in"
          value={draft.authMode}
          onValueChange={(v) => setDraft({ ...draft, authMode: v as AuthMode })}
          items={[
            { value: 'token', label: 'API token (recommended)', content: authFields('token') },
            { value: 'password', label: 'User and password', content: authFields('password') },
          ]}
        />
        <div className="form-grid">
          {field('sshUser', 'SSH user', { hint: 'Runs pct on the node; key-based login is set up on save.' })}
          {field('sshPort', 'SSH port')}
        </div>
        {error && <ErrorNotice error={error} testId="connection-error" />}
        <ConnectionTestResults result={result} />
        {result && (result.fingerprint || result.sshHostKey) && (
          <div className="card fingerprints" data-testid="connection-fingerprints">
            <dl>
              <div className="field">
                <dt>TLS certificate (SHA-256)</dt>
                <dd className="mono">{result.fingerprint ?? '—'}</dd>
              </div>
              <div className="field">
                <dt>SSH host key</dt>
                <dd className="mono">{result.sshHostKey ?? '—'}</dd>
              </div>
            </dl>
            <label className="checkbox">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="connection-confirm" />
              These match what the node shows (<code>pvenode cert info</code>, <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>).
            </label>
          </div>
        )}
      </div>
    </Dialog>
  );
}

import { Fingerprint, PlugZap, Save } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { Connection, ConnectionProbeResult } from '../../../src-shared/contract/connection-schemas';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Tabs } from '../../components/tabs';
import { TextAreaField } from '../../components/text-area-field';
import { TextField } from '../../components/text-field';
import { EMPTY_CONNECTION, draftOf, toAddInput, toProbeInput, toUpdateInput, validateConnection, type AuthMode, type ConnectionDraft, type SshAuthMode } from './connection-form';
import { ConnectionTestResults } from './connection-test-results';
import { FingerprintPanel } from './fingerprint-panel';
import { useConnectionsStore } from './connections-store';
import './connections.css';

/**
 * Add or edit a Proxmox connection. Adding: host, an API token or user/realm/password, the SSH login (key or
 * password); "Check fingerprints" (`connections.probe`) shows the certificate and SSH host key for the operator to
 * confirm; "Save" (`connections.add`) pins exactly those, then "Test connection" runs and shows every part.
 * Editing: the same form, secrets left empty are kept (`connections.update`); fingerprints change only by re-pin.
 */
export function AddConnectionDialog({ api }: { api: DesktopApi }) {
  const dialog = useConnectionsStore((s) => s.dialog);
  const editing = useConnectionsStore((s) => (s.dialog?.mode === 'edit' ? s.connections.find((c) => c.id === (s.dialog as { id: string }).id) : undefined));
  const close = () => useConnectionsStore.getState().openDialog(null);
  // A fresh form per opening (key): nothing typed for one connection leaks into the next.
  const key = dialog ? (dialog.mode === 'edit' ? `edit-${dialog.id}` : 'add') : 'closed';
  return (
    <Dialog
      open={dialog !== null}
      onOpenChange={(open) => !open && close()}
      size="wide"
      title={editing ? `Edit ${editing.name}` : 'Add a Proxmox connection'}
      description="Proximity talks to the Proxmox API over HTTPS and to the node over SSH (for pct)."
      testId="add-connection-dialog"
    >
      {dialog && <ConnectionForm key={key} api={api} editing={editing} onClose={close} />}
    </Dialog>
  );
}

function ConnectionForm({ api, editing, onClose }: { api: DesktopApi; editing: Connection | undefined; onClose(): void }) {
  const [draft, setDraft] = useState<ConnectionDraft>(() => (editing ? draftOf(editing) : EMPTY_CONNECTION));
  const [shown, setShown] = useState<Partial<Record<keyof ConnectionDraft, true>>>({});
  const [probe, setProbe] = useState<ConnectionProbeResult | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState<'probe' | 'save' | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [savedId, setSavedId] = useState<string | null>(null);
  const report = useConnectionsStore((s) => (savedId ? s.reports[savedId] : undefined));
  const testing = useConnectionsStore((s) => (savedId ? !!s.testing[savedId] : false));
  const testError = useConnectionsStore((s) => (savedId ? s.testErrors[savedId] : undefined));
  const errors = useMemo(() => validateConnection(draft, !!editing), [draft, editing]);
  const valid = Object.keys(errors).length === 0;
  const locked = savedId !== null;

  const change = (patch: Partial<ConnectionDraft>) => {
    setDraft({ ...draft, ...patch });
    setProbe(null); // fingerprints belong to the host they were read from
    setConfirmed(false);
    setError(null);
  };
  const showAll = () => setShown(Object.fromEntries(Object.keys(draft).map((k) => [k, true])));
  const field = (k: keyof ConnectionDraft, label: string, extra: { type?: string; hint?: string; placeholder?: string; autoComplete?: string } = {}) => (
    <TextField
      label={label}
      value={draft[k]}
      error={shown[k] ? errors[k] : null}
      onChange={(e) => change({ [k]: e.target.value })}
      onBlur={() => setShown((s) => ({ ...s, [k]: true }))}
      data-testid={`connection-${k}`}
      spellCheck={false}
      disabled={locked}
      {...extra}
    />
  );
  const keptHint = editing ? 'Leave empty to keep the saved one.' : undefined;

  const runProbe = async () => {
    showAll();
    if (!valid) return;
    setBusy('probe');
    setError(null);
    const r = await api.connections.probe(toProbeInput(draft));
    setBusy(null);
    if (r.ok) setProbe(r.value);
    else setError(r.error);
  };
  const save = async () => {
    showAll();
    if (!valid) return;
    setBusy('save');
    setError(null);
    const r = editing ? await api.connections.update(toUpdateInput(editing.id, draft)) : await api.connections.add(toAddInput(draft, { tls: probe!.tls.fingerprint, ssh: probe!.ssh!.fingerprint }));
    setBusy(null);
    if (!r.ok) return setError(r.error);
    setSavedId(r.value.id);
    void useConnectionsStore.getState().test(api, r.value.id);
  };
  const canSave = valid && (editing ? true : !!probe?.ssh && confirmed);

  return (
    <>
      <div className="stack">
        {!locked && (
          <>
        <div className="form-grid">{field('name', 'Name', { placeholder: 'Home lab' })}</div>
        <div className="form-grid form-grid-host">
          {field('host', 'Proxmox host', { placeholder: 'pve.example.lan or 192.168.1.10' })}
          {field('port', 'API port')}
        </div>
        <Tabs
          label="How Proximity signs in to the API"
          value={draft.authMode}
          onValueChange={(v) => !locked && change({ authMode: v as AuthMode })}
          items={[
            {
              value: 'token',
              label: 'API token (recommended)',
              content: (
                <div className="form-grid">
                  {field('tokenId', 'API token ID', { placeholder: 'root@pam!proximity' })}
                  {field('tokenSecret', 'Token secret', { type: 'password', autoComplete: 'off', placeholder: 'xxxxxxxx-xxxx-…', hint: keptHint })}
                </div>
              ),
            },
            {
              value: 'password',
              label: 'User and password',
              content: (
                <div className="form-grid form-grid-3">
                  {field('username', 'User')}
                  {field('realm', 'Realm', { hint: 'pam or pve' })}
                  {field('password', 'Password', { type: 'password', autoComplete: 'off', hint: keptHint })}
                </div>
              ),
            },
          ]}
        />
        <div className="form-grid form-grid-3">
          {field('sshHost', 'SSH host', { placeholder: draft.host || 'same as the API host', hint: 'Empty: the API host.' })}
          {field('sshPort', 'SSH port')}
          {field('sshUser', 'SSH user', { hint: 'root: pct needs it.' })}
        </div>
        <Tabs
          label="How Proximity logs in over SSH"
          value={draft.sshAuthMode}
          onValueChange={(v) => !locked && change({ sshAuthMode: v as SshAuthMode })}
          items={[
            {
              value: 'key',
              label: 'SSH key',
              content: (
                <TextAreaField
                  label="Private key"
                  value={draft.sshKey}
                  error={shown.sshKey ? errors.sshKey : null}
                  hint={keptHint ?? 'An unencrypted OpenSSH or PEM private key; stored encrypted.'}
                  onChange={(e) => change({ sshKey: e.target.value })}
                  onBlur={() => setShown((s) => ({ ...s, sshKey: true }))}
                  spellCheck={false}
                  disabled={locked}
                  data-testid="connection-sshKey"
                />
              ),
            },
            { value: 'password', label: 'SSH password', content: <div className="form-grid">{field('sshPassword', 'SSH password', { type: 'password', autoComplete: 'off', hint: keptHint })}</div> },
          ]}
        />
          </>
        )}
        {error && <ErrorNotice error={error} testId="connection-error" />}
        {probe && !locked && <FingerprintPanel probe={probe} confirmed={confirmed} onConfirmedChange={setConfirmed} />}
        {locked && (
          <>
            <p role="status" data-testid="connection-saved">
              Saved “{draft.name.trim()}”. Testing every part of the connection:
            </p>
            {testError && <ErrorNotice error={testError} testId="connection-test-error" />}
            <ConnectionTestResults report={report} />
          </>
        )}
      </div>
      <div className="dialog-footer">
        {locked ? (
          <>
            <Button icon={<PlugZap size={15} aria-hidden />} busy={testing} onClick={() => void useConnectionsStore.getState().test(api, savedId)} data-testid="connection-test">
              Test connection
            </Button>
            <Button variant="primary" onClick={onClose} data-testid="connection-done">
              Done
            </Button>
          </>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            {!editing && (
              <Button icon={<Fingerprint size={15} aria-hidden />} busy={busy === 'probe'} disabled={busy !== null} onClick={() => void runProbe()} data-testid="connection-probe">
                Check fingerprints
              </Button>
            )}
            <Button
              variant="primary"
              icon={<Save size={15} aria-hidden />}
              busy={busy === 'save'}
              disabled={!canSave || busy !== null}
              title={canSave || editing ? undefined : 'Check the fingerprints and confirm them first'}
              onClick={() => void save()}
              data-testid="connection-save"
            >
              {editing ? 'Save changes' : 'Save connection'}
            </Button>
          </>
        )}
      </div>
    </>
  );
}

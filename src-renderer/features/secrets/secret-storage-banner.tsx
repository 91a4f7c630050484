import { useEffect } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { needsSecretWarning, useSecretStorageStore } from './secret-storage-store';

/**
 * Stays on top of every screen while saved secrets are not encrypted (Linux without a keyring falls back to
 * `basic_text`), until the operator acknowledges it. No close button: only the explicit acknowledgement.
 */
export function SecretStorageBanner({ api }: { api: DesktopApi }) {
  const state = useSecretStorageStore();
  const { load } = state;
  useEffect(() => {
    void load(api);
  }, [api, load]);

  if (!needsSecretWarning(state) || !state.status) return null;
  return (
    <div className="warning-banner" role="alert" data-testid="secret-storage-warning" data-backend={state.status.backend}>
      <div>
        <strong>Saved secrets are not encrypted</strong> <span className="mono">({state.status.backend})</span>
        <p>{state.status.warning ?? 'Secrets cannot be protected by a keyring on this system.'}</p>
      </div>
      <button type="button" onClick={state.acknowledge} data-testid="secret-storage-acknowledge">
        I understand
      </button>
    </div>
  );
}

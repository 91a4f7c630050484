import { useEffect } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
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
    <Banner
      tone="warn"
      role="alert"
      testId="secret-storage-warning"
      data-backend={state.status.backend}
      title={
        <>
          Saved secrets are not encrypted <span className="mono">({state.status.backend})</span>
        </>
      }
      actions={
        <Button onClick={state.acknowledge} data-testid="secret-storage-acknowledge">
          I understand
        </Button>
      }
    >
      <p>{state.status.warning ?? 'Secrets cannot be protected by a keyring on this system.'}</p>
    </Banner>
  );
}

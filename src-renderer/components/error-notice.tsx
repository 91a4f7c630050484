import type { ReactNode } from 'react';
import type { IpcError } from '../../src-shared/contract/errors';
import { adviceFor } from '../lib/error-advice';
import { Banner } from './banner';

/** An error from main: its stable code, the message main wrote, and what to do next. */
export function ErrorNotice({ error, testId, actions }: { error: IpcError; testId: string; actions?: ReactNode }) {
  return (
    <Banner tone="bad" role="alert" testId={testId} data-error-code={error.code} actions={actions} title={<span className="error-code">{error.code}</span>}>
      <span>{error.message}</span>
      <span className="muted">{adviceFor(error.code)}</span>
    </Banner>
  );
}

import type { IpcError } from '../../../src-shared/contract/errors';

/** Shows an error by its stable code, with the message main wrote for the operator. */
export function ErrorBanner({ error, testId }: { error: IpcError; testId: string }) {
  return (
    <div className="error-banner" role="alert" data-testid={testId} data-error-code={error.code}>
      <span className="error-code">{error.code}</span>
      <span>{error.message}</span>
    </div>
  );
}

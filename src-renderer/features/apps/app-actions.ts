import type { ChannelOutput } from '../../../src-shared/contract/channels';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';

/**
 * App lifecycle actions over the contract's channels:
 *   `apps.start`, `apps.stop`, `apps.restart`   input `{ id }`
 *   `apps.delete`                               input `{ id, confirmDataLoss }` (main refuses with
 *                                               CONFIRMATION_REQUIRED unless the operator confirmed the data loss)
 * Each answers `{ operationId, appId }` at once; the operation reports itself through `operations.progress`.
 */
export type AppAction = 'start' | 'stop' | 'restart' | 'delete';

export const APP_ACTION_LABELS: Record<AppAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', delete: 'Delete' };

export type StartedOperation = ChannelOutput<'apps.start'>;
export type AppActionResult = { ok: true; value: StartedOperation } | { ok: false; error: IpcError };

/**
 * Runs an action on one app. `delete` is sent with `confirmDataLoss: true`: call it only after the operator
 * confirmed that the container and its data are destroyed (apps-screen's confirm dialog). Refusals come back
 * as main's IpcError (NOT_SUPPORTED without a connected cluster, NOT_FOUND, CONFLICT, ...).
 */
export async function runAppAction(api: DesktopApi, action: AppAction, appId: string): Promise<AppActionResult> {
  if (action === 'delete') return api.apps.delete({ id: appId, confirmDataLoss: true });
  return api.apps[action]({ id: appId });
}

import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { OperationSummary } from '../../../src-shared/contract/schemas';

/**
 * App lifecycle actions. Their channels are not in the contract yet; they are expected as
 *   `apps.start`, `apps.stop`, `apps.restart`, `apps.delete`   input `{ id: string }`, output `OperationSummary`
 * (each starts an operation, reported by `operations.progress`). Until main has them the UI shows the actions
 * disabled with the reason below; once the contract gains a channel, the DesktopApi has the method and this
 * file calls it without further change.
 */
export type AppAction = 'start' | 'stop' | 'restart' | 'delete';

export const APP_ACTION_LABELS: Record<AppAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', delete: 'Delete' };

export type AppActionResult = { ok: true; value: OperationSummary } | { ok: false; error: IpcError };
type AppActionMethod = (input: { id: string }) => Promise<AppActionResult>;

export const NOT_WIRED_REASON = 'Arrives with the Proxmox layer (not connected yet)';

function methodFor(api: DesktopApi, action: AppAction): AppActionMethod | null {
  const method = (api.apps as unknown as Partial<Record<AppAction, AppActionMethod>>)[action];
  return typeof method === 'function' ? method : null;
}

/** True when main offers this action (its channel exists). */
export function canRunAppAction(api: DesktopApi, action: AppAction): boolean {
  return methodFor(api, action) !== null;
}

/** Runs an action; NOT_SUPPORTED (with a plain reason) while its channel does not exist yet. */
export async function runAppAction(api: DesktopApi, action: AppAction, appId: string): Promise<AppActionResult> {
  const method = methodFor(api, action);
  if (!method) return { ok: false, error: { code: 'NOT_SUPPORTED', message: `${APP_ACTION_LABELS[action]}: ${NOT_WIRED_REASON}.` } };
  return method({ id: appId });
}

import { useCallback } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { AppSummary } from '../../../src-shared/contract/schemas';
import { showToast } from '../../components/toast-store';
import { adviceFor } from '../../lib/error-advice';
import { APP_ACTION_LABELS, runAppAction, type AppAction } from './app-actions';

/**
 * Runs an app action and reports a refusal as a toast (its message and what to do next). Success needs no
 * toast here: the operation it starts reports itself through `operations.progress`.
 */
export function useAppActionRunner(api: DesktopApi) {
  return useCallback(
    async (action: AppAction, app: Pick<AppSummary, 'id' | 'name'>) => {
      const result = await runAppAction(api, action, app.id);
      if (!result.ok) {
        showToast({ tone: 'bad', title: `${APP_ACTION_LABELS[action]} ${app.name}: ${result.error.code}`, description: `${result.error.message} ${adviceFor(result.error.code)}` });
      }
      return result.ok;
    },
    [api],
  );
}

/** Opens a URL in the operator's browser (`links.openExternal`); a refusal (e.g. in the web preview) is a toast. */
export function useOpenInBrowser(api: DesktopApi) {
  return useCallback(
    async (url: string) => {
      const result = await api.links.openExternal({ url });
      if (!result.ok) showToast({ tone: 'bad', title: `Could not open ${url}`, description: `${result.error.message} ${adviceFor(result.error.code)}` });
      return result.ok;
    },
    [api],
  );
}

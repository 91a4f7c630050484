import type { AppSummary } from '../../../src-shared/contract/schemas';
import { showToast } from '../../components/toast-store';
import { useNavigationStore } from '../navigation/navigation-store';
import { useAppDetailStore } from './app-detail-dialog';

/** An in-app toast for an app that went down (failed, or its container is missing), with a way to its details. */
export function toastAppWentDown(app: AppSummary): void {
  showToast({
    id: `app-down-${app.id}`,
    tone: 'bad',
    title: `${app.name} is ${app.status === 'missing' ? 'missing' : 'down'}`,
    description: app.status === 'missing' ? 'Its container is gone from Proxmox.' : `It stopped running on ${app.node ?? 'its node'}.`,
    action: {
      label: 'Show app',
      run: () => {
        useNavigationStore.getState().show('apps');
        useAppDetailStore.getState().open(app.id);
      },
    },
  });
}

import type { Operation } from '../../../src-shared/contract/schemas';
import { showToast } from '../../components/toast-store';
import { adviceFor } from '../../lib/error-advice';
import { useOperationsStore } from './operations-store';

/** A toast for an operation the operator watched finish: success, failure with advice, or cancelled. */
export function toastOperationResult(op: Operation): void {
  const details = { label: 'Show details', run: () => useOperationsStore.getState().openDrawer(op.id) };
  if (op.state === 'succeeded') {
    showToast({ id: op.id, tone: 'good', title: `${op.title}: done` });
  } else if (op.state === 'failed') {
    const step = op.error?.step ? ` (step “${op.error.step}”)` : '';
    const description = op.error ? `${op.error.message}${step} ${adviceFor(op.error.code)}` : undefined;
    showToast({ id: op.id, tone: 'bad', title: `${op.title}: failed`, description, action: details });
  } else if (op.state === 'cancelled') {
    showToast({ id: op.id, tone: 'info', title: `${op.title}: cancelled`, action: details });
  } else if (op.state === 'interrupted') {
    showToast({ id: op.id, tone: 'bad', title: `${op.title}: interrupted`, description: adviceFor('OPERATION_INTERRUPTED'), action: details });
  }
}

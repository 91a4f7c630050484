import { ArrowLeft, CircleStop } from 'lucide-react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { Operation } from '../../../src-shared/contract/schemas';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { ProgressBar } from '../../components/progress-bar';
import { OperationLog } from './operation-log';
import { OperationStateBadge } from './operation-state-badge';
import { useOperationsStore } from './operations-store';

/** One operation: state, current step, progress, its failure with advice, the streaming log, and cancel. */
export function OperationDetails({ api, op }: { api: DesktopApi; op: Operation }) {
  const select = useOperationsStore((s) => s.select);
  const cancel = useOperationsStore((s) => s.cancel);
  const cancelError = useOperationsStore((s) => s.cancelError);
  const steps = [...new Set(op.log.map((l) => l.step).filter((s): s is string => s !== null))];
  if (op.step && !steps.includes(op.step)) steps.push(op.step);
  return (
    <div className="stack" data-testid="operation-details" data-operation-id={op.id}>
      <div className="operation-head">
        <Button variant="ghost" size="sm" icon={<ArrowLeft size={14} aria-hidden />} onClick={() => select(null)}>
          All operations
        </Button>
        {op.state === 'running' && (
          <Button variant="danger" size="sm" icon={<CircleStop size={14} aria-hidden />} onClick={() => void cancel(api, op.id)} data-testid="operation-cancel">
            Cancel
          </Button>
        )}
      </div>
      <div>
        <h3 className="operation-title">{op.title}</h3>
        <div className="operation-meta">
          <OperationStateBadge state={op.state} />
          <span className="muted mono">{op.kind}</span>
          {op.target && <span className="muted mono">{op.target}</span>}
        </div>
      </div>
      <ProgressBar value={op.state === 'succeeded' ? 100 : op.percent} label={`${op.title} progress`} tone={op.state === 'failed' ? 'bad' : op.state === 'succeeded' ? 'good' : 'accent'} testId="operation-progress" />
      {steps.length > 0 && (
        <ol className="step-list" aria-label="Steps">
          {steps.map((s) => {
            const state = s === op.step ? (op.state === 'running' ? 'current' : op.state === 'succeeded' ? 'done' : 'stopped') : 'done';
            return (
              <li key={s} data-step-state={state}>
                {s}
              </li>
            );
          })}
        </ol>
      )}
      {op.error && <ErrorNotice error={{ code: op.error.code, message: op.error.step ? `${op.error.message} (step “${op.error.step}”)` : op.error.message }} testId="operation-error" />}
      {cancelError && <ErrorNotice error={cancelError} testId="operation-cancel-error" />}
      <OperationLog op={op} />
    </div>
  );
}

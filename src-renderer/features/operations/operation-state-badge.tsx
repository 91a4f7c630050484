import type { OperationState } from '../../../src-shared/contract/schemas';
import { Badge, type Tone } from '../../components/status-badge';

const LOOK: Record<OperationState, { label: string; tone: Tone }> = {
  running: { label: 'Running', tone: 'info' },
  succeeded: { label: 'Done', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  interrupted: { label: 'Interrupted', tone: 'warn' },
};

/** An operation's state as a coloured badge with a word. */
export function OperationStateBadge({ state }: { state: OperationState }) {
  const look = LOOK[state];
  return (
    <span data-testid="operation-state" data-state={state}>
      <Badge tone={look.tone} label={look.label} busy={state === 'running'} />
    </span>
  );
}

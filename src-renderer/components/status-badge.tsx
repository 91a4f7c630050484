import type { AppStatus } from '../../src-shared/contract/schemas';

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

/** How each app status reads to the operator: words and colour. Every contract status is listed (compiler-checked). */
export const APP_STATUS_LOOK: Record<AppStatus, { label: string; tone: Tone; busy?: boolean }> = {
  pending: { label: 'Pending', tone: 'neutral' },
  deploying: { label: 'Deploying', tone: 'info', busy: true },
  running: { label: 'Running', tone: 'good' },
  stopped: { label: 'Stopped', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'bad' },
  missing: { label: 'Missing', tone: 'warn' },
  removing: { label: 'Removing', tone: 'info', busy: true },
  unknown: { label: 'Unknown', tone: 'neutral' },
};

/** A coloured pill with a dot and a word (never colour alone). */
export function Badge({ tone, label, busy, testId }: { tone: Tone; label: string; busy?: boolean; testId?: string }) {
  return (
    <span className="badge" data-tone={tone} data-pulse={busy ? 'true' : undefined} data-testid={testId}>
      <span className="badge-dot" aria-hidden />
      {label}
    </span>
  );
}

/** An app's status as the contract reports it. */
export function StatusBadge({ status, testId }: { status: AppStatus; testId?: string }) {
  const look = APP_STATUS_LOOK[status] ?? APP_STATUS_LOOK.unknown;
  return (
    <span data-status={status} data-testid={testId}>
      <Badge tone={look.tone} label={look.label} busy={look.busy} />
    </span>
  );
}

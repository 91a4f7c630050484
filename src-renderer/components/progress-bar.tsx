import { Progress } from 'radix-ui';

export interface ProgressBarProps {
  /** 0-100, or null while it cannot be estimated (an indeterminate bar). */
  value: number | null;
  label: string;
  tone?: 'accent' | 'good' | 'bad';
  testId?: string;
}

/** A progressbar with its accessible name and value (Radix Progress). Width is a transform: no inline width. */
export function ProgressBar({ value, label, tone = 'accent', testId }: ProgressBarProps) {
  const clamped = value === null ? null : Math.max(0, Math.min(100, value));
  return (
    <Progress.Root className="progress" value={clamped} max={100} aria-label={label} data-tone={tone} data-testid={testId}>
      <Progress.Indicator className="progress-indicator" style={clamped === null ? undefined : { transform: `scaleX(${clamped / 100})` }} />
    </Progress.Root>
  );
}

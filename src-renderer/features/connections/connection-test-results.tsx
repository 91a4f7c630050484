import { CheckCircle2, CircleDashed, MinusCircle, XCircle } from 'lucide-react';
import type { ConnectionTestReport } from '../../../src-shared/contract/connection-schemas';
import { TEST_STEP_LABELS, TEST_STEPS } from './connections-store';

const ICONS = { ok: CheckCircle2, failed: XCircle, skipped: MinusCircle, pending: CircleDashed } as const;
const SPOKEN = { ok: 'passed', failed: 'failed', skipped: 'skipped', pending: 'not tested' } as const;

/**
 * One line per part of "Test connection" (`connections.test`): reachable, TLS, auth, privileges (the missing ones
 * named), SSH, pct. Parts not run yet are dashed.
 */
export function ConnectionTestResults({ report, testId = 'connection-test-results' }: { report: ConnectionTestReport | null | undefined; testId?: string }) {
  return (
    <ul className="test-results" aria-label="Connection test" data-testid={testId}>
      {TEST_STEPS.map((step) => {
        const found = report?.steps.find((s) => s.step === step);
        const state = found?.status ?? 'pending';
        const Icon = ICONS[state];
        return (
          <li key={step} data-part={step} data-state={state}>
            <Icon size={16} aria-hidden />
            <span className="test-part">{TEST_STEP_LABELS[step]}</span>
            <span className="muted">
              {found?.message ?? 'Not tested yet'}
              {found?.missing && found.missing.length > 0 && (
                <span className="test-missing" data-testid="privileges-missing">
                  {' '}
                  Missing: {found.missing.join(', ')}.
                </span>
              )}
            </span>
            <span className="visually-hidden">{SPOKEN[state]}</span>
          </li>
        );
      })}
    </ul>
  );
}

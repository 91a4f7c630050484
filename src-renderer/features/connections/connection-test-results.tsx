import { CheckCircle2, CircleDashed, XCircle } from 'lucide-react';
import { TEST_PART_LABELS, TEST_PARTS, type ConnectionTestResult } from './connections-store';

/** One line per part of "test connection": reachable, TLS, auth, privileges, SSH, pct; not-yet-run parts are dashed. */
export function ConnectionTestResults({ result }: { result: ConnectionTestResult | null }) {
  return (
    <ul className="test-results" aria-label="Connection test" data-testid="connection-test-results">
      {TEST_PARTS.map((part) => {
        const found = result?.parts.find((p) => p.part === part);
        const state = !found ? 'pending' : found.ok ? 'ok' : 'failed';
        const Icon = state === 'ok' ? CheckCircle2 : state === 'failed' ? XCircle : CircleDashed;
        return (
          <li key={part} data-part={part} data-state={state}>
            <Icon size={16} aria-hidden />
            <span className="test-part">{TEST_PART_LABELS[part]}</span>
            <span className="muted">{found?.message ?? (state === 'pending' ? 'Not tested yet' : '')}</span>
            <span className="visually-hidden">{state === 'ok' ? 'passed' : state === 'failed' ? 'failed' : 'not tested'}</span>
          </li>
        );
      })}
    </ul>
  );
}

import { Banner } from '../../components/banner';
import { isDisconnected, useConnectionStore } from './connection-store';

/**
 * The one place that says the connection to main is down (and why), instead of every section repeating
 * BRIDGE_UNAVAILABLE. It disappears by itself when the connection comes back.
 */
export function ConnectionBanner() {
  const status = useConnectionStore((s) => s.status);
  if (!isDisconnected(status)) return null;
  return (
    <Banner
      tone="bad"
      role="alert"
      testId="connection-banner"
      data-state={status.state}
      data-error-code="BRIDGE_UNAVAILABLE"
      title={<span className="error-code">{status.state === 'refused' ? 'NOT AUTHORIZED' : 'DISCONNECTED'}</span>}
    >
      <span>{status.message}</span>
    </Banner>
  );
}

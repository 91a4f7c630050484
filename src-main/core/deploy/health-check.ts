// The app's health, checked over HTTP through the address the operator will use (the public port with an
// appliance, the container itself in fallback mode).
import { ProximityError } from '../errors';
import { waitFor } from './wait-for';

/** The health URL: `base` (an http origin) + the manifest's health path (already validated by the catalog). */
export function healthUrl(base: string, path: string): string {
  const url = new URL(path, base);
  if (url.origin !== new URL(base).origin) throw new ProximityError('VALIDATION', `Health path ${JSON.stringify(path)} leaves the app's origin.`);
  return url.toString();
}

/**
 * One probe: GET `url` with a `timeoutMs` deadline (default 3000 ms), redirects not followed. Healthy when the
 * status is 2xx or 3xx; returns the status, or a text saying why not.
 */
export async function probeHealth(url: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<{ healthy: boolean; status: number | null; reason: string }> {
  const signals = [AbortSignal.timeout(opts.timeoutMs ?? 3000), ...(opts.signal ? [opts.signal] : [])];
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.any(signals) });
    await res.body?.cancel();
    const healthy = res.status >= 200 && res.status < 400;
    return { healthy, status: res.status, reason: `HTTP ${res.status}` };
  } catch (e) {
    return { healthy: false, status: null, reason: (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message };
  }
}

/**
 * Waits until `url` answers healthy. Throws HEALTH_CHECK_FAILED past `timeoutMs` naming the last answer,
 * CANCELLED when `signal` aborts.
 */
export async function waitHealthy(url: string, opts: { timeoutMs: number; signal?: AbortSignal; onProbe?: (reason: string) => void }): Promise<number> {
  let lastReason = 'no answer';
  return waitFor(
    async () => {
      const r = await probeHealth(url, { signal: opts.signal });
      if (r.reason !== lastReason) opts.onProbe?.(`health ${url}: ${r.reason}`);
      lastReason = r.reason;
      return r.healthy ? (r.status ?? 200) : undefined;
    },
    { what: `${url} to answer healthy (last: ${lastReason})`, timeoutMs: opts.timeoutMs, code: 'HEALTH_CHECK_FAILED', signal: opts.signal, maxPollMs: 500 },
  ).catch((e: unknown) => {
    if (e instanceof ProximityError && e.code === 'HEALTH_CHECK_FAILED') {
      throw new ProximityError('HEALTH_CHECK_FAILED', `${url} did not answer healthy within ${Math.round(opts.timeoutMs / 1000)} s (last: ${lastReason}).`, { details: { url, last: lastReason } });
    }
    throw e;
  });
}

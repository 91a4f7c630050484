// Every wait of a deployment is for a condition with a deadline: polled from 50 ms, backing off to `maxPollMs`.
import { ProximityError, type ErrorCode } from '../errors';
import { delay } from '../pve/retry';

export interface WaitOptions {
  /** what is awaited, for the error ("a DHCP lease on eth0 of CT 123") */
  what: string;
  /** ms until giving up */
  timeoutMs: number;
  /** error code past the deadline (default PVE_TIMEOUT) */
  code?: ErrorCode;
  signal?: AbortSignal;
  /** first poll interval, ms (default 50) */
  minPollMs?: number;
  /** longest poll interval, ms (default 1000) */
  maxPollMs?: number;
}

/**
 * Calls `probe` until it returns a value other than undefined; a probe that throws counts as "not yet" and its
 * last error is kept for the timeout message. Throws `code` (default PVE_TIMEOUT) past the deadline with the
 * last reason, CANCELLED when `signal` aborts.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, o: WaitOptions): Promise<T> {
  const deadline = performance.now() + o.timeoutMs;
  let last: unknown;
  for (let interval = o.minPollMs ?? 50; ; interval = Math.min(o.maxPollMs ?? 1000, interval * 2)) {
    if (o.signal?.aborted) throw o.signal.reason instanceof ProximityError ? o.signal.reason : new ProximityError('CANCELLED', `Waiting for ${o.what} was cancelled.`);
    try {
      const v = await probe();
      if (v !== undefined) return v;
      last = undefined;
    } catch (e) {
      if (o.signal?.aborted) throw e;
      last = e;
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new ProximityError(o.code ?? 'PVE_TIMEOUT', `Gave up waiting for ${o.what} after ${Math.round(o.timeoutMs / 1000)} s${why}.`, { cause: last });
    }
    await delay(Math.min(interval, left), o.signal);
  }
}

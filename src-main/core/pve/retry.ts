// Backoff for retrying a PVE call, after bpg/terraform-provider-proxmox proxmox/retry (NewTaskOperation:
// 3 attempts, exponential backoff from 1 s). Ours: a few more attempts from a shorter base, each delay drawn
// between half and all of its exponential step ("equal jitter") so clients that failed together do not retry in
// lockstep, and every wait honours the caller's AbortSignal.
import { ProximityError } from '../errors';

/** How often and how long to retry. */
export interface RetryPolicy {
  /** total tries including the first (default 6) */
  attempts: number;
  /** first delay in ms (default 300) */
  baseDelayMs: number;
  /** cap of one delay in ms (default 5000) */
  maxDelayMs: number;
}

/** The dispatch retry default: 6 attempts, 300 ms doubling to at most 5 s (about 10 s in all). */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 300, maxDelayMs: 5000 };

/** Delay before retry number `retry` (1-based): min(max, base * 2^(retry-1)) scaled into [50 %, 100 %]. */
export function backoffDelayMs(retry: number, policy: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** The error for work stopped by an AbortSignal (code CANCELLED), keeping the signal's reason as the cause. */
export function cancelledError(signal: AbortSignal | undefined, what = 'The Proxmox VE call'): ProximityError {
  const reason = signal?.reason;
  if (reason instanceof ProximityError) return reason;
  return new ProximityError('CANCELLED', `${what} was cancelled.`, { cause: reason });
}

/** Resolves after `ms`, or rejects with CANCELLED as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelledError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, `isRetryable(error)` is false, or the attempts are used up (then the last error is
 * thrown). `onRetry` sees each retried error and the delay chosen for it.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  isRetryable: (e: unknown) => boolean,
  opts: { policy?: Partial<RetryPolicy>; signal?: AbortSignal; onRetry?: (e: unknown, attempt: number, delayMs: number) => void } = {},
): Promise<T> {
  const policy = { ...DEFAULT_RETRY, ...opts.policy };
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= policy.attempts || !isRetryable(e) || opts.signal?.aborted) throw e;
      const wait = backoffDelayMs(attempt, policy);
      opts.onRetry?.(e, attempt, wait);
      await delay(wait, opts.signal);
    }
  }
}

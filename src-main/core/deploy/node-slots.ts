// PVE serialises work per guest and per storage and has few workers: Proximity caps how many creates, clones
// and destroys it runs at once on one node, while the rest of each deployment overlaps freely.
import { cancelledError } from '../pve/retry';

/** A counting semaphore per node (FIFO). `limit` is read on every acquire, so a changed setting applies at once. */
export class NodeSlots {
  private readonly busy = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly limit: () => number = () => 2) {}

  /** Runs `work` once a slot of `node` is free. Rejects with CANCELLED when `signal` aborts while queued. */
  async run<T>(node: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(node, signal);
    try {
      return await work();
    } finally {
      this.release(node);
    }
  }

  /** Slots in use on `node` now (tests, status). */
  inUse(node: string): number {
    return this.busy.get(node) ?? 0;
  }

  private acquire(node: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError(signal, 'Waiting for a free create/destroy slot'));
    if ((this.busy.get(node) ?? 0) < Math.max(1, this.limit())) {
      this.busy.set(node, (this.busy.get(node) ?? 0) + 1);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const queue = this.waiting.get(node) ?? [];
      this.waiting.set(node, queue);
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.busy.set(node, (this.busy.get(node) ?? 0) + 1);
        resolve();
      };
      const onAbort = () => {
        const i = queue.indexOf(grant);
        if (i >= 0) queue.splice(i, 1);
        reject(cancelledError(signal, 'Waiting for a free create/destroy slot'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
  }

  private release(node: string): void {
    this.busy.set(node, Math.max(0, (this.busy.get(node) ?? 1) - 1));
    const next = this.waiting.get(node)?.shift();
    if (next) next();
  }
}

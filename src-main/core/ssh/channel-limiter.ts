// A FIFO semaphore for SSH session channels on one connection. OpenSSH refuses channels beyond `MaxSessions`
// (default 10, sshd_config(5)) with "open failed: administratively prohibited", so we queue before that.

/** Counts of channels in use and commands waiting for one. */
export interface ChannelUsage {
  active: number;
  queued: number;
  limit: number;
}

interface Waiter {
  grant: () => void;
}

export class ChannelLimiter {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  /** `limit`: channels open at once (an integer >= 1). */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`channel limit must be an integer >= 1, got ${limit}`);
  }

  usage(): ChannelUsage {
    return { active: this.active, queued: this.waiters.length, limit: this.limit };
  }

  /**
   * Waits (FIFO) for a free channel slot and returns its release function (idempotent). Rejects with
   * `signal.reason` if the signal aborts while waiting; the slot is then never taken.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      // hand the slot straight to the next waiter: `active` stays the same
      if (next) next.grant();
      else this.active--;
    };
  }
}

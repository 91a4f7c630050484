/**
 * Runs async work one at a time per key (a node): a config change waits for the one before it, so two applies
 * on one appliance never interleave their write/validate/swap/reload commands. A failed task does not block
 * the next one.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier task of `key` has settled; resolves or rejects with its result. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(work, work);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

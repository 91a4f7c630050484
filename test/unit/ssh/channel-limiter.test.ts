import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../../../src-main/core/ssh/channel-limiter';

describe('ChannelLimiter', () => {
  it('grants up to the limit, then queues FIFO; release hands the slot to the next waiter', async () => {
    const l = new ChannelLimiter(2);
    const r1 = await l.acquire();
    const r2 = await l.acquire();
    const order: number[] = [];
    const w3 = l.acquire().then((r) => (order.push(3), r));
    const w4 = l.acquire().then((r) => (order.push(4), r));
    expect(l.usage()).toEqual({ active: 2, queued: 2, limit: 2 });
    r1();
    r1(); // idempotent: a second call frees nothing more
    const r3 = await w3;
    expect(l.usage()).toEqual({ active: 2, queued: 1, limit: 2 });
    r2();
    const r4 = await w4;
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    expect(l.usage()).toEqual({ active: 0, queued: 0, limit: 2 });
  });

  it('an aborted waiter leaves the queue without taking a slot', async () => {
    const l = new ChannelLimiter(1);
    const r1 = await l.acquire();
    const ac = new AbortController();
    const waiting = l.acquire(ac.signal);
    const after = l.acquire();
    ac.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(l.usage()).toEqual({ active: 1, queued: 1, limit: 1 });
    r1();
    (await after)();
    expect(l.usage()).toEqual({ active: 0, queued: 0, limit: 1 });
    await expect(l.acquire(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('refuses a limit below 1', () => {
    expect(() => new ChannelLimiter(0)).toThrow(RangeError);
    expect(() => new ChannelLimiter(1.5)).toThrow(RangeError);
  });
});

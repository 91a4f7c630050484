import { describe, expect, it, vi } from 'vitest';
import { createDesktopApi } from '../../../src-shared/contract/desktop-api';
import { createEventFanout } from '../../../src-shared/transport/event-fanout';
import type { DesktopTransport } from '../../../src-shared/contract/desktop-api';
import { CHANNEL_NAMES, EVENT_NAMES, eventMethodName } from '../../../src-shared/contract/names';

function recordingTransport() {
  const calls: Array<[string, unknown]> = [];
  const subscriptions: string[] = [];
  const transport: DesktopTransport = {
    invoke: async (channel, input) => {
      calls.push([channel, input]);
      return { ok: true, value: channel };
    },
    subscribe: (event) => {
      subscriptions.push(event);
      return () => {};
    },
  };
  return { transport, calls, subscriptions };
}

describe('createDesktopApi', () => {
  it('builds one method per channel, forwarding to that channel only', async () => {
    const { transport, calls } = recordingTransport();
    const api = createDesktopApi(transport) as unknown as Record<string, Record<string, (i?: unknown) => Promise<unknown>>>;
    for (const channel of CHANNEL_NAMES) {
      const [ns, method] = channel.split('.');
      expect(typeof api[ns][method], channel).toBe('function');
      await expect(api[ns][method]({ marker: channel })).resolves.toEqual({ ok: true, value: channel });
    }
    expect(calls).toEqual(CHANNEL_NAMES.map((c) => [c, { marker: c }]));
  });

  it('sends {} when a method is called without input', async () => {
    const { transport, calls } = recordingTransport();
    await createDesktopApi(transport).system.getInfo();
    expect(calls).toEqual([['system.getInfo', {}]]);
  });

  it('exposes no generic invoke and one on<Event> per event', () => {
    const { transport, subscriptions } = recordingTransport();
    const api = createDesktopApi(transport) as unknown as Record<string, unknown>;
    expect(api.invoke).toBeUndefined();
    for (const event of EVENT_NAMES) (api[eventMethodName(event)] as (l: () => void) => unknown)(() => {});
    expect(subscriptions).toEqual([...EVENT_NAMES]);
    const methodKeys = Object.keys(api).filter((k) => typeof api[k] === 'function');
    expect(methodKeys.sort()).toEqual(EVENT_NAMES.map(eventMethodName).sort());
  });
});

describe('createEventFanout', () => {
  it('subscribes upstream once and replays the latest payload to late listeners', () => {
    let deliver: (p: unknown) => void = () => {};
    const upstream = vi.fn((_e: string, d: (p: unknown) => void) => {
      deliver = d;
    });
    const subscribe = createEventFanout(upstream);
    const first: unknown[] = [];
    const unsubscribe = subscribe('apps.changed', (p) => first.push(p));
    deliver(['a']);
    const late: unknown[] = [];
    subscribe('apps.changed', (p) => late.push(p));
    expect(late).toEqual([['a']]);
    unsubscribe();
    deliver(['b']);
    expect(first).toEqual([['a']]);
    expect(late).toEqual([['a'], ['b']]);
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering to other listeners when one throws', () => {
    let deliver: (p: unknown) => void = () => {};
    const subscribe = createEventFanout((_e, d) => {
      deliver = d;
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const got: unknown[] = [];
    subscribe('database.statusChanged', () => {
      throw new Error('boom');
    });
    subscribe('database.statusChanged', (p) => got.push(p));
    deliver({ x: 1 });
    expect(got).toEqual([{ x: 1 }]);
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });
});

import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src-main/ipc/event-hub';
import type { EventSink } from '../../../src-main/ipc/event-hub';

const status = { path: '/d/proximity.sqlite', schemaVersion: 3, latestVersion: 3, journalMode: 'wal', foreignKeys: true, integrity: 'ok', sizeBytes: 4096 };

function sink(id: string) {
  const got: Array<[string, unknown]> = [];
  const s: EventSink = { id, send: (e, p) => void got.push([e, p]) };
  return { s, got };
}

describe('EventHub', () => {
  it('replays the latest snapshot to a late subscriber, then delivers new ones', () => {
    const hub = new EventHub();
    hub.publish('database.statusChanged', { ...status, sizeBytes: 1 });
    hub.publish('database.statusChanged', status);
    const late = sink('late');
    hub.subscribe(late.s, 'database.statusChanged');
    expect(late.got).toEqual([['database.statusChanged', status]]);
    hub.publish('database.statusChanged', { ...status, sizeBytes: 8192 });
    expect(late.got.at(-1)).toEqual(['database.statusChanged', { ...status, sizeBytes: 8192 }]);
    expect(hub.latest('database.statusChanged')?.sizeBytes).toBe(8192);
  });

  it('forgets a latest payload so it is no longer replayed, and keeps delivering new ones', () => {
    const hub = new EventHub();
    hub.publish('ui.navigate', { view: 'deploy' });
    hub.forget('ui.navigate');
    const late = sink('late');
    hub.subscribe(late.s, 'ui.navigate');
    expect(late.got).toEqual([]);
    hub.publish('ui.navigate', { view: 'canvas', appId: 'a1' });
    expect(late.got).toEqual([['ui.navigate', { view: 'canvas', appId: 'a1' }]]);
  });

  it('delivers nothing before the first publish and only the events subscribed to', () => {
    const hub = new EventHub();
    const a = sink('a');
    hub.subscribe(a.s, 'apps.changed');
    expect(a.got).toEqual([]);
    hub.publish('database.statusChanged', status);
    expect(a.got).toEqual([]);
    hub.publish('apps.changed', []);
    expect(a.got).toEqual([['apps.changed', []]]);
  });

  it('rejects a payload that breaks the contract and keeps the previous snapshot', () => {
    const hub = new EventHub();
    hub.publish('database.statusChanged', status);
    expect(() => hub.publish('database.statusChanged', { ...status, schemaVersion: -1 })).toThrow(/breaks the contract/);
    expect(() => hub.publish('apps.changed', [{ id: 'x' }] as never)).toThrow(/breaks the contract/);
    expect(hub.latest('database.statusChanged')).toEqual(status);
  });

  it('does not deliver twice to the same sink and drops a sink that fails', () => {
    const errors: unknown[] = [];
    const hub = new EventHub({ error: (_m, e) => void errors.push(e) });
    const a = sink('a');
    hub.subscribe(a.s, 'apps.changed');
    hub.subscribe(a.s, 'apps.changed');
    hub.publish('apps.changed', []);
    expect(a.got).toHaveLength(1);
    const broken: EventSink = {
      id: 'broken',
      send: () => {
        throw new Error('destroyed');
      },
    };
    hub.subscribe(broken, 'apps.changed');
    expect(hub.subscriberCount('apps.changed')).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('stops delivering after unsubscribe or removeSink', () => {
    const hub = new EventHub();
    const a = sink('a');
    const b = sink('b');
    const unsubscribe = hub.subscribe(a.s, 'apps.changed');
    hub.subscribe(b.s, 'apps.changed');
    unsubscribe();
    hub.removeSink('b');
    hub.publish('apps.changed', []);
    expect(a.got).toEqual([]);
    expect(b.got).toEqual([]);
  });
});

describe('keyed events (operations.progress): one snapshot per operation', () => {
  const op = (id: string, text: string[], state: 'running' | 'succeeded' = 'running') => ({
    id, kind: 'deploy', title: `Deploy ${id}`, target: null, state, step: 'create', percent: 10, error: null,
    startedAt: '2026-01-01T00:00:00.000Z', endedAt: null, logDropped: 0,
    log: text.map((t, seq) => ({ seq, at: '2026-01-01T00:00:00.000Z', step: 'create', text: t })),
  });

  it('replays every remembered operation with its backlog to a late sink, not only the last payload', () => {
    const hub = new EventHub();
    hub.publish('operations.progress', op('a', ['a1']));
    hub.publish('operations.progress', op('b', ['b1']));
    hub.publish('operations.progress', op('a', ['a1', 'a2']));
    const late = sink('late');
    hub.subscribe(late.s, 'operations.progress');
    expect(late.got.map(([, p]) => p)).toEqual([op('b', ['b1']), op('a', ['a1', 'a2'])]);
    expect(hub.latest('operations.progress', 'a')?.log).toHaveLength(2);
  });

  it('a renderer-side listener that joins late gets the same (the preload / web-bridge fan-out)', async () => {
    const { createEventFanout } = await import('../../../src-shared/transport/event-fanout');
    let deliver: (payload: unknown) => void = () => {};
    const subscribe = createEventFanout((_event, d) => void (deliver = d));
    subscribe('operations.progress', () => {});
    deliver(op('a', ['a1']));
    deliver(op('b', ['b1']));
    deliver(op('a', ['a1', 'a2']));
    const got: unknown[] = [];
    subscribe('operations.progress', (p) => got.push(p));
    expect(got).toEqual([op('b', ['b1']), op('a', ['a1', 'a2'])]);
  });
});

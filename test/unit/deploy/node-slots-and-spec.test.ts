import { describe, expect, it } from 'vitest';
import { descriptionFor, parseDescription, parseTags, tagsFor, type AppSpec } from '../../../src-main/core/deploy/app-spec';
import { NodeSlots } from '../../../src-main/core/deploy/node-slots';

describe('NodeSlots', () => {
  it('caps concurrent work per node (FIFO), other nodes overlap, and follows a changed limit', async () => {
    let limit = 2;
    const slots = new NodeSlots(() => limit);
    const releases: Array<() => void> = [];
    const order: string[] = [];
    const job = (node: string, name: string) =>
      slots.run(node, () => new Promise<void>((resolve) => {
        order.push(name);
        releases.push(resolve);
      }));
    const all = [job('a', 'a1'), job('a', 'a2'), job('a', 'a3'), job('b', 'b1')];
    await Promise.resolve();
    expect(order).toEqual(['a1', 'a2', 'b1']);
    expect(slots.inUse('a')).toBe(2);
    releases[0]!();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['a1', 'a2', 'b1', 'a3']);
    for (const r of releases) r();
    await Promise.all(all);
    expect(slots.inUse('a')).toBe(0);
    limit = 1;
    const x = new Promise<void>((r) => releases.push(r));
    const first = slots.run('a', () => x);
    const ctl = new AbortController();
    const queued = slots.run('a', () => Promise.resolve(), ctl.signal);
    ctl.abort();
    await expect(queued).rejects.toMatchObject({ code: 'CANCELLED' });
    releases.at(-1)!();
    await first;
  });
});

describe('app spec on the container', () => {
  const spec: AppSpec = { v: 1, appId: '3f2a7c1e-8f3b-4c2d-9a1e-2b3c4d5e6f70', catalogId: 'homer', hostname: 'homer', ports: { public: 30001, internal: 40001 }, containerPort: 8080, healthPath: '/', mode: 'fallback' };
  it('round-trips through tags and description; foreign tags are not Proximity apps', () => {
    const tags = tagsFor(spec);
    expect(tags).toBe('proximity;px-id-3f2a7c1e-8f3b-4c2d-9a1e-2b3c4d5e6f70;px-cat-homer;px-pub-30001;px-int-40001');
    expect(parseTags(tags.replace(/;/g, ','))).toEqual({ appId: spec.appId, catalogId: 'homer', ports: { public: 30001, internal: 40001 } });
    expect(parseTags('mine;web')).toBeNull();
    expect(parseTags('proximity;px-pub-30001')).toBeNull();
    const name = 'Home "page"\nwith $(id)';
    const d = descriptionFor(spec, name);
    expect(d.split('\n')[0]).toBe('Deployed by Proximity: Home "page" with $(id)');
    expect(parseDescription(`operator notes\n${d}`)).toEqual(spec);
    expect(parseDescription('proximity-app: {"v":2}')).toBeNull();
    expect(parseDescription(undefined)).toBeNull();
  });
});

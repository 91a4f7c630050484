import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { PortAllocator } from '../../../src-main/core/ports/port-allocator';
import { dumpDatabase, makeTempDir } from '../../unit/store/sqlite-test-files';

describe('PortAllocator', () => {
  let cleanup: () => void;
  let core: CoreContext;
  const newApp = (name: string) => core.apps.insert({ catalogId: 'nginx', name, hostname: name }).id;

  beforeEach(() => {
    const tmp = makeTempDir('proximity-ports-');
    cleanup = tmp.cleanup;
    core = openCore({ dataDir: tmp.dir, appVersion: 'test' });
  });
  afterEach(() => {
    core.close();
    cleanup();
  });

  it('hands out the lowest free pair, sequentially', () => {
    const pairs = ['a', 'b', 'c'].map((n) => core.ports.allocate(newApp(n)));
    expect(pairs.map((p) => [p.publicPort, p.internalPort])).toEqual([
      [30000, 40000],
      [30001, 40001],
      [30002, 40002],
    ]);
    expect(core.ports.list()).toEqual(pairs);
  });

  it('reuses a released port: release the middle one, the next allocation gets it', () => {
    const ids = ['a', 'b', 'c', 'd'].map(newApp);
    ids.forEach((id) => core.ports.allocate(id));
    const released = core.ports.release(ids[1], 'operator');
    expect(released).toMatchObject({ publicPort: 30001, internalPort: 40001 });
    expect(core.ports.get(ids[1])).toBeUndefined();
    expect(core.ports.allocate(newApp('e'))).toMatchObject({ publicPort: 30001, internalPort: 40001 });
    expect(core.ports.allocate(newApp('f'))).toMatchObject({ publicPort: 30004, internalPort: 40004 });
    // A hole at the very start of the range is found too.
    core.ports.release(ids[0]);
    expect(core.ports.allocate(newApp('g'))).toMatchObject({ publicPort: 30000, internalPort: 40000 });
  });

  it('picks the lowest free port of each range independently', () => {
    const ids = ['a', 'b', 'c'].map(newApp);
    ids.forEach((id) => core.ports.allocate(id));
    // Make the two ranges' holes differ: occupy 30003 / 40000-hole by hand.
    core.ports.release(ids[0]); // frees 30000 and 40000
    core.db.handle.prepare(`INSERT INTO port_assignments VALUES (?, 30000, 40005, 'now')`).run(newApp('manual'));
    expect(core.ports.allocate(newApp('d'))).toMatchObject({ publicPort: 30003, internalPort: 40000 });
  });

  it('writes an audit row for every allocation and release, in the same transaction', () => {
    const id = newApp('a');
    core.ports.allocate(id, 'operator');
    core.ports.release(id, 'operator');
    expect(core.audit.list().map(({ actor, action, target, details }) => ({ actor, action, target, details }))).toEqual([
      { actor: 'operator', action: 'ports.release', target: id, details: { publicPort: 30000, internalPort: 40000 } },
      { actor: 'operator', action: 'ports.allocate', target: id, details: { publicPort: 30000, internalPort: 40000 } },
    ]);
  });

  it('exhaustion: PORT_RANGE_EXHAUSTED with the range in details, and the database unchanged (no audit row)', () => {
    core.settings.setPortRanges({ public: { start: 30000, end: 30001 }, internal: { start: 40000, end: 40009 } });
    core.ports.allocate(newApp('a'));
    core.ports.allocate(newApp('b'));
    const c = newApp('c');
    const before = dumpDatabase(core.db.handle);
    expect(() => core.ports.allocate(c)).toThrow(
      expect.objectContaining({ code: 'PORT_RANGE_EXHAUSTED', details: { range: 'public', start: 30000, end: 30001 } }),
    );
    expect(dumpDatabase(core.db.handle)).toBe(before);

    // The internal range can run out first as well.
    core.settings.setPortRanges({ public: { start: 30000, end: 30009 }, internal: { start: 40000, end: 40001 } });
    const before2 = dumpDatabase(core.db.handle);
    expect(() => core.ports.allocate(c)).toThrow(
      expect.objectContaining({ code: 'PORT_RANGE_EXHAUSTED', details: { range: 'internal', start: 40000, end: 40001 } }),
    );
    expect(dumpDatabase(core.db.handle)).toBe(before2);
  });

  it('uses configured ranges, and a widened range continues where the old one ended', () => {
    core.settings.setPortRanges({ public: { start: 50000, end: 50000 }, internal: { start: 2000, end: 2001 } });
    expect(core.ports.allocate(newApp('a'))).toMatchObject({ publicPort: 50000, internalPort: 2000 });
    expect(() => core.ports.allocate(newApp('b'))).toThrow(expect.objectContaining({ code: 'PORT_RANGE_EXHAUSTED' }));
    core.settings.set('ports.publicRange', { start: 49990, end: 50010 });
    expect(core.ports.allocate(newApp('c'))).toMatchObject({ publicPort: 49990, internalPort: 2001 });
  });

  it('refuses a second pair for the same app (CONFLICT with the existing pair) and unknown apps (NOT_FOUND)', () => {
    const id = newApp('a');
    const pair = core.ports.allocate(id);
    const before = dumpDatabase(core.db.handle);
    expect(() => core.ports.allocate(id)).toThrow(expect.objectContaining({ code: 'CONFLICT', details: pair }));
    expect(() => core.ports.allocate('no-such-app')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => core.ports.release('no-such-app')).toThrow(expect.objectContaining({ code: 'PORT_NOT_ASSIGNED' }));
    expect(dumpDatabase(core.db.handle)).toBe(before);
  });

  it('composes with an outer transaction: creating an app and its ports commits or rolls back as one', () => {
    const h = core.db.handle;
    const create = h.transaction((name: string) => core.ports.allocate(core.apps.insert({ catalogId: 'nginx', name, hostname: name }).id));
    expect(create('first')).toMatchObject({ publicPort: 30000 });
    core.settings.set('ports.publicRange', { start: 30000, end: 30000 });
    const before = dumpDatabase(h);
    expect(() => create('second')).toThrow(expect.objectContaining({ code: 'PORT_RANGE_EXHAUSTED' }));
    expect(dumpDatabase(h)).toBe(before); // the app row went with the failed allocation
  });

  it('retries when another writer takes the chosen port, then succeeds with the next free one', () => {
    const h = core.db.handle;
    const intruder = newApp('intruder');
    let attempts = 0;
    // Simulate the race the UNIQUE constraint guards against: right before our insert, "someone" takes the port.
    const ports = new PortAllocator(h, core.audit, core.settings, {
      beforeInsert: (attempt, pair) => {
        attempts = attempt;
        if (attempt === 1) h.prepare(`INSERT INTO port_assignments VALUES (?, ?, 49999, 'x')`).run(intruder, pair.publicPort);
      },
    });
    // The intruder's row is rolled back with our failed attempt; what matters is the retry.
    expect(ports.allocate(newApp('a'))).toMatchObject({ publicPort: 30000, internalPort: 40000 });
    expect(attempts).toBe(2);

    let stubbornAttempts = 0;
    const stubborn = new PortAllocator(h, core.audit, core.settings, {
      maxAttempts: 3,
      beforeInsert: (attempt, pair) => {
        stubbornAttempts = attempt;
        h.prepare(`INSERT INTO port_assignments VALUES (?, ?, 49999, 'x')`).run(intruder, pair.publicPort);
      },
    });
    const b = newApp('b');
    const before = dumpDatabase(h);
    expect(() => stubborn.allocate(b)).toThrow(/UNIQUE constraint failed: port_assignments.public_port/);
    expect(stubbornAttempts).toBe(3); // bounded: gives up after maxAttempts
    expect(dumpDatabase(h)).toBe(before);
  });

  it('always picks the lowest free port: random allocate/release sequences agree with a simple model', () => {
    core.settings.setPortRanges({ public: { start: 30000, end: 30019 }, internal: { start: 40000, end: 40014 } });
    let seed = 42; // deterministic PRNG (mulberry32), so a failure reproduces
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const ids = core.db.handle.transaction(() => Array.from({ length: 30 }, (_, i) => newApp(`m${i}`)))();
    const held = new Map<string, { publicPort: number; internalPort: number }>();
    const lowest = (taken: number[], start: number, end: number) => {
      for (let p = start; p <= end; p++) if (!taken.includes(p)) return p;
      return undefined;
    };
    let exhausted = 0;
    for (let step = 0; step < 400; step++) {
      const id = ids[Math.floor(random() * ids.length)];
      if (held.has(id)) {
        core.ports.release(id);
        held.delete(id);
        continue;
      }
      const pub = lowest([...held.values()].map((h) => h.publicPort), 30000, 30019);
      const internal = lowest([...held.values()].map((h) => h.internalPort), 40000, 40014);
      if (pub === undefined || internal === undefined) {
        exhausted++;
        expect(() => core.ports.allocate(id)).toThrow(expect.objectContaining({ code: 'PORT_RANGE_EXHAUSTED' }));
        continue;
      }
      expect(core.ports.allocate(id)).toMatchObject({ publicPort: pub, internalPort: internal });
      held.set(id, { publicPort: pub, internalPort: internal });
    }
    expect(core.ports.list()).toHaveLength(held.size);
    console.log(`model check: ${exhausted} exhausted attempts, ${held.size} pairs held at the end`);
  });

  it('allocates 1000 pairs, all distinct and contiguous, then releases them all', () => {
    const ids = core.db.handle.transaction(() => Array.from({ length: 1000 }, (_, i) => newApp(`app${i}`)))();
    const pairs = ids.map((id) => core.ports.allocate(id));
    expect(new Set(pairs.map((p) => p.publicPort)).size).toBe(1000);
    expect(pairs[999]).toMatchObject({ publicPort: 30999, internalPort: 40999 });
    expect(() => core.ports.allocate(newApp('one-too-many'))).toThrow(expect.objectContaining({ code: 'PORT_RANGE_EXHAUSTED' }));
    ids.forEach((id) => core.ports.release(id));
    expect(core.ports.list()).toEqual([]);
    expect(core.audit.list({ limit: 1000 })).toHaveLength(1000);
  });
});

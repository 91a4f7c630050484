import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/core/audit/audit-log';
import { CoreEvents } from '../../../src-main/core/events/core-events';
import { SettingsStore } from '../../../src-main/core/settings/settings-store';
import { AppRepository } from '../../../src-main/core/apps/app-repository';
import { openDatabase, type ProximityDatabase } from '../../../src-main/core/store/database';
import { dumpDatabase, makeTempDir } from './sqlite-test-files';

describe('SettingsStore', () => {
  let cleanup: () => void;
  let db: ProximityDatabase;
  let audit: AuditLog;
  let settings: SettingsStore;
  beforeEach(() => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    db = openDatabase({ file: path.join(tmp.dir, 'proximity.sqlite') });
    audit = new AuditLog(db.handle);
    settings = new SettingsStore(db.handle, audit);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('returns the defaults until something is set', () => {
    expect(settings.all()).toEqual({
      'ports.publicRange': { start: 30000, end: 30999 },
      'ports.internalRange': { start: 40000, end: 40999 },
      'network.lan': expect.objectContaining({ bridge: 'proxlan', subnet: '10.20.0.0/24', domain: 'prox.local' }),
      'appliance.vmid': 9999,
      'appliance.healthIntervalMs': 30_000,
      'appliance.autoRestart': true,
      'deploy.maxCreatesPerNode': 2,
    });
  });

  it('refuses an appliance LAN bridge PVE would refuse (the seed\'s proximity-lan) and a VMID outside pve-vmid', () => {
    expect(() => settings.set('network.lan', { bridge: 'proximity-lan' })).toThrow(/Invalid value|proximity-lan|interface/);
    expect(() => settings.set('appliance.vmid', 99)).toThrow();
    expect(settings.set('network.lan', { bridge: 'applan', subnet: '10.30.0.0/24' })).toMatchObject({ bridge: 'applan', subnet: '10.30.0.0/24', dhcpFirstHost: 100 });
  });

  it('stores a valid value, audits the change with before and after, and reads it back', () => {
    settings.set('ports.publicRange', { start: 31000, end: 31009 }, 'operator');
    expect(settings.get('ports.publicRange')).toEqual({ start: 31000, end: 31009 });
    expect(new SettingsStore(db.handle, audit).get('ports.publicRange')).toEqual({ start: 31000, end: 31009 });
    expect(audit.list()[0]).toMatchObject({
      actor: 'operator',
      action: 'settings.set',
      target: 'ports.publicRange',
      details: { from: null, to: { start: 31000, end: 31009 } },
    });
  });

  const invalid: Array<[string, unknown]> = [
    ['non-integer', { start: 30000.5, end: 30999 }],
    ['below 1024', { start: 80, end: 30999 }],
    ['above 65535', { start: 30000, end: 70000 }],
    ['start after end', { start: 30999, end: 30000 }],
    ['a string', '30000-30999'],
    ['extra keys', { start: 30000, end: 30999, step: 2 }],
    ['missing end', { start: 30000 }],
  ];
  for (const [label, value] of invalid) {
    it(`refuses a range that is ${label} and changes nothing`, () => {
      const before = dumpDatabase(db.handle);
      expect(() => settings.set('ports.publicRange', value)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
      expect(dumpDatabase(db.handle)).toBe(before);
    });
  }

  it('refuses overlapping public and internal ranges', () => {
    expect(() => settings.set('ports.publicRange', { start: 40500, end: 41500 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/overlap/) }),
    );
    expect(() => settings.set('ports.internalRange', { start: 30999, end: 31000 })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    // Swapping both at once is fine: each is checked against the other's new value.
    settings.setPortRanges({ public: { start: 40000, end: 40999 }, internal: { start: 30000, end: 30999 } });
    expect(settings.getPortRanges()).toEqual({ public: { start: 40000, end: 40999 }, internal: { start: 30000, end: 30999 } });
  });

  it('refuses a range that would exclude a port currently assigned', () => {
    const app = new AppRepository(db.handle).insert({ catalogId: 'nginx', name: 'Web', hostname: 'web' });
    db.handle.prepare(`INSERT INTO port_assignments VALUES (?, 30500, 40500, 'now')`).run(app.id);
    const before = dumpDatabase(db.handle);
    expect(() => settings.set('ports.publicRange', { start: 30000, end: 30499 })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/30500/), details: expect.objectContaining({ kind: 'public' }) }),
    );
    expect(() => settings.set('ports.internalRange', { start: 40501, end: 40999 })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', details: expect.objectContaining({ kind: 'internal' }) }),
    );
    expect(dumpDatabase(db.handle)).toBe(before);
    settings.set('ports.publicRange', { start: 30500, end: 30500 });
    expect(settings.get('ports.publicRange')).toEqual({ start: 30500, end: 30500 });
  });

  it('refuses unknown keys', () => {
    expect(() => settings.set('ports.somethingElse' as 'ports.publicRange', { start: 1, end: 2 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: 'Unknown setting "ports.somethingElse".' }),
    );
    expect(() => settings.get('nope' as 'ports.publicRange')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it('reports a stored value that no longer validates instead of guessing', () => {
    db.handle.prepare(`INSERT INTO settings VALUES ('ports.publicRange', '{"start":"x"}', 'now')`).run();
    expect(() => settings.get('ports.publicRange')).toThrow(expect.objectContaining({ code: 'DB_ERROR' }));
  });

  it('announces which keys changed after the commit, and nothing for a refused change', () => {
    const events = new CoreEvents();
    const seen: unknown[] = [];
    events.on('settings.changed', (e) => seen.push(e));
    const announced = new SettingsStore(db.handle, audit, { events });
    announced.setPortRanges({ internal: { start: 41000, end: 41999 } });
    announced.set('ports.publicRange', { start: 31000, end: 31999 });
    expect(() => announced.setPortRanges({ public: { start: 41500, end: 42500 } })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    announced.setPortRanges({ public: { start: 50000, end: 50999 }, internal: { start: 30000, end: 30999 } });
    expect(seen).toEqual([
      { keys: ['ports.internalRange'] },
      { keys: ['ports.publicRange'] },
      { keys: ['ports.publicRange', 'ports.internalRange'] },
    ]);
  });
});

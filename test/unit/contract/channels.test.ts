import { describe, expect, it } from 'vitest';
import { channels } from '../../../src-shared/contract/channels';
import { events } from '../../../src-shared/contract/events';
import { CHANNEL_NAMES, EVENT_NAMES, eventMethodName } from '../../../src-shared/contract/names';

const validRanges = { public: { start: 30000, end: 30999 }, internal: { start: 40000, end: 40999 } };

describe('contract channel map', () => {
  it('declares exactly the channels and events listed in names.ts', () => {
    expect(Object.keys(channels).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(events).sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('rejects unknown keys on every channel input (strict objects)', () => {
    const minimalValid: Record<string, unknown> = {
      'settings.setPortRanges': validRanges,
      'links.openExternal': { url: 'https://example.org/' },
      'operations.get': { id: 'op-1' },
      'operations.cancel': { id: 'op-1' },
      'connections.probe': { host: 'pve.example.net' },
      'connections.add': {
        name: 'lab',
        host: 'fe80::1',
        auth: { kind: 'token', tokenId: 'root@pam!proximity', secret: '00000000-0000-4000-8000-000000000000' },
        tlsFingerprint: Array.from({ length: 32 }, () => 'AB').join(':'),
        ssh: { host: 'pve.example.net', auth: { kind: 'password', password: 'pw' }, hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` },
      },
      'connections.update': { id: 'c1' },
      'connections.remove': { id: 'c1' },
      'connections.test': { id: 'c1' },
      'connections.repin': { id: 'c1', kind: 'ssh', fingerprint: `SHA256:${'A'.repeat(43)}` },
      'cluster.get': { connectionId: 'c1' },
      'system.setVisible': { visible: true },
      'appliance.status': { node: 'pve' },
      'appliance.provision': { node: 'pve' },
      'appliance.restartServices': { node: 'pve' },
      'appliance.logs': { node: 'pve', service: 'dnsmasq' },
      'appliance.natTest': { node: 'pve' },
      'proxy.status': { node: 'pve' },
      'apps.deploy': { connectionId: 'c1', catalogId: 'homer', hostname: 'homer' },
      'apps.start': { id: 'a1' },
      'apps.stop': { id: 'a1' },
      'apps.restart': { id: 'a1' },
      'apps.delete': { id: 'a1' },
      'apps.get': { id: 'a1' },
      'catalog.get': { id: 'homer' },
      'commands.list': { appId: 'a1' },
      'commands.run': { appId: 'a1', commandId: 'logs' },
      'audit.export': { format: 'csv' },
      'apps.adoptable': { connectionId: 'c1' },
      'apps.adopt': { connectionId: 'c1', node: 'pve', vmid: 777, hostname: 'legacy', containerPort: 80 },
    };
    for (const name of CHANNEL_NAMES) {
      const base = minimalValid[name] ?? {};
      expect(channels[name].input.safeParse(base).success, `${name} accepts its minimal input`).toBe(true);
      expect(channels[name].input.safeParse({ ...base, sneaky: 1 }).success, `${name} rejects an unknown key`).toBe(false);
    }
  });

  it('derives one on<Event> method name per event', () => {
    expect(EVENT_NAMES.map(eventMethodName)).toEqual([
      'onAppsChanged',
      'onDatabaseStatusChanged',
      'onSettingsPortRangesChanged',
      'onOperationsProgress',
      'onUiNavigate',
      'onConnectionsChanged',
      'onClusterChanged',
      'onApplianceChanged',
    ]);
  });
});

describe('ui.navigate payload', () => {
  const parse = (v: unknown) => events['ui.navigate'].payload.safeParse(v);
  it('accepts a view, and an app id exactly for the canvas', () => {
    for (const view of ['system', 'deploy', 'infrastructure']) expect(parse({ view }).success, view).toBe(true);
    expect(parse({ view: 'canvas', appId: 'a1' }).success).toBe(true);
  });
  it.each([
    ['an unknown view', { view: 'settings' }],
    ['a canvas without an app', { view: 'canvas' }],
    ['an app id on a view that shows no app', { view: 'deploy', appId: 'a1' }],
    ['an empty app id', { view: 'canvas', appId: '' }],
    ['an unknown key', { view: 'system', extra: true }],
  ])('rejects %s', (_label, value) => {
    expect(parse(value).success).toBe(false);
  });
});

describe('settings.setPortRanges input', () => {
  const parse = (v: unknown) => channels['settings.setPortRanges'].input.safeParse(v);
  it('accepts disjoint integer ranges inside 1024-65535', () => {
    expect(parse(validRanges).success).toBe(true);
    expect(parse({ public: { start: 1024, end: 1024 }, internal: { start: 65535, end: 65535 } }).success).toBe(true);
  });
  it.each([
    ['privileged port', { ...validRanges, public: { start: 80, end: 90 } }],
    ['above 65535', { ...validRanges, internal: { start: 65000, end: 65536 } }],
    ['non-integer', { ...validRanges, public: { start: 30000.5, end: 30999 } }],
    ['start > end', { ...validRanges, public: { start: 31000, end: 30000 } }],
    ['overlapping ranges', { public: { start: 30000, end: 40500 }, internal: { start: 40000, end: 40999 } }],
    ['same range twice', { public: { start: 30000, end: 30999 }, internal: { start: 30000, end: 30999 } }],
    ['missing internal', { public: { start: 30000, end: 30999 } }],
    ['string port', { ...validRanges, public: { start: '30000', end: 30999 } }],
  ])('rejects %s', (_label, value) => {
    expect(parse(value).success).toBe(false);
  });
});

describe('audit.list input', () => {
  const parse = (v: unknown) => channels['audit.list'].input.safeParse(v);
  it('defaults the limit and bounds it to 1..500', () => {
    expect(parse({})).toMatchObject({ success: true, data: { limit: 100 } });
    expect(parse({ limit: 500, beforeId: 7 }).success).toBe(true);
    expect(parse({ limit: 0 }).success).toBe(false);
    expect(parse({ limit: 501 }).success).toBe(false);
    expect(parse({ beforeId: 0 }).success).toBe(false);
  });
});

describe('links.openExternal input', () => {
  const parse = (url: unknown) => channels['links.openExternal'].input.safeParse({ url });
  it('accepts http and https URLs', () => {
    expect(parse('https://pve.example.org:8006/').success).toBe(true);
    expect(parse('http://10.20.0.5:30001/x?y=1').success).toBe(true);
  });
  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.org/', 'app://proximity/index.html', 'https://user:pw@example.org/', 'not a url', 42])(
    'rejects %s',
    (url) => {
      expect(parse(url).success).toBe(false);
    },
  );
});

describe('app status and operation payloads are enums', () => {
  const app = { id: 'a', catalogId: 'c', name: 'n', hostname: 'h', node: null, vmid: null, ports: null };
  it('accepts the contract statuses and refuses anything else', () => {
    const parse = (status: unknown) => events['apps.changed'].payload.safeParse([{ ...app, status }]).success;
    for (const status of ['running', 'stopped', 'deploying', 'failed', 'missing']) expect(parse(status), status).toBe(true);
    for (const status of ['error', 'Running', '', 42]) expect(parse(status), String(status)).toBe(false);
  });
  it('operations.progress carries a bounded log and a state from the enum', () => {
    const op = {
      id: 'op-1', kind: 'deploy', title: 'Deploy Gitea', target: null, state: 'running', step: null, percent: null,
      error: null, startedAt: '2026-01-01T00:00:00.000Z', endedAt: null, log: [], logDropped: 0,
    };
    const parse = (v: unknown) => events['operations.progress'].payload.safeParse(v).success;
    expect(parse(op)).toBe(true);
    expect(parse({ ...op, state: 'done' })).toBe(false);
    expect(parse({ ...op, percent: 101 })).toBe(false);
    expect(parse({ ...op, log: Array.from({ length: 501 }, (_, seq) => ({ seq, at: op.startedAt, step: null, text: 'x' })) })).toBe(false);
  });
});

// Every fault kind, applied in-process and over the control endpoint.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from './emulator';
import { FaultInjector, templateChecksumMismatchMessage } from './faults';
import { login, raw, startTestEmulator } from './test-helpers';

const register = (r: any) => {
  r.on('GET', '/nodes/{node}/lxc', () => []);
  r.on('POST', '/nodes/{node}/lxc/{vmid}/status/start', ({ params, identity, tasks }: any) =>
    tasks.start({ node: params.node, type: 'vzstart', id: String(params.vmid), identity, run: () => {} }));
};

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator({ registerRoutes: register, nodes: ['pve', 'pve2'] });
});
afterAll(() => emu?.close());
afterEach(() => emu.faults.clear());

const start = () => raw(emu, 'POST', '/nodes/pve/lxc/100/status/start', { token: true });

async function control(path: string, body?: unknown, token = emu.control.token) {
  const res = await fetch(`${emu.control.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'X-Lab-Token': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

describe('faults at the HTTP layer', () => {
  it('failNextTask: the next task of that type ends with TASK ERROR, the one after is fine', async () => {
    emu.faults.failNextTask('vzstart', 'startup for container 100 failed');
    const a = (await start()).json.data;
    expect(await emu.waitTask(a)).toBe('startup for container 100 failed');
    const b = (await start()).json.data;
    expect(await emu.waitTask(b)).toBe('OK');
  });

  it('startWorkerFailed: the next task start answers 500 without a UPID', async () => {
    emu.faults.startWorkerFailed(1);
    const r = await start();
    expect(r.status).toBe(500);
    expect(r.reason).toBe('got no worker upid - start worker failed');
    expect((await start()).status).toBe(200);
  });

  it('delay: matching requests wait at least that long', async () => {
    emu.faults.delay(200, '^GET /nodes/pve/lxc$');
    const slow = await raw(emu, 'GET', '/nodes/pve/lxc', { token: true });
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(195);
    // timing upper bounds flake on a busy machine: check the non-matching path through the injector
    expect(emu.faults.delayFor('GET', '/nodes/pve2/lxc')).toBe(0);
    expect(emu.faults.delayFor('GET', '/nodes/pve/lxc')).toBe(200);
  });

  it('httpError: count-limited 5xx with the message as reason; 595/596 pseudo statuses have no body', async () => {
    emu.faults.httpError(503, 'service unavailable', { pathPattern: '/lxc$', count: 1 });
    const a = await raw(emu, 'GET', '/nodes/pve/lxc', { token: true });
    expect([a.status, a.reason, a.json?.message]).toEqual([503, 'service unavailable', 'service unavailable\n']);
    expect((await raw(emu, 'GET', '/nodes/pve/lxc', { token: true })).status).toBe(200);
    emu.faults.httpError(596, 'Connection timed out', { count: 2 });
    const b = await raw(emu, 'GET', '/nodes/pve/lxc', { token: true });
    expect([b.status, b.reason, b.text]).toEqual([596, 'Connection timed out', '']);
  });

  it('expireAllTickets: existing tickets get 401, a new login works at once', async () => {
    const t = await login(emu);
    emu.faults.expireAllTickets();
    const r = await raw(emu, 'GET', '/nodes/pve/lxc', { ticket: t });
    expect(r.status).toBe(401);
    const t2 = await login(emu);
    expect((await raw(emu, 'GET', '/nodes/pve/lxc', { ticket: t2 })).status).toBe(200);
  });

  it('nodeOffline: proxied calls to that node answer 595; unknown nodes fail the hostname lookup', async () => {
    emu.faults.nodeOffline('pve2', true);
    const r = await raw(emu, 'GET', '/nodes/pve2/lxc', { token: true });
    expect([r.status, r.reason, r.text]).toEqual([595, 'No route to host', '']);
    expect((await raw(emu, 'GET', '/nodes/pve/lxc', { token: true })).status).toBe(200);
    const unknown = await raw(emu, 'GET', '/nodes/pve9/lxc', { token: true });
    expect(unknown.status).toBe(500);
    expect(unknown.reason).toMatch(/^hostname lookup 'pve9' failed/);
  });
});

describe('faults queried by the cluster routes', () => {
  it('holdGuestLock / releaseGuestLock, also with a time limit', async () => {
    const f = new FaultInjector();
    f.holdGuestLock(100);
    expect(f.isGuestLockHeld(100)).toBe(true);
    f.releaseGuestLock(100);
    expect(f.isGuestLockHeld(100)).toBe(false);
    f.holdGuestLock(101, 50);
    expect(f.isGuestLockHeld(101)).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(f.isGuestLockHeld(101)).toBe(false);
  });

  it('fillStorage, failTemplateDownload (once), nodeOffline and clear', () => {
    const f = new FaultInjector();
    f.fillStorage('pve', 'local', true);
    expect(f.isStorageFull('pve', 'local')).toBe(true);
    expect(f.isStorageFull('pve', 'local-lvm')).toBe(false);
    f.failTemplateDownload('alpine-3.22-default_20250617_amd64.tar.xz');
    expect(f.takeTemplateChecksumFailure('alpine-3.22-default_20250617_amd64.tar.xz')).toBe(true);
    expect(f.takeTemplateChecksumFailure('alpine-3.22-default_20250617_amd64.tar.xz')).toBe(false);
    expect(templateChecksumMismatchMessage('ab12')).toBe("checksum mismatch: got '0000' != expect 'ab12'");
    f.nodeOffline('pve', true);
    f.failNextTask('vzcreate', 'x');
    f.clear();
    expect(f.isStorageFull('pve', 'local')).toBe(false);
    expect(f.isNodeOffline('pve')).toBe(false);
    expect(f.takeTaskFailure('vzcreate')).toBeUndefined();
  });

  it('rejects malformed specs with a clear error', () => {
    const f = new FaultInjector();
    expect(() => f.apply({ kind: 'explode' } as any)).toThrow(/unknown fault kind/);
    expect(() => f.apply({ kind: 'delay', ms: -1 } as any)).toThrow(/ms/);
    expect(() => f.apply({ kind: 'httpError', status: 200, message: 'x' })).toThrow(/status/);
  });
});

describe('control endpoint', () => {
  it('needs the token', async () => {
    expect((await control('/state', undefined, 'nope')).status).toBe(401);
  });

  it('sets faults from JSON, reports state, clears', async () => {
    const set = await control('/faults', { kind: 'startWorkerFailed', count: 1 });
    expect(set.status).toBe(200);
    expect((await start()).status).toBe(500);
    await control('/faults', { kind: 'nodeOffline', node: 'pve2', on: true });
    const state = await control('/state');
    expect(state.json.faults.offlineNodes).toEqual(['pve2']);
    expect(state.json.nodes).toEqual(['pve', 'pve2']);
    await control('/faults/clear', {});
    expect(emu.faults.isNodeOffline('pve2')).toBe(false);
    const bad = await control('/faults', { kind: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/unknown fault kind/);
  });

  it('lets other lab parts add endpoints', async () => {
    emu.control.on('POST', '/echo', async (body) => ({ got: body }));
    const r = await control('/echo', { a: 1 });
    expect(r.json).toEqual({ got: { a: 1 } });
    expect((await control('/missing', {})).status).toBe(404);
  });
});

// Authentication as pveproxy: tickets, renewal, expiry, CSRF, API tokens, 401 texts and delay, token-only limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureFlagsRootOnlyError, isRootTicket, usesOpaqueAuthFailure } from './auth';
import type { Emulator } from './emulator';
import { login, raw, startTestEmulator } from './test-helpers';

const routes = (r: any) => {
  r.on('GET', '/nodes/{node}/lxc', () => []);
  r.on('PUT', '/nodes/{node}/lxc/{vmid}/config', ({ identity }: any) => identity.authid);
  r.on('PUT', '/access/password', () => null);
};

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator({ registerRoutes: routes, pveVersion: '8.4.16' });
});
afterAll(() => emu?.close());

const TICKET_RE = /^PVE:root@pam:[0-9A-F]{8}::[A-Za-z0-9+/]+=*$/;

describe('login', () => {
  it('issues a ticket, a CSRF token and capabilities for root@pam', async () => {
    const r = await raw(emu, 'POST', '/access/ticket', { body: `username=root%40pam&password=${encodeURIComponent(emu.password)}` });
    expect(r.status).toBe(200);
    expect(r.json.data.username).toBe('root@pam');
    expect(r.json.data.ticket).toMatch(TICKET_RE);
    expect(r.json.data.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:[A-Za-z0-9+/]{43}$/);
    expect(r.json.data.cap.vms['VM.Allocate']).toBe(1);
    expect(r.json.data).not.toHaveProperty('clustername');
  });

  it('accepts the realm as a separate parameter', async () => {
    const r = await raw(emu, 'POST', '/access/ticket', { body: { username: 'root', realm: 'pam', password: emu.password } });
    expect(r.status).toBe(200);
    expect(r.json.data.username).toBe('root@pam');
  });

  it('lists realms without authentication', async () => {
    const r = await raw(emu, 'GET', '/access/domains');
    expect(r.status).toBe(200);
    expect(r.json.data.map((d: any) => d.realm)).toEqual(['pam', 'pve']);
  });

  it('refuses a wrong password with 401 authentication failure', async () => {
    const r = await raw(emu, 'POST', '/access/ticket', { body: { username: 'root@pam', password: 'wrong' } });
    expect(r.status).toBe(401);
    expect(r.reason).toBe('authentication failure');
    const u = await raw(emu, 'POST', '/access/ticket', { body: { username: 'admin@pve', password: emu.password } });
    expect(u.status).toBe(401);
  });

  it('renews a ticket when the current ticket is passed as password', async () => {
    const first = await login(emu);
    const renewed = await login(emu, first.ticket);
    expect(renewed.ticket).toMatch(TICKET_RE);
    const forged = first.ticket.replace(/::.{4}/, '::AAAA');
    const r = await raw(emu, 'POST', '/access/ticket', { body: { username: 'root@pam', password: forged } });
    expect(r.status).toBe(401);
  });
});

describe('tickets', () => {
  it('works as cookie or as Authorization: PVEAuthCookie=..., GET needs no CSRF token', async () => {
    const t = await login(emu);
    expect((await raw(emu, 'GET', '/nodes/pve/lxc', { ticket: { ticket: t.ticket } })).status).toBe(200);
    const viaHeader = await raw(emu, 'GET', '/nodes/pve/lxc', { headers: { Authorization: `PVEAuthCookie=${t.ticket}` } });
    expect(viaHeader.status).toBe(200);
  });

  it('requires the CSRF token on writes with a ticket', async () => {
    const t = await login(emu);
    const no = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { ticket: { ticket: t.ticket }, body: 'memory=64' });
    expect(no.status).toBe(401);
    expect(no.reason).toBe('Permission denied - invalid csrf token');
    expect(no.text).toBe('');
    const bad = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', {
      ticket: { ticket: t.ticket, CSRFPreventionToken: t.CSRFPreventionToken.replace(/:./, ':A') }, body: 'memory=64',
    });
    expect(bad.status).toBe(401);
    const ok = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { ticket: t, body: 'memory=64' });
    expect(ok.status).toBe(200);
    expect(ok.json.data).toBe('root@pam');
  });

  it('401 "No ticket" without credentials: no body, no content type', async () => {
    const r = await raw(emu, 'GET', '/nodes/pve/lxc');
    expect(r.status).toBe(401);
    expect(r.reason).toBe('No ticket');
    expect(r.text).toBe('');
    expect(r.headers['content-type']).toBeUndefined();
  });

  it('authenticates before looking at the path (unknown path without auth is 401, not 501)', async () => {
    expect((await raw(emu, 'GET', '/does/not/exist')).status).toBe(401);
  });

  it('old pve-manager (8.4.16) says "permission denied - invalid PVE ticket" for a bad ticket', async () => {
    const r = await raw(emu, 'GET', '/nodes/pve/lxc', { ticket: { ticket: 'PVE:root@pam:00000000::AAAA' } });
    expect(r.status).toBe(401);
    expect(r.reason).toBe('permission denied - invalid PVE ticket');
  });
});

describe('API tokens', () => {
  it('authenticate reads and writes without CSRF; the identity is root@pam!proximity', async () => {
    expect((await raw(emu, 'GET', '/nodes/pve/lxc', { token: true })).status).toBe(200);
    const w = await raw(emu, 'PUT', '/nodes/pve/lxc/100/config', { token: true, body: 'memory=64' });
    expect(w.json.data).toBe('root@pam!proximity');
  });

  it('accept a space instead of "=" after PVEAPIToken', async () => {
    const r = await raw(emu, 'GET', '/nodes/pve/lxc', { headers: { Authorization: `PVEAPIToken ${emu.tokenId}=${emu.tokenSecret}` } });
    expect(r.status).toBe(200);
  });

  it('refuse a wrong secret and an unknown token (old texts)', async () => {
    const bad = await raw(emu, 'GET', '/nodes/pve/lxc', {
      headers: { Authorization: `PVEAPIToken=${emu.tokenId}=00000000-0000-0000-0000-000000000000` },
    });
    expect(bad.status).toBe(401);
    expect(bad.reason).toBe('invalid token value!');
    const unknown = await raw(emu, 'GET', '/nodes/pve/lxc', { headers: { Authorization: `PVEAPIToken=root@pam!other=${emu.tokenSecret}` } });
    expect(unknown.reason).toBe("no such token 'other' for user 'root@pam'");
  });

  it('get 403 on methods without allowtoken', async () => {
    const r = await raw(emu, 'PUT', '/access/password', { token: true, body: 'userid=root@pam&password=secret12' });
    expect(r.status).toBe(403);
    expect(r.reason).toBe("Permission check failed (URI 'PUT /access/password' not available with API token, need proper ticket.)");
  });
});

describe('versions, expiry and delay', () => {
  let fresh: Emulator;
  beforeAll(async () => {
    fresh = await startTestEmulator({ registerRoutes: routes, pveVersion: '8.4.17', ticketLifetimeSeconds: 2, authFailureDelayMs: 200, nodes: 2 });
  });
  afterAll(() => fresh?.close());

  it('new pve-manager says "Authentication failed!" for bad tickets and tokens', async () => {
    const r = await raw(fresh, 'GET', '/nodes/pve1/lxc', { ticket: { ticket: 'PVE:root@pam:00000000::AAAA' } });
    expect(r.reason).toBe('Authentication failed!');
    const t = await raw(fresh, 'GET', '/nodes/pve1/lxc', { headers: { Authorization: `PVEAPIToken=${fresh.tokenId}=wrong` } });
    expect(t.reason).toBe('Authentication failed!');
    expect(usesOpaqueAuthFailure('8.4.16')).toBe(false);
    expect(usesOpaqueAuthFailure('8.4.17')).toBe(true);
    expect(usesOpaqueAuthFailure('8.3.5')).toBe(false);
    expect(usesOpaqueAuthFailure('9.0.3')).toBe(true);
  });

  it('delays every 401 by authFailureDelayMs', async () => {
    const r = await raw(fresh, 'GET', '/nodes/pve1/lxc');
    expect(r.status).toBe(401);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(195);
    const l = await raw(fresh, 'POST', '/access/ticket', { body: { username: 'root@pam', password: 'nope' } });
    expect(l.status).toBe(401);
    expect(l.elapsedMs).toBeGreaterThanOrEqual(195);
  });

  it('reports the cluster name of a multi-node lab at login, and tickets expire after their lifetime', async () => {
    const t = await login(fresh);
    const again = await raw(fresh, 'POST', '/access/ticket', { body: { username: 'root@pam', password: fresh.password } });
    expect(again.json.data.clustername).toBe('lab-cluster');
    expect((await raw(fresh, 'GET', '/nodes/pve1/lxc', { ticket: t })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3100));
    const late = await raw(fresh, 'GET', '/nodes/pve1/lxc', { ticket: t });
    expect(late.status).toBe(401);
    expect(late.reason).toBe('Authentication failed!');
  });
});

describe('root@pam helpers', () => {
  it('tell tickets from tokens and build the feature-flag 403', () => {
    expect(isRootTicket({ user: 'root@pam', authid: 'root@pam' })).toBe(true);
    expect(isRootTicket({ user: 'root@pam', tokenId: 'proximity', authid: 'root@pam!proximity' })).toBe(false);
    const e = featureFlagsRootOnlyError();
    expect(e.status).toBe(403);
    expect(e.message).toBe('Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)');
  });
});

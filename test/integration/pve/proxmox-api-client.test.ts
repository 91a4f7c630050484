// The plain `proxmox-api` package over the product's pinned TLS fetch drives the emulator (virtual backend)
// through a whole container lifecycle, with a ticket and with an API token; a wrong pin is refused; PVE's 400
// parameter errors come back with the right `errors` key. It also pins down what proxmox-api 1.1.1 does on its
// own (re-login only on the old 401 text), which is why the product's request layer (pve-client.ts) does auth
// and error handling itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import proxmoxApi, { ProxmoxEngine, type Proxmox } from 'proxmox-api';
import { createPinnedAgent, findProximityError, normalizeFingerprint, pinnedFetch, probeFingerprint } from '../../../src-main/core/pve/pinned-fetch';
import { createBackend } from '../../lab/backends';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';
import { validateRecordedRequest } from '../../lab/pve/schema';

let emu: Emulator;

interface PveConnection {
  api: Proxmox.Api;
  engine: ProxmoxEngine;
  close(): Promise<void>;
}
const conns: PveConnection[] = [];

type Auth = { tokenId: string; tokenSecret: string } | { username: string; password: string };

/** proxmox-api as its README uses it, but over the pinned TLS fetch instead of NODE_TLS_REJECT_UNAUTHORIZED=0. */
function createPveConnection(o: { host: string; port: number; fingerprint: string; auth: Auth }): PveConnection {
  const agent = createPinnedAgent({ fingerprint: o.fingerprint });
  const common = { host: o.host, port: o.port, schema: 'https' as const, fetch: pinnedFetch(agent) as any };
  const engine = 'tokenId' in o.auth
    ? new ProxmoxEngine({ ...common, tokenID: o.auth.tokenId, tokenSecret: o.auth.tokenSecret })
    : new ProxmoxEngine({ ...common, username: o.auth.username, password: o.auth.password });
  return { api: proxmoxApi(engine), engine, close: () => agent.close() };
}

function createPveClient(o: { host: string; port: number; fingerprint: string; auth: Auth }): Proxmox.Api {
  const c = createPveConnection(o);
  conns.push(c);
  return c.api;
}

beforeAll(async () => {
  emu = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0 });
});
afterAll(async () => {
  await Promise.all(conns.map((c) => c.close()));
  await emu?.close();
});

function connect(auth: 'ticket' | 'token', fingerprint = emu.fingerprint): PveConnection {
  const c = createPveConnection({
    host: emu.host,
    port: emu.port,
    fingerprint,
    auth: auth === 'token' ? { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret } : { username: emu.user, password: emu.password },
  });
  conns.push(c);
  return c;
}

/** Polls the task status through the client until it stopped; returns the exit status. */
async function waitTask(api: any, upid: string): Promise<string> {
  const node = upid.split(':')[1];
  const end = Date.now() + 10_000;
  for (;;) {
    const st = await api.nodes.$(node).tasks.$(upid).status.$get();
    if (st.status === 'stopped') return st.exitstatus;
    if (Date.now() > end) throw new Error(`task ${upid} still running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('TLS pinning', () => {
  it('normalises fingerprints to the PVE form and rejects anything that is not a SHA-256', () => {
    const canonical = emu.fingerprint;
    expect(normalizeFingerprint(canonical.toLowerCase())).toBe(canonical);
    expect(normalizeFingerprint(canonical.replace(/:/g, ''))).toBe(canonical);
    expect(() => normalizeFingerprint('AB:CD')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => normalizeFingerprint(`${canonical}:00`)).toThrow(/SHA-256/);
  });

  it('probes the fingerprint without a request, and the pinned client accepts only that certificate', async () => {
    expect(await probeFingerprint(emu.host, emu.port)).toBe(emu.fingerprint);
    const before = emu.requests.length;
    const wrong = emu.fingerprint.replace(/^../, emu.fingerprint.startsWith('00') ? '11' : '00');
    const api = createPveClient({ host: emu.host, port: emu.port, fingerprint: wrong, auth: { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret } });
    const err = await api.version.$get().then(
      () => undefined,
      (e: unknown) => e,
    );
    const pe = findProximityError(err);
    expect(pe?.code).toBe('TLS_FINGERPRINT_MISMATCH');
    expect(pe?.details).toEqual({ host: emu.host, port: emu.port, expected: wrong, actual: emu.fingerprint });
    // nothing reached the HTTP layer
    expect(emu.requests.length).toBe(before);
  });
});

describe.each(['ticket', 'token'] as const)('container lifecycle with a %s', (auth) => {
  const vmid = auth === 'ticket' ? 201 : 202;
  let api: any;
  let volid: string;

  beforeAll(() => {
    api = connect(auth).api;
  });

  it('reads the node list with its certificate fingerprint', async () => {
    const nodes = await api.nodes.$get();
    expect(nodes).toEqual([expect.objectContaining({ node: 'pve', status: 'online', ssl_fingerprint: emu.fingerprint })]);
  });

  it('downloads an Alpine template through aplinfo', async () => {
    const apps: any[] = await api.nodes.$('pve').aplinfo.$get();
    const alpine = apps.filter((a) => a.os === 'alpine').sort((a, b) => String(b.version).localeCompare(String(a.version)))[0];
    expect(alpine?.template).toMatch(/^alpine-.*\.tar\.(xz|zst|gz)$/);
    const upid = await api.nodes.$('pve').aplinfo.$post({ storage: 'local', template: alpine.template });
    expect(upid).toMatch(/^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:download:/);
    expect(await waitTask(api, upid)).toBe('OK');
    const content: any[] = await api.nodes.$('pve').storage.$('local').content.$get({ content: 'vztmpl' });
    volid = content.find((c) => c.volid.endsWith(alpine.template))!.volid;
    expect(volid).toBe(`local:vztmpl/${alpine.template}`);
  });

  it('creates, starts, inspects, stops and destroys a container and reads task logs', async () => {
    const ct = api.nodes.$('pve').lxc;
    const createUpid = await ct.$post({
      vmid, ostemplate: volid, hostname: `acc-${auth}`, memory: 256, cores: 1, rootfs: 'local-lvm:2',
      net0: 'name=eth0,bridge=vmbr0,ip=dhcp', unprivileged: true, features: 'nesting=1',
    });
    expect(createUpid).toContain(`:vzcreate:${vmid}:${auth === 'token' ? emu.tokenId : 'root@pam'}:`);
    expect(await waitTask(api, createUpid)).toBe('OK');
    const log: { n: number; t: string }[] = await api.nodes.$('pve').tasks.$(createUpid).log.$get({ start: 0, limit: 500 });
    expect(log.at(-1)).toEqual({ n: log.length, t: 'TASK OK' });

    expect((await ct.$(vmid).status.current.$get()).status).toBe('stopped');
    expect(await ct.$(vmid).interfaces.$get()).toBeNull();

    expect(await waitTask(api, await ct.$(vmid).status.start.$post())).toBe('OK');
    const cur = await ct.$(vmid).status.current.$get();
    expect(cur).toMatchObject({ status: 'running', vmid, name: `acc-${auth}` });
    const ifaces: any[] = await ct.$(vmid).interfaces.$get();
    const eth0 = ifaces.find((i) => i.name === 'eth0');
    expect(eth0?.inet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(ifaces.some((i) => i.name === 'lo')).toBe(true);

    const cfg = await ct.$(vmid).config.$get();
    expect(cfg).toMatchObject({ hostname: `acc-${auth}`, memory: 256, unprivileged: 1 });
    await ct.$(vmid).config.$put({ description: 'acceptance' });

    expect(await waitTask(api, await ct.$(vmid).status.stop.$post())).toBe('OK');
    expect((await ct.$(vmid).status.current.$get()).status).toBe('stopped');
    const destroyUpid = await ct.$(vmid).$delete({ purge: true });
    expect(await waitTask(api, destroyUpid)).toBe('OK');
    await expect(ct.$(vmid).status.current.$get()).rejects.toThrow(/500/);
    const tasks: any[] = await api.nodes.$('pve').tasks.$get({ vmid, limit: 50 });
    expect(tasks.map((t) => t.type)).toEqual(expect.arrayContaining(['vzcreate', 'vzstart', 'vzstop', 'vzdestroy']));
  });
});

describe('parameter verification through the client', () => {
  let api: any;
  beforeAll(() => {
    api = connect('token').api;
  });

  /** proxmox-api throws Error("<METHOD> <url> return Error 400 <reason>: <json body>") */
  async function errorsOf(p: Promise<unknown>): Promise<Record<string, string>> {
    const e = (await p.then(() => undefined, (x) => x)) as Error;
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toMatch(/return Error 400 Parameter verification failed\.: /);
    return JSON.parse(e.message.slice(e.message.indexOf(': {') + 2)).errors;
  }

  it('unknown parameter', async () => {
    const errors = await errorsOf(api.nodes.$('pve').lxc.$post({ vmid: 300, ostemplate: 'local:vztmpl/x.tar.xz', bogus: 1 }));
    expect(errors).toEqual({ bogus: 'property is not defined in schema and the schema does not allow additional properties' });
  });

  it('wrong type', async () => {
    const errors = await errorsOf(api.nodes.$('pve').lxc.$post({ vmid: 300, ostemplate: 'local:vztmpl/x.tar.xz', memory: 'lots' }));
    expect(Object.keys(errors)).toEqual(['memory']);
    expect(errors.memory).toMatch(/type check \('integer'\) failed - got 'lots'/);
  });

  it('missing required parameter', async () => {
    const errors = await errorsOf(api.nodes.$('pve').lxc.$post({ vmid: 300 }));
    expect(errors).toEqual({ ostemplate: 'property is missing and it is not optional' });
  });

  it('every request the client sent is valid against the PVE 8.4 schema, except the three bad ones', () => {
    const http = emu.requests.filter((r) => r.source === 'http');
    expect(http.length).toBeGreaterThan(20);
    const invalid = http.filter((r) => validateRecordedRequest(emu.schema, r).length > 0);
    expect(invalid.map((r) => r.status)).toEqual([400, 400, 400]);
  });
});

describe('expired tickets with proxmox-api (what the product must handle)', () => {
  it('pve-manager <= 8.4.16: proxmox-api logs in again by itself after tickets expired', async () => {
    const old = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0, pveVersion: '8.4.16' });
    const c = createPveConnection({ host: old.host, port: old.port, fingerprint: old.fingerprint, auth: { username: old.user, password: old.password } });
    try {
      await c.api.version.$get();
      old.faults.expireAllTickets();
      expect((await c.api.version.$get()).version).toBe('8.4.16');
      const logins = old.requests.filter((r) => r.path === '/api2/json/access/ticket' && r.status === 200);
      expect(logins).toHaveLength(2);
    } finally {
      await c.close();
      await old.close();
    }
  });

  it('pve-manager >= 8.4.17: the call fails with 401 "Authentication failed!"; clearing engine.ticket recovers', async () => {
    const c = connect('ticket');
    await c.api.version.$get();
    emu.faults.expireAllTickets();
    await expect(c.api.version.$get()).rejects.toThrow(/return Error 401 Authentication failed!/);
    c.engine.ticket = undefined;
    expect((await c.api.version.$get()).version).toBe(emu.pveVersion);
  });
});

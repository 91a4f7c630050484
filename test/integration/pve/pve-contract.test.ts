// Contract tests: behaviours of the Proxmox VE API that Proximity relies on (envelope, errors, auth, tasks,
// locks), written against a generic target. They always run against the emulator, and against a real node when
// PROXIMITY_TEST_PVE_URL (+ _FINGERPRINT, _TOKEN_ID, _TOKEN_SECRET, _NODE, optional _USER/_PASSWORD) is set.
// On a real node they only do safe, self-cleaning things: one CT with a high free vmid, destroyed at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import { createPinnedAgent, pinnedFetch, type FetchLike } from '../../../src-main/core/pve/pinned-fetch';
import { createBackend } from '../../lab/backends';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';

interface ContractTarget {
  /** https://host:port */
  url: string;
  fingerprint: string;
  node: string;
  token: { id: string; secret: string };
  user?: { username: string; password: string };
}

interface Res {
  status: number;
  reason: string;
  contentType: string | null;
  text: string;
  json: any;
}

const TOKEN_FAILURE = /^(Authentication failed!|invalid token value!|no such token '.*' for user '.*'|permission denied - invalid PVE ticket)$/;
const UPID_RE = /^UPID:[a-zA-Z0-9-]+:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:[^:\s]+:[^:\s]*:[^:\s]+:$/;

function defineContract(name: string, getTarget: () => ContractTarget) {
  let t: ContractTarget;
  let agent: Agent;
  let doFetch: FetchLike;

  beforeAll(() => {
    t = getTarget();
    agent = createPinnedAgent({ fingerprint: t.fingerprint });
    doFetch = pinnedFetch(agent);
  });
  afterAll(() => agent?.close());

  async function call(
    method: string,
    path: string,
    opts: { params?: Record<string, string>; auth?: 'token' | 'none' | { ticket: string; csrf?: string }; headers?: Record<string, string> } = {},
  ): Promise<Res> {
    const headers: Record<string, string> = { ...opts.headers };
    const auth = opts.auth ?? 'token';
    if (auth === 'token') headers.Authorization = `PVEAPIToken=${t.token.id}=${t.token.secret}`;
    else if (auth !== 'none') {
      headers.Cookie = `PVEAuthCookie=${encodeURIComponent(auth.ticket)}`;
      if (auth.csrf) headers.CSRFPreventionToken = auth.csrf;
    }
    let url = `${t.url}/api2/json${path}`;
    let body: string | undefined;
    const params = new URLSearchParams(opts.params ?? {});
    if (method === 'GET' || method === 'DELETE') {
      if (opts.params) url += `?${params}`;
    } else if (opts.params) {
      body = params.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const r = await doFetch(url, { method, headers, body });
    const text = await r.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, reason: r.statusText, contentType: r.headers.get('content-type'), text, json };
  }

  async function waitTask(upid: string): Promise<any> {
    const end = Date.now() + 120_000;
    for (;;) {
      const r = await call('GET', `/nodes/${t.node}/tasks/${encodeURIComponent(upid)}/status`);
      expect(r.status).toBe(200);
      if (r.json.data.status === 'stopped') return r.json.data;
      if (Date.now() > end) throw new Error(`task ${upid} did not finish`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  describe(`${name}: envelope and errors`, () => {
    it('answers {"data":...} with Content-Type application/json;charset=UTF-8', async () => {
      const r = await call('GET', '/version');
      expect(r.status).toBe(200);
      expect(r.contentType).toBe('application/json;charset=UTF-8');
      expect(r.json.data).toEqual(expect.objectContaining({ version: expect.any(String), release: expect.any(String) }));
    });

    it('answers 501 with the PVE reason for an unknown path', async () => {
      const r = await call('GET', '/proximity-contract-nonexistent');
      expect(r.status).toBe(501);
      expect(r.reason).toBe("Method 'GET /proximity-contract-nonexistent' not implemented");
    });

    it('answers 400 Parameter verification failed with an errors map (nothing is created)', async () => {
      const r = await call('POST', `/nodes/${t.node}/lxc`, {
        params: { vmid: '999999990', ostemplate: 'local:vztmpl/none.tar.zst', 'proximity-bogus': '1' },
      });
      expect(r.status).toBe(400);
      expect(r.reason).toBe('Parameter verification failed.');
      expect(r.json.errors).toEqual({
        'proximity-bogus': 'property is not defined in schema and the schema does not allow additional properties',
      });
    });
  });

  describe(`${name}: authentication`, () => {
    it('401 "No ticket" without credentials: no body, no content type', async () => {
      const r = await call('GET', '/version', { auth: 'none' });
      expect(r.status).toBe(401);
      expect(r.reason).toBe('No ticket');
      expect(r.text).toBe('');
      expect(r.contentType).toBeNull();
    });

    it('401 for a wrong token secret', async () => {
      const r = await call('GET', '/version', {
        auth: 'none',
        headers: { Authorization: `PVEAPIToken=${t.token.id}=00000000-0000-4000-8000-000000000000` },
      });
      expect(r.status).toBe(401);
      expect(r.reason).toMatch(TOKEN_FAILURE);
    });

    it('ticket login; writes need the CSRF token', async (ctx) => {
      if (!t.user) return ctx.skip();
      const login = await call('POST', '/access/ticket', { auth: 'none', params: { username: t.user.username, password: t.user.password } });
      expect(login.status).toBe(200);
      const { ticket, CSRFPreventionToken } = login.json.data;
      expect(ticket).toMatch(/^PVE:[^:]+:[0-9A-F]{8}::\S+$/);
      expect((await call('GET', '/version', { auth: { ticket } })).status).toBe(200);
      // invalid params on purpose: nothing can be created even once auth passes
      const params = { vmid: '999999990', ostemplate: 'local:vztmpl/none.tar.zst', 'proximity-bogus': '1' };
      const noCsrf = await call('POST', `/nodes/${t.node}/lxc`, { auth: { ticket }, params });
      expect(noCsrf.status).toBe(401);
      expect(noCsrf.reason).toBe('Permission denied - invalid csrf token');
      const withCsrf = await call('POST', `/nodes/${t.node}/lxc`, { auth: { ticket, csrf: CSRFPreventionToken }, params });
      expect(withCsrf.status).toBe(400);
    });
  });

  describe(`${name}: tasks and locks on a temporary container`, () => {
    let vmid: number | undefined;

    afterAll(async () => {
      if (vmid === undefined) return;
      // self-cleaning: wait out a create still running, then destroy whatever is left
      for (let i = 0; i < 600; i++) {
        const cfg = await call('GET', `/nodes/${t.node}/lxc/${vmid}/config`);
        if (cfg.status !== 200) return;
        if (cfg.json.data.lock !== 'create') break;
        await new Promise((res) => setTimeout(res, 200));
      }
      const del = await call('DELETE', `/nodes/${t.node}/lxc/${vmid}`, { params: { purge: '1', force: '1' } });
      if (del.status === 200) await waitTask(del.json.data);
    });

    it('creates a CT as a task (UPID, lock while running, stopped + log), then destroys it', async (ctx) => {
      const storages = (await call('GET', `/nodes/${t.node}/storage`, { params: { enabled: '1' } })).json.data as any[];
      const rootdir = storages.find((s) => String(s.content).split(',').includes('rootdir'));
      let ostemplate: string | undefined;
      for (const s of storages.filter((x) => String(x.content).split(',').includes('vztmpl'))) {
        const c = await call('GET', `/nodes/${t.node}/storage/${s.storage}/content`, { params: { content: 'vztmpl' } });
        ostemplate ??= (c.json?.data ?? [])[0]?.volid;
      }
      if (!rootdir || !ostemplate) return ctx.skip();

      // a high vmid that is free: /cluster/nextid?vmid=X answers 200 only for a free id
      for (let i = 0; i < 20 && vmid === undefined; i++) {
        const candidate = 999_000_000 + Math.floor(Math.random() * 900_000);
        if ((await call('GET', '/cluster/nextid', { params: { vmid: String(candidate) } })).status === 200) vmid = candidate;
      }
      expect(vmid).toBeDefined();

      const create = await call('POST', `/nodes/${t.node}/lxc`, {
        params: {
          vmid: String(vmid), ostemplate, hostname: 'proximity-contract', memory: '128', rootfs: `${rootdir.storage}:1`,
          description: 'temporary container of the Proximity contract tests',
        },
      });
      expect(create.status).toBe(200);
      const upid: string = create.json.data;
      expect(upid).toMatch(UPID_RE);
      expect(upid).toContain(`:vzcreate:${vmid}:`);

      // While the create worker runs, the config holds `lock: create` and synchronous changes are refused
      // (PUT config: check_lock). Setting a lock ourselves is avoided: the API cannot remove it again.
      const locked = await call('PUT', `/nodes/${t.node}/lxc/${vmid}/config`, { params: { description: 'changed' } });
      expect(locked.status).toBe(500);
      expect(locked.reason).toBe('CT is locked (create)');
      const running = await call('GET', `/nodes/${t.node}/tasks/${encodeURIComponent(upid)}/status`);
      expect(running.json.data).toMatchObject({ status: 'running', upid });
      expect(running.json.data).not.toHaveProperty('exitstatus');

      const st = await waitTask(upid);
      expect(st).toMatchObject({ status: 'stopped', exitstatus: 'OK', upid, node: t.node, type: 'vzcreate', id: String(vmid) });
      expect(st).toEqual(expect.objectContaining({ pid: expect.any(Number), pstart: expect.any(Number), starttime: expect.any(Number), user: expect.any(String) }));
      const log = await call('GET', `/nodes/${t.node}/tasks/${encodeURIComponent(upid)}/log`, { params: { start: '0', limit: '1000' } });
      expect(log.json.data.at(-1)).toEqual({ n: log.json.total, t: 'TASK OK' });

      const unlocked = await call('PUT', `/nodes/${t.node}/lxc/${vmid}/config`, { params: { description: 'changed' } });
      expect(unlocked.status).toBe(200);
      expect(unlocked.json).toEqual({ data: null });

      const del = await call('DELETE', `/nodes/${t.node}/lxc/${vmid}`, { params: { purge: '1' } });
      expect(del.status).toBe(200);
      expect((await waitTask(del.json.data)).exitstatus).toBe('OK');
      const gone = await call('GET', `/nodes/${t.node}/lxc/${vmid}/status/current`);
      expect(gone.status).toBe(500);
      expect(gone.reason).toBe(`Configuration file 'nodes/${t.node}/lxc/${vmid}.conf' does not exist`);
      vmid = undefined;
    }, 300_000);
  });
}

describe('PVE contract: emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    // tasks take a moment, as on a real node, so the running state and the create lock are observable
    emu = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 2 });
    // a template in storage, as an operator's node has one
    const apps = (await emu.callApi('GET', '/nodes/pve/aplinfo')) as any[];
    const alpine = apps.find((a) => a.os === 'alpine');
    await emu.waitTask(await emu.callApi('POST', '/nodes/pve/aplinfo', { storage: 'local', template: alpine.template }));
  });
  afterAll(() => emu?.close());
  defineContract('emulator', () => ({
    url: emu.url,
    fingerprint: emu.fingerprint,
    node: 'pve',
    token: { id: emu.tokenId, secret: emu.tokenSecret },
    user: { username: emu.user, password: emu.password },
  }));
});

const env = process.env;
describe.skipIf(!env.PROXIMITY_TEST_PVE_URL)('PVE contract: real node', () => {
  defineContract('real', () => {
    const need = (k: string) => {
      const v = env[k];
      if (!v) throw new Error(`${k} must be set when PROXIMITY_TEST_PVE_URL is set`);
      return v;
    };
    return {
      url: need('PROXIMITY_TEST_PVE_URL').replace(/\/+$/, '').replace(/\/api2\/json$/, ''),
      fingerprint: need('PROXIMITY_TEST_PVE_FINGERPRINT'),
      node: need('PROXIMITY_TEST_PVE_NODE'),
      token: { id: need('PROXIMITY_TEST_PVE_TOKEN_ID'), secret: need('PROXIMITY_TEST_PVE_TOKEN_SECRET') },
      user: env.PROXIMITY_TEST_PVE_USER && env.PROXIMITY_TEST_PVE_PASSWORD
        ? { username: env.PROXIMITY_TEST_PVE_USER, password: env.PROXIMITY_TEST_PVE_PASSWORD }
        : undefined,
    };
  });
});

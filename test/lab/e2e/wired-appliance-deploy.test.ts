// Issue 10 acceptance on the netns lab, through the wiring both shells use (createCoreFeatures + createIpcRuntime's
// dispatcher): the appliance is provisioned (`appliance.provision`), a catalog app is deployed on that node in
// appliance mode and is reached from the host through the appliance's Caddy on its PUBLIC port (the app's own
// X-Frame-Options kept) and its CANVAS port (X-Frame-Options and CSP removed); its `.prox.local` name answers
// from the appliance's dnsmasq; `apps.delete` then removes its lease, name and route from the appliance's config
// and frees its ports.
// Whole scenario ~40 s on the lab (provisioning ~15 s, deployment ~15 s).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplianceStatus } from '../../../src-shared/contract/appliance-schemas';
import { ensureLabConnection, labSecretCipher } from '../../../scripts/web-lab';
import { APPLIANCE_PATHS } from '../../../src-main/core/network/appliance-files';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { CADDYFILE_PATH } from '../../../src-main/core/proxy/reverse-proxy-manager';
import { createCoreFeatures, type CoreFeatures } from '../../../src-main/core/runtime/core-features';
import { pctExec } from '../../../src-main/core/ssh/pct-commands';
import { createIpcRuntime, type IpcRuntime } from '../../../src-main/ipc/ipc-runtime';
import { startLab, type Lab } from '../lab';
import { canRunNetns } from '../netns/netns-test-kit';
import { until } from './lab-fixture';

const ORIGIN = 'http://127.0.0.1:5199';
const sender = { isTopFrame: true, url: `${ORIGIN}/` };
// asks the appliance's dnsmasq (on its LAN address) for an A record, from inside the appliance (Node's resolver:
// the lab's containers run the host's /usr/bin/node)
const RESOLVE_JS = "const r=new (require('dns').promises.Resolver)();r.setServers([process.argv[1]]);r.resolve4(process.argv[2]).then((a)=>console.log(a.join(' ')),(e)=>{console.error(e.code);process.exit(2)})";

describe.skipIf(!canRunNetns)('the wired runtime deploys in appliance mode on the netns lab', () => {
  let lab: Lab;
  let dataDir: string;
  let core: CoreContext;
  let features: CoreFeatures;
  let ipc: IpcRuntime;
  let connectionId: string;
  const node = 'pve';

  async function call<T>(channel: string, input: unknown): Promise<T> {
    const r = (await ipc.dispatcher.dispatch(channel as never, input, sender)) as { ok: boolean; value: T; error?: unknown };
    expect(r.ok, `${channel}: ${JSON.stringify(r)}`).toBe(true);
    return r.value;
  }
  async function succeeded(operationId: string): Promise<void> {
    const op = await core.operations.settled(operationId);
    expect(op.state, JSON.stringify(op.error) + '\n' + op.log.map((l) => l.text).join('\n')).toBe('succeeded');
  }
  const inAppliance = async (vmid: number, ...argv: string[]) => pctExec({ exec: async (a, o) => (await core.proxmox.ssh(connectionId, node)).exec(a, o) }, vmid, argv, { check: false, timeoutMs: 15_000 });
  const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(3000) });

  beforeAll(async () => {
    lab = await startLab({ backend: 'netns', taskSeconds: 0 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wired-appliance-'));
    core = openCore({ dataDir, appVersion: 'test', secretCipher: labSecretCipher(dataDir) });
    connectionId = (await ensureLabConnection(core, lab)).id;
    features = await createCoreFeatures(core, { catalogDir: path.resolve(__dirname, '../../../resources/catalog'), engine: { leaseTimeoutMs: 30_000, dockerReadyTimeoutMs: 30_000, healthTimeoutMs: 30_000 } });
    ipc = createIpcRuntime(core, { runtime: 'web-bridge', appName: 'Proximity', secretStorage: null, openExternal: () => Promise.reject(new Error('not here')), allowedOrigins: [ORIGIN], ...features.deps });
    features.start();
    await features.settled();
  }, 60_000);
  afterAll(async () => {
    ipc?.close();
    await features?.close();
    core?.close();
    await lab?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('provisions the appliance, deploys it-tools behind its Caddy (public + canvas ports, .prox.local), and delete removes lease, route and ports', async () => {
    const prov = await call<{ operationId: string }>('appliance.provision', { connectionId, node });
    await succeeded(prov.operationId);
    const status = await call<ApplianceStatus>('appliance.status', { connectionId, node });
    expect(status).toMatchObject({ mode: 'appliance', container: 'running' });
    const wan = status.wanAddress!;
    expect(wan).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    // deploy: the node's appliance serves, so the app is put on it (network chosen per node, recorded in its spec)
    const started = await call<{ operationId: string; appId: string }>('apps.deploy', { connectionId, catalogId: 'it-tools', hostname: 'tools' });
    await succeeded(started.operationId);
    const app = core.apps.require(started.appId);
    expect(app).toMatchObject({ status: 'running', node });
    const spec = app.spec as { mode: string; ports: { public: number; internal: number }; urls: { mode: string; public: string; canvas: string } };
    expect(spec).toMatchObject({ mode: 'appliance', urls: { mode: 'appliance' } });
    const { public: publicPort, internal: canvasPort } = spec.ports;
    expect(spec.urls.public).toBe(`http://${wan}:${publicPort}`);

    // reached from the host through the appliance's WAN address: Caddy on the public and canvas ports
    const pub = await get(`http://${wan}:${publicPort}/`);
    expect(pub.status).toBe(200);
    expect(await pub.text()).toContain('Lab stand-in for a Docker container');
    expect(pub.headers.get('x-frame-options')).toBe('DENY'); // the app's own header is kept on the public port
    const canvas = await get(`http://${wan}:${canvasPort}/`);
    expect(canvas.status).toBe(200);
    expect(canvas.headers.get('x-frame-options')).toBeNull();
    expect(canvas.headers.get('content-security-policy')).toBeNull();

    // its name answers from the appliance's dnsmasq, with the app's address
    const dns = await inAppliance(status.vmid, 'node', '-e', RESOLVE_JS, status.lanAddress, 'tools.prox.local');
    expect(dns.exitCode, dns.stderr).toBe(0);
    expect(dns.stdout.trim()).toBe(app.ip);
    const dnsmasq = (await inAppliance(status.vmid, 'cat', APPLIANCE_PATHS.dnsmasqConf)).stdout;
    expect(dnsmasq).toContain(app.mac!);
    expect((await inAppliance(status.vmid, 'cat', CADDYFILE_PATH)).stdout).toContain(`:${publicPort}`);

    // delete: routes, name and lease go from the appliance through the network the app was deployed with
    const del = await call<{ operationId: string }>('apps.delete', { id: app.id, confirmDataLoss: true });
    await succeeded(del.operationId);
    expect(core.apps.get(app.id)).toBeUndefined();
    expect(core.ports.get(app.id)).toBeUndefined();
    const after = (await inAppliance(status.vmid, 'cat', APPLIANCE_PATHS.dnsmasqConf)).stdout;
    expect(after).not.toContain(app.mac!);
    expect(after).not.toContain('tools');
    const caddyfile = (await inAppliance(status.vmid, 'cat', CADDYFILE_PATH)).stdout;
    expect(caddyfile).not.toContain(`:${publicPort}`);
    expect(caddyfile).not.toContain(`:${canvasPort}`);
    // Caddy stopped listening on both ports (its reload is applied before applyRoutes returns; waited anyway)
    for (const port of [publicPort, canvasPort]) {
      const refused = await until(`port ${port} closed`, () => get(`http://${wan}:${port}/`).then(() => null, (e: Error) => String((e.cause as { code?: string } | undefined)?.code ?? e.message)), 10_000);
      expect(refused).toBe('ECONNREFUSED');
    }
    // (the name can still answer from dnsmasq's dynamic lease database until that lease expires: the container
    // was destroyed without a DHCPRELEASE; the static lease and host record above are what Proximity owns)
  }, 120_000);
});

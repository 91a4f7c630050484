// Issue 9 items 1, 2 and 4 against the netns lab: NetworkApplianceOrchestrator provisions a node from nothing
// (bridge through the PVE network API, the Alpine appliance, dnsmasq/Caddy/iptables inside it over SSH + pct),
// resumes after being cancelled at every step, changes nothing on a second run, refuses foreign pending network
// changes and a foreign guest at its VMID, serves an app (lease, name, routes, NAT, isolation), and its health
// monitor sees a killed daemon within one interval and restarts it (audited).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplianceStatus } from '../../../src-shared/contract/appliance-schemas';
import { events } from '../../../src-shared/contract/events';
import { ApplianceHealthMonitor } from '../../../src-main/core/appliance/appliance-health-monitor';
import { APPLIANCE_TAG } from '../../../src-main/core/appliance/appliance-identity';
import { PROVISION_STEPS } from '../../../src-main/core/appliance/appliance-provisioner';
import type { ApplianceDesiredState, ApplianceLease } from '../../../src-main/core/appliance/node-access';
import { NetworkApplianceOrchestrator } from '../../../src-main/core/appliance/network-appliance-orchestrator';
import { proxmoxNodeAccess } from '../../../src-main/core/appliance/proxmox-node-access';
import { ensureLabConnection, labSecretCipher } from '../../../scripts/web-lab';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { LinuxBridgeAppNetwork } from '../../../src-main/core/network/app-network';
import { APPLIANCE_PATHS, applianceNetworkFiles } from '../../../src-main/core/network/appliance-files';
import { LocalCommandExecutor } from '../../../src-main/core/network/command-executor';
import { planLan } from '../../../src-main/core/network/network-settings';
import type { ProxyRoute } from '../../../src-main/core/proxy/proxy-route';
import { CADDYFILE_PATH, ReverseProxyManager } from '../../../src-main/core/proxy/reverse-proxy-manager';
import { createContainer, getContainerConfig, startContainer } from '../../../src-main/core/pve/lxc';
import { PveClient } from '../../../src-main/core/pve/pve-client';
import { MemoryHostKeyPinStore } from '../../../src-main/core/ssh/host-key-pins';
import { NodeSshClient } from '../../../src-main/core/ssh/node-ssh-client';
import { pctExec } from '../../../src-main/core/ssh/pct-commands';
import { startLab, type Lab } from '../lab';
import type { NetnsBackend } from '../netns/netns-backend';
import { canRunNetns } from '../netns/netns-test-kit';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { createOriginPolicy } from '../../../src-main/ipc/sender-policy';
import { until } from './lab-fixture';

const VMID = 9999;
const APP = 301;
const plan = planLan();
const COMPOSE = 'services:\n  web:\n    image: ghcr.io/example/whoami:1.0\n    ports:\n      - "8080:80"\n';
const SCENARIO_MS = 120_000;

describe.skipIf(!canRunNetns)('NetworkApplianceOrchestrator on the netns lab', () => {
  let lab: Lab;
  let backend: NetnsBackend;
  let pve: PveClient;
  let ssh: NodeSshClient;
  let core: CoreContext;
  let dataDir: string;
  let orch: NetworkApplianceOrchestrator;
  const node = 'pve';
  const leases: ApplianceLease[] = [];
  let routes: ProxyRoute[] = [];
  const desired: ApplianceDesiredState = { leases: () => leases, routes: () => routes };
  const sh = (vmid: number, ...argv: string[]) => pctExec(ssh, vmid, argv, { check: false, timeoutMs: 30_000 });
  const applianceFile = async (p: string) => (await sh(VMID, 'cat', p)).stdout;

  beforeAll(async () => {
    lab = await startLab({ backend: 'netns', taskSeconds: 0 });
    backend = lab.backend as NetnsBackend;
    const emu = lab.emulator;
    pve = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret } });
    const info = lab.info.ssh!;
    const pins = new MemoryHostKeyPinStore();
    await pins.set('lab/pve', { fingerprint: info.hostKeyFingerprint, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() });
    ssh = new NodeSshClient({ nodeId: 'lab/pve', host: info.host, port: info.port, user: info.user, auth: { kind: 'key', privateKey: fs.readFileSync(info.privateKeyPath) } }, { pins });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'appliance-e2e-'));
    core = openCore({ dataDir, appVersion: 'test', secretCipher: labSecretCipher(dataDir) });
    // the product's path: a saved, pinned connection to the lab (API and SSH at the node's management address)
    // and the per-connection runtime behind the orchestrator's NodeAccess
    const connection = await ensureLabConnection(core, lab);
    const access = proxmoxNodeAccess(core.proxmox, connection.id);
    orch = new NetworkApplianceOrchestrator(access, { operations: core.operations, events: core.events, settings: core.settings, desired }, { natProbeUrl: backend.subnet.internetUrl });
  }, 60_000);
  afterAll(async () => {
    await ssh?.close();
    await pve?.close();
    core?.close();
    await lab?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops at someone else\'s pending network change and names the interfaces', async () => {
    await lab.emulator.callApi('POST', `/nodes/${node}/network`, { iface: 'vmbr5', type: 'bridge', autostart: '1' });
    const op = await core.operations.settled(orch.provision(node).id);
    expect(op.state).toBe('failed');
    expect(op.error?.code).toBe('NETWORK_PENDING_CHANGES');
    const status = await orch.status(node);
    expect(status).toMatchObject({ mode: 'fallback', container: 'missing', bridge: { present: false }, lastProvisionError: { code: 'NETWORK_PENDING_CHANGES' } });
    expect(status.reason).toMatch(/vmbr5/);
    expect(await orch.appNetwork(node)).toMatchObject({ mode: 'fallback', bridge: 'vmbr0', reason: expect.stringMatching(/^Fallback mode/) });
    await lab.emulator.callApi('DELETE', `/nodes/${node}/network`, {});
  }, SCENARIO_MS);

  it('leaves a foreign guest at the appliance VMID untouched and reports it', async () => {
    core.settings.set('appliance.vmid', 9998);
    try {
      await createContainer(pve, node, { ostemplate: 'local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz', hostname: 'someones-ct', rootfs: 'local-lvm:1', unprivileged: true }, { vmid: 9998 }).catch(async () => {
        // the template is not cached yet on a fresh lab
        await lab.emulator.waitTask(await lab.emulator.callApi('POST', `/nodes/${node}/aplinfo`, { storage: 'local', template: 'alpine-3.22-default_20250617_amd64.tar.xz' }));
        await createContainer(pve, node, { ostemplate: 'local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz', hostname: 'someones-ct', rootfs: 'local-lvm:1', unprivileged: true }, { vmid: 9998 });
      });
      const before = await getContainerConfig(pve, node, 9998);
      const tasks = lab.emulator.tasks.list().length;
      const op = await core.operations.settled(orch.provision(node).id);
      expect(op.error).toMatchObject({ code: 'APPLIANCE_VMID_TAKEN', step: 'check-node' });
      expect(op.error?.message).toContain("not Proximity's network appliance");
      expect(await getContainerConfig(pve, node, 9998)).toEqual(before);
      expect(lab.emulator.tasks.list().length).toBe(tasks);
      expect(await orch.status(node)).toMatchObject({ mode: 'fallback', container: 'foreign', vmid: 9998 });
    } finally {
      core.settings.set('appliance.vmid', VMID);
    }
  }, SCENARIO_MS);

  it('provisions from nothing, cancelled at every step and resumed, to the same state as one clean run', async () => {
    for (const [stepName] of PROVISION_STEPS.slice(1)) {
      const started = orch.provision(node);
      const off = core.events.on('operations.changed', (op) => {
        if (op.id === started.id && op.step === stepName && op.state === 'running') core.operations.cancel(op.id);
      });
      const op = await core.operations.settled(started.id);
      off();
      expect([op.state, op.step], JSON.stringify(op.error)).toEqual(['cancelled', stepName]);
      expect(op.log.length).toBeGreaterThan(0);
    }
    const final = await core.operations.settled(orch.provision(node).id);
    expect(final.state, JSON.stringify(final.error)).toBe('succeeded');
    expect(final.log.map((l) => l.text).join('\n')).toMatch(/Done/);

    // the bridge: persisted, autostart, no ports, active
    const bridge = (await lab.emulator.callApi('GET', `/nodes/${node}/network/${plan.bridge}`)) as Record<string, unknown>;
    expect(bridge).toMatchObject({ type: 'bridge', autostart: 1 });
    expect(bridge.bridge_ports ?? '').toBe('');
    // the appliance: unprivileged Alpine, tagged, onboot, WAN DHCP on vmbr0, LAN static on the bridge
    const cfg = await getContainerConfig(pve, node, VMID);
    expect(cfg).toMatchObject({ unprivileged: 1, onboot: 1, tags: APPLIANCE_TAG, hostname: 'proximity-appliance', ostype: 'alpine' });
    expect(String(cfg.net0)).toMatch(/^name=eth0,bridge=vmbr0,.*ip=dhcp/);
    expect(String(cfg.net1)).toMatch(/^name=eth1,bridge=proxlan,.*ip=10\.20\.0\.1\/24/);
    // inside: exactly the generated files, services enabled and started
    const expected = applianceNetworkFiles(plan, [], { managementAddresses: ['198.18.0.2', backend.managementAddress()] });
    for (const f of expected) expect(await applianceFile(f.path)).toBe(f.content);
    expect(await applianceFile(CADDYFILE_PATH)).toBe(new ReverseProxyManager(new LocalCommandExecutor()).generate([]));
    expect(await orch.appNetwork(node)).toMatchObject({ mode: 'appliance', bridge: 'proxlan' });
    const status = await orch.status(node);
    expect(status).toMatchObject({ mode: 'appliance', reason: null, container: 'running', services: { dnsmasq: 'started', caddy: 'started', iptables: 'started' }, ipForward: true, natRule: true });
    for (const [svc, level] of [['sysctl', 'boot'], ['iptables', 'default'], ['dnsmasq', 'default'], ['caddy', 'default']]) {
      expect((await sh(VMID, 'test', '-e', `/etc/runlevels/${level}/${svc}`)).exitCode).toBe(0);
    }
  }, SCENARIO_MS);

  it('a second run changes nothing: PVE config, network, tasks and the appliance files are the same', async () => {
    const snapshot = async () => {
      const { digest: _d, ...cfg } = await getContainerConfig(pve, node, VMID);
      const net = await lab.emulator.callApiResult('GET', `/nodes/${node}/network`, {});
      const tasks = lab.emulator.tasks.list().filter((t) => ['vzcreate', 'vzstart', 'vzstop', 'srvreload', 'download'].includes(t.type)).length;
      const files: string[] = [];
      for (const p of [...Object.values(APPLIANCE_PATHS), CADDYFILE_PATH, '/etc/apk/world']) files.push(await applianceFile(p));
      const ls = (await sh(VMID, 'ls', '-l', '--time-style=full-iso', '/etc/dnsmasq.conf', '/etc/caddy/Caddyfile', APPLIANCE_PATHS.iptablesRules)).stdout;
      return { cfg, net, tasks, files, ls };
    };
    const before = await snapshot();
    const op = await core.operations.settled(orch.provision(node).id);
    expect(op.state).toBe('succeeded');
    expect(op.log.map((l) => l.text)).toContain('Done; everything was already in place');
    expect(await snapshot()).toEqual(before);
  }, SCENARIO_MS);

  it('serves an app: lease in range, .prox.local name, routes through Caddy, NAT, isolation', async () => {
    const apps = new LinuxBridgeAppNetwork(plan);
    const lease = apps.reserve({ appId: 'app-whoami', hostname: 'whoami' });
    leases.push(lease);
    expect(await orch.registerApp(node, lease)).toEqual({ changed: true });
    expect(await orch.registerApp(node, lease)).toEqual({ changed: false });
    await createContainer(pve, node, { ostemplate: 'local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz', hostname: 'whoami', rootfs: 'local-lvm:1', unprivileged: true, nets: [apps.netDevice(node, lease)] }, { vmid: APP });
    await startContainer(pve, node, APP);
    const inet = await until('the app lease', async () => (await lab.emulator.callApi('GET', `/nodes/${node}/lxc/${APP}/interfaces`) as { name: string; inet?: string }[] | null)?.find((i) => i.name === 'eth0')?.inet, 20_000);
    expect(inet).toBe(`${lease.ip}/24`);
    expect(lease.ip >= plan.dhcpStart).toBe(true);
    const hosts = await until('whoami.prox.local resolves', async () => {
      const r = await sh(APP, 'getent', 'hosts', 'whoami.prox.local');
      return r.exitCode === 0 ? r.stdout : null;
    }, 20_000);
    expect(hosts.split(/\s+/)[0]).toBe(lease.ip);

    for (const argv of [['apk', 'add', 'docker', 'docker-cli-compose'], ['rc-service', 'docker', 'start'], ['mkdir', '-p', '/opt/whoami']]) {
      const r = await sh(APP, ...argv);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const push = await ssh.exec(['sh', '-c', 'f=$(mktemp) && cat > "$f" && pct push "$1" "$f" /opt/whoami/compose.yaml && rm -f "$f"', 'push', String(APP)], { stdin: COMPOSE });
    expect(push.exitCode).toBe(0);
    expect((await pctExec(ssh, APP, ['docker', 'compose', '-f', '/opt/whoami/compose.yaml', 'up', '-d'], { check: false, timeoutMs: 30_000 })).exitCode).toBe(0);

    routes = [{ hostname: 'whoami', containerIp: lease.ip, containerPort: 8080, publicPort: 30001, internalPort: 40001 }];
    expect(await orch.applyRoutes(node, routes)).toMatchObject({ changed: true });
    const wan = (await orch.wanAddress(node))!;
    const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(3000) });
    const pub = await until('the app through :30001', () => get(`http://${wan}:30001/`).catch(() => null));
    expect(pub.status).toBe(200);
    expect(pub.headers.get('x-frame-options')).toBe('DENY');
    const canvas = await get(`http://${wan}:40001/`);
    expect(canvas.status).toBe(200);
    expect(canvas.headers.get('x-frame-options')).toBeNull();
    expect(canvas.headers.get('content-security-policy')).toBeNull();
    expect(await orch.proxyStatus(node)).toMatchObject({ caddy: 'started', routes: [{ hostname: 'whoami', upstream: `${lease.ip}:8080`, upstreamAnswers: true }] });

    // NAT: from the app container, through the appliance, to the lab's "internet"
    expect(await orch.natTest(node)).toMatchObject({ ok: true, vmid: APP, gateway: plan.applianceAddress });

    // isolation: the node's API and SSH are refused from the app; from the node's LAN only Caddy's ports answer
    const mgmt = backend.managementAddress();
    for (const port of ['8006', '22']) {
      const r = await sh(APP, 'curl', '-sk', '-o', '/dev/null', '-m', '3', '-w', '%{http_code}', `https://${mgmt}:${port}/`);
      expect([r.exitCode, r.stdout]).toEqual([7, '000']);
    }
    const host = new LocalCommandExecutor();
    const inNode = (...argv: string[]) => host.exec(['ip', 'netns', 'exec', backend.nodeNetns(), ...argv], { timeoutMs: 10_000 });
    expect((await inNode('ip', 'route', 'replace', plan.subnet, 'via', wan)).code).toBe(0);
    try {
      expect((await inNode('curl', '-s', '-o', '/dev/null', '-m', '3', '-w', '%{http_code}', `http://${wan}:30001/`)).stdout).toBe('200');
      const direct = await inNode('curl', '-s', '-o', '/dev/null', '-m', '2', '-w', '%{http_code}', `http://${lease.ip}:8080/`);
      expect([direct.code, direct.stdout]).toEqual([28, '000']);
    } finally {
      await inNode('ip', 'route', 'del', plan.subnet);
    }
    // a hostile value never reaches a config; the live files keep serving
    const dnsmasqBefore = await applianceFile(APPLIANCE_PATHS.dnsmasqConf);
    await expect(orch.registerApp(node, { ...lease, appId: 'evil', hostname: 'evil\nserver=6.6.6.6', ip: '10.20.0.101', mac: '02:00:00:00:00:01' })).rejects.toMatchObject({ code: 'NETWORK_CONFIG_INVALID' });
    await expect(orch.applyRoutes(node, [{ ...routes[0]!, hostname: 'x\n}\n:2019 {' }])).rejects.toMatchObject({ code: 'PROXY_CONFIG_INVALID' });
    expect(await applianceFile(APPLIANCE_PATHS.dnsmasqConf)).toBe(dnsmasqBefore);
    expect((await get(`http://${wan}:30001/`)).status).toBe(200);
  }, SCENARIO_MS);

  it('health: a killed daemon shows within one interval; restart fixes it; auto-restart does it and audits it', async () => {
    const INTERVAL = 1000;
    core.settings.set('appliance.healthIntervalMs', INTERVAL);
    core.settings.set('appliance.autoRestart', false);
    const seen: ApplianceStatus[] = [];
    const off = core.events.on('appliance.changed', (s) => seen.push(s));
    // every check the monitor makes, with when it started and how long it took
    const checks: { startedAt: number; ms: number; status: ApplianceStatus }[] = [];
    const watched = {
      async status(n: string) {
        const startedAt = Date.now();
        const status = await orch.status(n);
        checks.push({ startedAt, ms: Date.now() - startedAt, status });
        return status;
      },
      restartServices: (n: string, services: readonly ('dnsmasq' | 'caddy')[]) => orch.restartServices(n, services),
    };
    const monitor = new ApplianceHealthMonitor({ appliances: watched, audit: core.audit, settings: core.settings });
    monitor.watch(node);
    monitor.start();
    try {
      const kill = (svc: string) => sh(VMID, 'sh', '-c', `kill -9 $(cat /run/${svc}.pid)`);
      await until('a first health check', async () => checks.length > 0, 30_000);
      expect((await kill('dnsmasq')).exitCode).toBe(0);
      const killedAt = Date.now();
      // the first check that starts after the kill reports it; it starts at most one interval after the check in
      // flight at the kill ended
      const first = await until('a check started after the kill', async () => checks.find((c) => c.startedAt > killedAt), 30_000);
      expect(first.status.services.dnsmasq).toBe('crashed');
      const longest = Math.max(...checks.map((c) => c.ms));
      expect(first.startedAt - killedAt).toBeLessThanOrEqual(INTERVAL + longest + 500);
      expect(seen.find((s) => s.services.dnsmasq === 'crashed')).toBeDefined();
      expect(seen.at(-1)).toMatchObject({ mode: 'fallback' });
      expect((await orch.restartServices(node, ['dnsmasq'])).services.dnsmasq).toBe('started');

      core.settings.set('appliance.autoRestart', true);
      expect((await kill('caddy')).exitCode).toBe(0);
      const entry = await until('the audited automatic restart', async () => core.audit.list({ limit: 20 }).find((a) => a.action === 'appliance.autoRestart'), 30_000);
      expect(entry).toMatchObject({ actor: 'health-monitor', target: node, details: { services: ['caddy'], after: ['started'] } });
      expect((await orch.status(node)).mode).toBe('appliance');
      monitor.unwatch(node);

      // routes applied while Caddy is down: the validated file goes in and Caddy starts from it
      expect((await sh(VMID, 'rc-service', 'caddy', 'stop')).exitCode).toBe(0);
      expect(await orch.applyRoutes(node, routes)).toMatchObject({ changed: false, routes: 1 });
      const wan = (await orch.wanAddress(node))!;
      const back = await until('Caddy serving again', () => fetch(`http://${wan}:30001/`, { signal: AbortSignal.timeout(3000) }).catch(() => null));
      expect(back.headers.get('x-frame-options')).toBe('DENY');
    } finally {
      off();
      await monitor.stop();
    }
    // every snapshot the orchestrator published is a valid contract event payload
    expect(seen.length).toBeGreaterThan(1);
    for (const s of seen) expect(events['appliance.changed'].payload.safeParse(s).success).toBe(true);
    const logs = await orch.logs(node, 'dnsmasq', 5);
    expect(logs.lines.length).toBeLessThanOrEqual(5);
  }, SCENARIO_MS);

  it('the contract channels reach the orchestrator through the IPC dispatcher', async () => {
    const d = createDispatcher(createHandlers({ core, runtime: 'electron', appName: 'Proximity', openExternal: async () => {}, appliances: () => orch }), {
      policy: createOriginPolicy(['app://proximity']),
      validateOutput: true,
    });
    const TOP = { isTopFrame: true, url: 'app://proximity/index.html' };
    expect(await d.dispatch('appliance.status', { node }, TOP)).toMatchObject({ ok: true, value: { mode: 'appliance', node, vmid: VMID, leases: { configured: 1 } } });
    expect(await d.dispatch('proxy.status', { node }, TOP)).toMatchObject({ ok: true, value: { routes: [{ hostname: 'whoami', upstreamAnswers: true }] } });
    expect(await d.dispatch('appliance.logs', { node, service: 'caddy', lines: 501 }, TOP)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await d.dispatch('appliance.logs', { node, service: 'caddy', lines: 3 }, TOP)).toMatchObject({ ok: true, value: { service: 'caddy' } });
    expect(await d.dispatch('appliance.natTest', { node, vmid: APP, url: backend.subnet.internetUrl }, TOP)).toMatchObject({ ok: true, value: { ok: true } });
    expect(await d.dispatch('appliance.restartServices', { node, services: ['dnsmasq'] }, TOP)).toMatchObject({ ok: true, value: { services: { dnsmasq: 'started' } } });
    const started = await d.dispatch('appliance.provision', { node }, TOP);
    expect(started.ok).toBe(true);
    const op = await core.operations.settled((started as { ok: true; value: { operationId: string } }).value.operationId);
    expect(op).toMatchObject({ state: 'succeeded', kind: 'appliance.provision', target: node });

    // the app goes away: its lease and name leave dnsmasq (the store no longer has it either)
    leases.splice(0);
    expect(await orch.unregisterApp(node, 'app-whoami')).toEqual({ changed: true });
    expect(await applianceFile(APPLIANCE_PATHS.dnsmasqConf)).not.toContain('whoami');
    expect(await orch.unregisterApp(node, 'app-whoami')).toEqual({ changed: false });
  }, SCENARIO_MS);
});

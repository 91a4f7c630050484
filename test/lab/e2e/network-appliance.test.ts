// Acceptance (b): a network appliance built through the API and pct only, as Proximity will automate it, with
// every config file coming from the product's generators (src-main/core/network, src-main/core/proxy): an
// isolated bridge, a two-NIC container running the real dnsmasq (DHCP/DNS for .prox.local, a static lease per
// app), Caddy (public port with the app's headers, canvas port without frame-busting headers, applied by
// ReverseProxyManager: validate, swap, graceful reload) and the iptables rules (NAT, forward policy, isolation);
// then an app container on the isolated bridge that gets its reserved lease, resolves names, runs a compose app
// (docker stand-in), is reachable from the host through Caddy only, and reaches the upstream only while NAT is on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLIANCE_PATHS, applianceNetworkFiles } from '../../../src-main/core/network/appliance-files';
import { LinuxBridgeAppNetwork, type AppLease } from '../../../src-main/core/network/app-network';
import { LocalCommandExecutor, type CommandExecutor } from '../../../src-main/core/network/command-executor';
import { planLan } from '../../../src-main/core/network/network-settings';
import { accessUrlsFor } from '../../../src-main/core/proxy/access-urls';
import type { ProxyRoute } from '../../../src-main/core/proxy/proxy-route';
import { CADDYFILE_PATH, ReverseProxyManager } from '../../../src-main/core/proxy/reverse-proxy-manager';
import { cmd } from '../node/ssh-client';
import { ALPINE, ALPINE_VOLID, apiInet, canRunNetns, startE2eLab, until, type E2eLab } from './lab-fixture';

const plan = planLan(); // proxlan, 10.20.0.0/24, appliance 10.20.0.1, DHCP .100-.250, prox.local
const APPLIANCE = 300;
const APP = 301;

const COMPOSE = `name: whoami
services:
  web:
    image: ghcr.io/example/whoami:1.0
    ports:
      - "8080:80"
    restart: unless-stopped
`;

// Each scenario is dozens of SSH round trips, each starting Node processes in the containers: about 10 s on an
// idle 2-core machine, twice that under load. Every wait inside is bounded on its own; this only caps the total.
const SCENARIO_MS = 120_000;

async function get(url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(3000) });
}

describe.skipIf(!canRunNetns)('lab e2e: network appliance from the generators', () => {
  let e: E2eLab;
  let wan = '';
  let lease: AppLease;
  let route: ProxyRoute;
  let proxy: ReverseProxyManager;
  const apps = new LinuxBridgeAppNetwork(plan);
  /** The product's executor shape, here over the node's SSH + `pct exec` into the appliance. */
  const inAppliance: CommandExecutor = {
    async exec(argv, opts = {}) {
      const r = await e.sh(cmd('pct', 'exec', String(APPLIANCE), '--', ...argv), { stdin: opts.stdin, timeoutMs: opts.timeoutMs ?? 30_000 });
      return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
  const host = new LocalCommandExecutor();
  const inNode = (...argv: string[]) => host.exec(['ip', 'netns', 'exec', e.backend.nodeNetns(), ...argv], { timeoutMs: 10_000 });
  const caddyfile = () => e.pct('exec', String(APPLIANCE), '--', 'cat', CADDYFILE_PATH);

  beforeAll(async () => {
    e = await startE2eLab();
    expect((await e.sh(`pveam download local ${ALPINE}`, { timeoutMs: 30_000 })).code).toBe(0);
    proxy = new ReverseProxyManager(inAppliance);
  });
  afterAll(async () => {
    await e?.close();
  });

  it('builds the appliance, serves an app through Caddy and NATs it to the upstream', async () => {
    const n = e.node;
    // PVE's `pve-iface` format has no '-': the architecture's "proximity-lan" is not a valid bridge name
    await expect(e.api('POST', `/nodes/${n}/network`, { iface: 'proximity-lan', type: 'bridge' })).rejects.toMatchObject({ status: 400 });
    await e.api('POST', `/nodes/${n}/network`, { iface: apps.bridgeFor(n), type: 'bridge', autostart: '1', comments: 'Proximity LAN' });
    await e.task('PUT', `/nodes/${n}/network`);

    // ---- the appliance ----------------------------------------------------------------------------------
    await e.task('POST', `/nodes/${n}/lxc`, {
      vmid: String(APPLIANCE), ostemplate: ALPINE_VOLID, hostname: 'proximity-appliance', unprivileged: '1', rootfs: 'local-lvm:1',
      net0: 'name=eth0,bridge=vmbr0,ip=dhcp', net1: `name=${plan.settings.lanInterface},bridge=${plan.bridge},ip=${plan.applianceCidr}`,
    });
    await e.pct('start', String(APPLIANCE));
    wan = (await until('the appliance lease on vmbr0', () => apiInet(e, APPLIANCE, 'eth0'))).split('/')[0]!;
    expect(await apiInet(e, APPLIANCE, 'eth1')).toBe('10.20.0.1/24');

    const apk = await e.pct('exec', String(APPLIANCE), '--', 'apk', 'add', 'dnsmasq', 'caddy', 'iptables');
    expect(apk).toMatch(/Installing dnsmasq \(/);
    // the app's stable place on the LAN is reserved before its container exists; dnsmasq learns it up front
    lease = apps.reserve({ appId: 'app-whoami', hostname: 'whoami' });
    const management = e.backend.managementAddress();
    const files = applianceNetworkFiles(plan, apps.leases(), { managementAddresses: [management] });
    await e.pct('exec', String(APPLIANCE), '--', 'mkdir', '-p', ...files.map((f) => f.path.slice(0, f.path.lastIndexOf('/'))));
    for (const f of files) await e.push(APPLIANCE, f.path, f.content, f.mode);
    expect(await e.pct('exec', String(APPLIANCE), '--', 'rc-service', 'sysctl', 'start')).toContain('[ ok ]');
    expect((await e.pct('exec', String(APPLIANCE), '--', 'cat', '/proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');
    expect(await e.pct('exec', String(APPLIANCE), '--', 'rc-service', 'iptables', 'start')).toContain('[ ok ]');
    expect(await e.pct('exec', String(APPLIANCE), '--', 'iptables', '-t', 'nat', '-S', 'POSTROUTING')).toContain('-A POSTROUTING -s 10.20.0.0/24 -o eth0 -j MASQUERADE');
    expect(await e.pct('exec', String(APPLIANCE), '--', 'rc-service', 'dnsmasq', 'start')).toBe(' * Starting dnsmasq ... [ ok ]\n');
    expect(await e.pct('exec', String(APPLIANCE), '--', 'rc-service', 'dnsmasq', 'status')).toBe(' * status: started\n');

    // ---- the app container on the isolated bridge: it gets exactly its reserved lease --------------------
    await e.task('POST', `/nodes/${n}/lxc`, {
      vmid: String(APP), ostemplate: ALPINE_VOLID, hostname: lease.hostname, unprivileged: '1', rootfs: 'local-lvm:1', net0: apps.netDevice(n, lease),
    });
    await e.pct('start', String(APP));
    expect(await until('the app lease from the appliance', () => apiInet(e, APP, 'eth0'))).toBe(`${lease.ip}/24`);
    expect(lease.ip).toBe('10.20.0.100');
    const hosts = await until('whoami.prox.local in the appliance DNS', async () => {
      const r = await e.sh(`pct exec ${APP} -- getent hosts whoami.prox.local`);
      return r.code === 0 ? r.stdout : null;
    }, 20_000);
    expect(hosts.split(/\s+/)[0]).toBe(lease.ip);

    // docker is not there before apk installs it
    expect((await e.sh(`pct exec ${APP} -- docker --version`)).code).toBe(127);
    await e.pct('exec', String(APP), '--', 'apk', 'add', 'docker', 'docker-cli-compose');
    await e.pct('exec', String(APP), '--', 'rc-update', 'add', 'docker', 'default');
    await e.pct('exec', String(APP), '--', 'rc-service', 'docker', 'start');
    await e.pct('exec', String(APP), '--', 'mkdir', '-p', '/opt/whoami');
    await e.push(APP, '/opt/whoami/compose.yaml', COMPOSE);
    const up = await e.sh(`pct exec ${APP} -- docker compose -f /opt/whoami/compose.yaml up -d`, { timeoutMs: 20_000 });
    expect(up.code, up.stderr).toBe(0);
    expect(await e.pct('exec', String(APP), '--', 'docker', 'compose', '-f', '/opt/whoami/compose.yaml', 'ps')).toContain('0.0.0.0:8080->80/tcp');

    // ---- Caddy: started on the generated (empty) config, then the app's routes applied gracefully ---------
    await e.push(APPLIANCE, CADDYFILE_PATH, proxy.generate([]));
    const caddy = await e.sh(`pct exec ${APPLIANCE} -- rc-service caddy start`, { timeoutMs: 30_000 });
    expect(caddy.stdout + caddy.stderr).toContain('[ ok ]');
    route = { hostname: lease.hostname, containerIp: lease.ip, containerPort: 8080, publicPort: 30001, internalPort: 40001 };
    expect(await proxy.apply([route])).toMatchObject({ changed: true, previousPath: `${CADDYFILE_PATH}.previous` });
    expect(await caddyfile()).toBe(proxy.generate([route]));
    expect(await proxy.apply([route])).toMatchObject({ changed: false });

    const urls = accessUrlsFor({ hostname: lease.hostname, containerIp: lease.ip, containerPort: 8080, ports: { public: 30001, internal: 40001 } }, { wanIp: wan, domain: plan.domain });
    const pub = await until('Caddy on :30001', () => get(`${urls.public}/`).catch(() => null));
    expect(pub.status).toBe(200);
    expect(pub.headers.get('x-frame-options')).toBe('DENY');
    expect(pub.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(await pub.text()).toContain('ghcr.io/example/whoami:1.0');
    const canvas = await get(`${urls.canvas}/login`);
    expect(canvas.status).toBe(200);
    expect(canvas.headers.get('x-frame-options')).toBeNull();
    expect(canvas.headers.get('content-security-policy')).toBeNull();
    expect(canvas.headers.get('set-cookie')).toMatch(/^lab_session=/);

    // a hostile value never reaches the appliance: nothing is written, the last good config keeps serving
    await expect(proxy.apply([{ ...route, hostname: 'whoami\n}\n:2019 {' }])).rejects.toMatchObject({ code: 'PROXY_CONFIG_INVALID' });
    expect(await caddyfile()).toBe(proxy.generate([route]));
    expect((await get(`${urls.public}/`)).status).toBe(200);

    // ---- isolation: the node's management addresses are out of the app's reach (the appliance reaches them)
    const toNode = (vmid: number) => e.sh(`pct exec ${vmid} -- curl -sk -o /dev/null -m 3 -w '%{http_code}' https://${management}:8006/api2/json/version`);
    expect((await toNode(APPLIANCE)).stdout).toBe('401');
    const blocked = await toNode(APP);
    expect([blocked.code, blocked.stdout]).toEqual([7, '000']); // rejected at once: "connection refused"
    // nor the appliance's own admin side: only DHCP, DNS and Caddy's port ranges answer on its LAN address
    const admin = await e.sh(`pct exec ${APP} -- curl -s -o /dev/null -m 3 -w '%{http_code}' http://${plan.applianceAddress}:2019/config/`);
    expect([admin.code, admin.stdout]).toEqual([7, '000']);
    expect((await e.sh(`pct exec ${APP} -- curl -s -o /dev/null -m 3 -w '%{http_code}' http://${plan.applianceAddress}:30001/`)).stdout).toBe('200');
    // from vmbr0 (the node, with a route to the LAN through the appliance) only Caddy's ports answer
    expect((await inNode('ip', 'route', 'replace', plan.subnet, 'via', wan)).code).toBe(0);
    expect((await inNode('curl', '-s', '-o', '/dev/null', '-m', '3', '-w', '%{http_code}', `${urls.public}/`)).stdout).toBe('200');
    const direct = await inNode('curl', '-s', '-o', '/dev/null', '-m', '2', '-w', '%{http_code}', `${urls.direct}/`);
    expect([direct.code, direct.stdout]).toEqual([28, '000']); // dropped by the forward policy
    await inNode('ip', 'route', 'del', plan.subnet);

    // ---- NAT: the app reaches the upstream only while MASQUERADE is on ------------------------------------
    const internet = e.backend.subnet.internetUrl;
    const curl = (timeout: string) => e.sh(`pct exec ${APP} -- curl -s -o /dev/null -m ${timeout} -w '%{http_code}' ${internet}`);
    const withNat = await curl('8');
    expect([withNat.code, withNat.stdout], withNat.stderr).toEqual([0, '200']);
    const masquerade = ['POSTROUTING', '-s', plan.subnet, '-o', 'eth0', '-j', 'MASQUERADE'];
    await e.pct('exec', String(APPLIANCE), '--', 'iptables', '-t', 'nat', '-D', ...masquerade);
    const withoutNat = await curl('1');
    expect(withoutNat.code).not.toBe(0);
    expect(withoutNat.stdout).toBe('000');
    // apk really goes to the mirror: without NAT its name still resolves (the appliance's dnsmasq forwards) but
    // the fetch gets no answer, as on a host whose appliance does not masquerade yet (issue 12, failure 4)
    const apkNoNat = await e.sh(`pct exec ${APP} -- apk add --no-cache --timeout 1 curl`);
    expect(apkNoNat.code).toBe(1);
    expect(apkNoNat.stderr).toContain('WARNING: fetching https://dl-cdn.alpinelinux.org/alpine/v3.20/main: operation timed out\n');
    // the saved (generated) rules bring it back
    expect(await e.pct('exec', String(APPLIANCE), '--', 'rc-service', 'iptables', 'reload')).toContain('[ ok ]');
    expect((await curl('8')).stdout).toBe('200');
  }, SCENARIO_MS);

  it('comes back after reboots: enabled services start at boot, the saved generated rules are restored', async () => {
    const A = String(APPLIANCE);
    expect(await e.pct('exec', A, '--', 'cat', APPLIANCE_PATHS.iptablesRules)).toContain('-A POSTROUTING -s 10.20.0.0/24 -o eth0 -j MASQUERADE');
    for (const [svc, level] of [['sysctl', 'boot'], ['iptables', 'default'], ['dnsmasq', 'default'], ['caddy', 'default']] as const) {
      expect(await e.pct('exec', A, '--', 'rc-update', 'add', svc, level)).toBe(` * service ${svc} added to runlevel ${level}\n`);
    }
    await e.pct('stop', A);
    await expect(get(`http://${wan}:30001/`)).rejects.toThrow();
    await e.pct('start', A);
    const again = await until('Caddy back on :30001 after the appliance reboot', () => get(`http://${wan}:30001/`).catch(() => null));
    expect(again.headers.get('x-frame-options')).toBe('DENY');
    await e.backend.waitBooted(e.node, APPLIANCE, 20_000); // lab-boot records "started" after caddy answers
    const status = await e.pct('exec', A, '--', 'rc-status');
    for (const svc of ['iptables', 'dnsmasq', 'caddy']) expect(status).toMatch(new RegExp(`^ ${svc} +\\[  started  \\]$`, 'm'));
    expect((await e.pct('exec', A, '--', 'cat', '/proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');
    const nat = await e.sh(`pct exec ${APP} -- curl -s -o /dev/null -m 3 -w '%{http_code}' ${e.backend.subnet.internetUrl}`);
    expect(nat.stdout).toBe('200');

    // the app container: the docker service is enabled, its compose service has restart: unless-stopped
    await e.pct('stop', String(APP));
    await e.pct('start', String(APP));
    expect(await until('the app lease after its reboot', () => apiInet(e, APP, 'eth0'))).toBe(`${lease.ip}/24`);
    const app = await until('the compose app back behind Caddy', async () => {
      const r = await get(`http://${wan}:40001/`).catch(() => null);
      return r?.status === 200 ? r : null;
    });
    expect(app.headers.get('x-frame-options')).toBeNull();
    expect(await app.text()).toContain('ghcr.io/example/whoami:1.0');
  }, SCENARIO_MS);
});

// A preview of the network appliance on the netns backend: API-created bridges, a two-NIC container doing
// ip_forward + MASQUERADE for a container behind it, dnsmasq and Caddy running inside a container.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetnsBackend, type NetnsBackend } from './netns-backend';
import { canRunNetns, ctSpec, execIn, makeUserland, shIn } from './netns-test-kit';
import { run, waitFor } from './run';

const APPLIANCE = 300;
const CLIENT = 301;
const DHCP_CLIENT = 302;
const LAN = 'proximity-lan';

const tenTwenty = (routes: string) => routes.split('\n').filter((l) => l.includes('10.20.0.'));

describe.skipIf(!canRunNetns)('netns backend: appliance preview (bridges, NAT, dnsmasq, caddy)', () => {
  let lab: NetnsBackend;
  let userland: ReturnType<typeof makeUserland>;
  let hostNatBefore: string;
  let hostForwardBefore: string;
  let hostRoutesBefore: string[];
  let applianceIp: string;
  const appliance = () =>
    ctSpec(APPLIANCE, [
      { index: 0, bridge: 'vmbr0', ip: 'dhcp' },
      { index: 1, bridge: LAN, ip: '10.20.0.1/24' },
    ]);
  const client = () => ctSpec(CLIENT, [{ index: 0, bridge: LAN, ip: '10.20.0.5/24', gw: '10.20.0.1' }]);

  beforeAll(async () => {
    // The host's own settings are whatever the machine has (a Docker host forwards, for one): compare, not assume.
    hostNatBefore = (await run(['iptables-save', '-t', 'nat'], { allowFail: true })).stdout;
    hostForwardBefore = fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
    hostRoutesBefore = tenTwenty((await run(['ip', 'route'])).stdout);
    userland = makeUserland();
    lab = createNetnsBackend({ userlandBinDir: userland.dir });
    await lab.init(['pve']);
    await Promise.all([appliance(), client()].map((s) => lab.createContainer(s)));
  });

  afterAll(async () => {
    await lab?.close();
    userland?.cleanup();
  });

  it('creates API bridges only in applyBridges, with the node address from cidr', async () => {
    await expect(lab.startContainer(client())).rejects.toThrow(`bridge '${LAN}' does not exist`);
    expect(lab.isRunning('pve', CLIENT)).toBe(false);
    await lab.applyBridges('pve', [
      { node: 'pve', iface: 'vmbr0', cidr: lab.subnet.management + '/24' },
      { node: 'pve', iface: LAN },
      { node: 'pve', iface: 'labtest0', cidr: '10.99.0.254/24' },
    ]);
    const links = (await run(['ip', '-n', lab.nodeNetns(), '-br', 'addr'])).stdout;
    expect(links).toMatch(new RegExp(`^${LAN}\\s`, 'm'));
    expect(links).toMatch(/^labtest0\s+\S+\s+10\.99\.0\.254\/24/m);
    expect(links).toMatch(new RegExp(`^vmbr0\\s+\\S+\\s+${lab.subnet.management.replace(/\./g, '\\.')}/24`, 'm'));
    await lab.applyBridges('pve', [{ node: 'pve', iface: LAN }]);
    const after = (await run(['ip', '-n', lab.nodeNetns(), '-br', 'link'])).stdout;
    expect(after).not.toContain('labtest0');
    expect(after).toMatch(/^vmbr0\s/m);
    await expect(lab.applyBridges('pve', [{ node: 'pve', iface: 'a-name-far-too-long' }])).rejects.toThrow(/15/);
    // The host namespace gets no bridge of the lab's.
    expect((await run(['ip', '-br', 'link'])).stdout).not.toContain(LAN);
  });

  it('forwards the client to the internet only while the appliance masquerades', async () => {
    await Promise.all([lab.startContainer(appliance()), lab.startContainer(client())]);
    const eth0 = await waitFor('appliance lease', async () =>
      (await lab.interfaces('pve', APPLIANCE))?.find((i) => i.name === 'eth0' && i.inet),
      { timeoutMs: 10_000 },
    );
    applianceIp = eth0.inet!.split('/')[0];
    const url = lab.subnet.internetUrl;
    const fetchFromClient = (seconds = '0.5') =>
      execIn(lab, CLIENT, ['curl', '-sS', '--connect-timeout', seconds, '-m', seconds, url]);

    expect(await shIn(lab, APPLIANCE, 'cat /proc/sys/net/ipv4/ip_forward')).toBe('0\n');
    expect((await fetchFromClient()).code).not.toBe(0);
    await shIn(lab, APPLIANCE, 'sysctl -w net.ipv4.ip_forward=1');
    // Forwarded but not translated: the upstream has no route back to 10.20.0.0/24.
    expect((await fetchFromClient()).code).not.toBe(0);
    await shIn(lab, APPLIANCE, 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE');
    const ok = await fetchFromClient('5');
    expect(ok.stdout).toBe(`lab-internet ok ${applianceIp}\n`);
    await shIn(lab, APPLIANCE, 'iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE');
    expect((await fetchFromClient()).code).not.toBe(0);

    // None of it touched the host namespace.
    expect(fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(hostForwardBefore);
    const hostNat = (await run(['iptables-save', '-t', 'nat'], { allowFail: true })).stdout;
    expect(hostNat.replace(/^#.*\n/gm, '')).toBe(hostNatBefore.replace(/^#.*\n/gm, ''));
    expect(tenTwenty((await run(['ip', 'route'])).stdout)).toEqual(hostRoutesBefore);
  });

  it('lets dnsmasq in the appliance answer DHCP and DNS for containers on its bridge', async () => {
    await shIn(
      lab,
      APPLIANCE,
      [
        'mkdir -p /var/lib/misc && dnsmasq --conf-file=/dev/null --interface=eth1 --bind-dynamic',
        '--no-ping --dhcp-range=10.20.0.100,10.20.0.150,1h --dhcp-option=option:router,10.20.0.1',
        '--dhcp-option=option:dns-server,10.20.0.1 --domain=prox.local --local=/prox.local/ --no-resolv',
        '--pid-file=/run/dnsmasq.pid --dhcp-leasefile=/var/lib/misc/dnsmasq.leases >/var/log/dnsmasq.log 2>&1',
      ].join(' '),
    );
    const spec = ctSpec(DHCP_CLIENT, [{ index: 0, bridge: LAN, ip: 'dhcp' }]);
    await lab.createContainer(spec);
    await lab.startContainer(spec);
    const eth0 = await waitFor('lease from the appliance', async () =>
      (await lab.interfaces('pve', DHCP_CLIENT))?.find((i) => i.name === 'eth0' && i.inet),
      { timeoutMs: 10_000 },
    );
    expect(eth0.inet).toMatch(/^10\.20\.0\.1([0-4]\d|50)\/24$/);
    expect(await shIn(lab, DHCP_CLIENT, 'cat /etc/resolv.conf')).toBe('search prox.local\nnameserver 10.20.0.1\n');
    // dnsmasq registered the DHCP client's hostname under the domain.
    const resolved = await waitFor('DNS name of the DHCP client', async () => {
      const r = await execIn(lab, DHCP_CLIENT, ['getent', 'hosts', `ct${DHCP_CLIENT}.prox.local`]);
      return r.code === 0 ? r.stdout : null;
    }, { timeoutMs: 10_000 });
    expect(resolved).toContain(eth0.inet!.split('/')[0]);
  });

  it('runs caddy inside a container, reachable from the host on vmbr0', async () => {
    await shIn(lab, APPLIANCE, `mkdir -p /etc/caddy && printf ':8081 {\\n  respond "caddy ok {remote_host}"\\n}\\n' > /etc/caddy/Caddyfile`);
    await shIn(lab, APPLIANCE, 'caddy start --config /etc/caddy/Caddyfile --adapter caddyfile >/var/log/caddy.log 2>&1', 20_000);
    const res = await fetch(`http://${applianceIp}:8081/`, { signal: AbortSignal.timeout(5_000) });
    expect(await res.text()).toBe(`caddy ok ${lab.subnet.host}`);
  });
});

// The LAN's upstream: what a home/office router is to a PVE node. It lives in its own namespace on the LAN
// switch at 198.18.S.1 and serves DHCP (198.18.S.100-199), DNS (a few local names, NXDOMAIN for everything
// else, never forwarding to real resolvers), is the default gateway, and runs the HTTP endpoint that stands
// for "the internet" (it answers with the client's source address, so NAT tests can see masquerading).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NsAgent } from './ns-agent';
import type { LabSubnet } from './slots';

export interface UpstreamOptions {
  prefix: string;
  netns: string;
  /** the switch bridge inside `netns` carrying the gateway address */
  iface: string;
  subnet: LabSubnet;
  runDir: string;
  /** extra DNS names, e.g. node names -> management addresses */
  hosts: Record<string, string>;
}

export const LAB_DOMAIN = 'lab';
/** Names on "the internet" that the upstream DNS answers with the internet endpoint's address. */
export const INTERNET_NAMES = ['dl-cdn.alpinelinux.org'];

export class Upstream {
  private constructor(
    private readonly dnsmasq: ChildProcess,
    private readonly agent: NsAgent,
  ) {}

  static async start(o: UpstreamOptions): Promise<Upstream> {
    const [dnsmasq, agent] = await Promise.all([
      startDnsmasq(o),
      NsAgent.start(o.netns, `${o.prefix}-internet`),
    ]);
    try {
      await agent.request('internet', { host: o.subnet.gateway, port: 80 });
    } catch (e) {
      dnsmasq.kill('SIGKILL');
      await agent.stop();
      throw e;
    }
    return new Upstream(dnsmasq, agent);
  }

  async stop(): Promise<void> {
    const d = this.dnsmasq;
    const gone = d.exitCode === null && d.signalCode === null ? new Promise((r) => d.once('exit', r)) : null;
    this.dnsmasq.kill('SIGKILL');
    await Promise.all([gone, this.agent.stop()]);
  }
}

function dnsmasqArgs(o: UpstreamOptions): string[] {
  const base = o.subnet.gateway.split('.').slice(0, 3).join('.');
  const names: Record<string, string> = {
    [`internet.${LAB_DOMAIN}`]: o.subnet.gateway,
    [`gateway.${LAB_DOMAIN}`]: o.subnet.gateway,
    // The Alpine package mirror is "on the internet": the lab's internet endpoint answers for it (the apk
    // stand-in resolves it and fetches APKINDEX from there, so broken DNS or NAT really breaks `apk add`).
    ...Object.fromEntries(INTERNET_NAMES.map((name) => [name, o.subnet.gateway])),
    ...o.hosts,
  };
  return [
    '--conf-file=/dev/null',
    '--keep-in-foreground',
    '--log-facility=-',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    // Everything not defined here is answered NXDOMAIN locally: the lab never asks a real resolver.
    '--local=/#/',
    `--interface=${o.iface}`,
    '--except-interface=lo',
    '--bind-dynamic',
    '--user=root',
    '--group=root',
    `--domain=${LAB_DOMAIN}`,
    `--dhcp-range=${base}.100,${base}.199,255.255.255.0,1h`,
    `--dhcp-option=option:router,${o.subnet.gateway}`,
    `--dhcp-option=option:dns-server,${o.subnet.gateway}`,
    '--dhcp-authoritative',
    // The ping check delays every offer by seconds; the lab hands out addresses it knows are free.
    '--no-ping',
    `--dhcp-leasefile=${path.join(o.runDir, 'upstream.leases')}`,
    `--pid-file=${path.join(o.runDir, 'upstream-dnsmasq.pid')}`,
    ...Object.entries(names).map(([name, addr]) => `--host-record=${name},${addr}`),
  ];
}

async function startDnsmasq(o: UpstreamOptions, timeoutMs = 10_000): Promise<ChildProcess> {
  const logFile = path.join(o.runDir, 'upstream-dnsmasq.log');
  // setpriv --pdeathsig: the LAN's DHCP server dies with the lab process even if that one crashes.
  const child = spawn('ip', ['netns', 'exec', o.netns, 'setpriv', '--pdeathsig', 'KILL', '--', 'dnsmasq', ...dnsmasqArgs(o)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`upstream dnsmasq did not start within ${timeoutMs} ms: ${log}`));
    }, timeoutMs);
    // dnsmasq queues its log until its sockets are bound, so the first "started" line means it is serving.
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      log += d;
      fs.appendFileSync(logFile, d);
      if (/started, version/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`upstream dnsmasq exited (${code}): ${log}`));
    });
  });
  return child;
}

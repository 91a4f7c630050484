// The netns backend with real namespaces: DHCP and static addressing on vmbr0, exec, private filesystems,
// daemons' lifetime, host reachability, lab-boot and the management relay. One lab for the whole file.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetnsBackend, type NetnsBackend } from './netns-backend';
import { canRunNetns, ctSpec, execIn, mac, makeUserland, shIn } from './netns-test-kit';
import { run, waitFor } from './run';

const DHCP = 200;
const STATIC = 201;

/**
 * Host pids of processes in the named network namespace whose command line contains `needle`. Only that
 * namespace counts: another lab on the machine (a parallel test run) may run the very same command.
 */
function hostPidsWith(needle: string, netns: string): number[] {
  const ns = `net:[${fs.statSync(`/run/netns/${netns}`).ino}]`;
  return fs.readdirSync('/proc').filter((p) => {
    if (!/^\d+$/.test(p)) return false;
    try {
      return fs.readlinkSync(`/proc/${p}/ns/net`) === ns && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').includes(needle);
    } catch {
      return false;
    }
  }).map(Number);
}

function living(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

describe.skipIf(!canRunNetns)('netns backend: containers on vmbr0', () => {
  let lab: NetnsBackend;
  let userland: ReturnType<typeof makeUserland>;
  let base: string;
  const staticSpec = () =>
    ctSpec(STATIC, [{ index: 0, bridge: 'vmbr0', ip: `${base}.50/24`, gw: `${base}.1`, mtu: 1400, name: 'lan0' }]);

  beforeAll(async () => {
    userland = makeUserland('#!/bin/sh\n# lab-boot stand-in: proves it ran inside, after the network\nip -4 -o addr > /run/lab-booted\n');
    lab = createNetnsBackend({ userlandBinDir: userland.dir });
    base = lab.subnet.gateway.replace(/\.1$/, '');
    await lab.init(['pve']);
    const dhcp = ctSpec(DHCP, [{ index: 0, bridge: 'vmbr0', ip: 'dhcp' }]);
    await Promise.all([lab.createContainer(dhcp), lab.createContainer(staticSpec())]);
    await Promise.all([lab.startContainer(dhcp), lab.startContainer(staticSpec())]);
  });

  afterAll(async () => {
    await lab?.close();
    userland?.cleanup();
  });

  it('names everything after its slot', () => {
    expect(lab.prefix).toBe(`pxl${lab.slot}`);
    expect(lab.subnet).toEqual({
      cidr: `198.18.${lab.slot}.0/24`,
      gateway: `198.18.${lab.slot}.1`,
      host: `198.18.${lab.slot}.254`,
      management: `198.18.${lab.slot}.2`,
      internetUrl: `http://198.18.${lab.slot}.1/`,
    });
    expect(lab.managementAddress('pve')).toBe(lab.subnet.management);
  });

  it('gives an ip=dhcp container a lease from the LAN, visible in interfaces() and inside', async () => {
    const eth0 = await waitFor('a DHCP lease', async () =>
      (await lab.interfaces('pve', DHCP))?.find((i) => i.name === 'eth0' && i.inet),
      { timeoutMs: 10_000 },
    );
    expect(eth0.inet).toMatch(new RegExp(`^${base.replace(/\./g, '\\.')}\\.1\\d\\d/24$`));
    expect(eth0.hwaddr).toBe(mac(DHCP, 0).toLowerCase());
    expect(eth0['hardware-address']).toBe(eth0.hwaddr);
    const all = (await lab.interfaces('pve', DHCP))!;
    expect(all.find((i) => i.name === 'lo')?.inet).toBe('127.0.0.1/8');
    expect(await shIn(lab, DHCP, 'ip -4 -o addr show dev eth0')).toContain(` ${eth0.inet} `);
    expect(await shIn(lab, DHCP, 'ip route show default')).toContain(`default via ${base}.1 dev eth0`);
    // resolv.conf comes from the DHCP DNS/domain options; the upstream answers local names, NXDOMAIN otherwise.
    const resolv = await shIn(lab, DHCP, 'cat /etc/resolv.conf');
    expect(resolv).toContain(`nameserver ${base}.1`);
    expect(resolv).toContain('search lab');
    expect(await shIn(lab, DHCP, 'getent hosts internet.lab')).toContain(`${base}.1`);
    expect((await execIn(lab, DHCP, ['getent', 'hosts', 'example.com'])).code).not.toBe(0);
    expect(await shIn(lab, DHCP, 'curl -sS -m 5 http://internet.lab/')).toBe(`lab-internet ok ${eth0.inet!.split('/')[0]}\n`);
  });

  it('configures static ip and gw, and the host reaches a daemon that outlives its exec until stop', async () => {
    const lan0 = (await lab.interfaces('pve', STATIC))!.find((i) => i.name === 'lan0');
    expect(lan0?.inet).toBe(`${base}.50/24`);
    expect(await shIn(lab, STATIC, 'ip route show default')).toContain(`default via ${base}.1 dev lan0`);
    expect(await shIn(lab, STATIC, 'cat /sys/class/net/lan0/mtu')).toBe('1400\n');
    expect((await run(['ip', '-n', lab.nodeNetns(), '-o', 'link', 'show', `veth${STATIC}i0`])).stdout).toMatch(
      /mtu 1400 .* master vmbr0 /,
    );
    fs.mkdirSync(lab.containerPath('pve', STATIC, '/srv/www-201'), { recursive: true });
    fs.writeFileSync(lab.containerPath('pve', STATIC, '/srv/www-201/index.html'), 'hello from 201\n');
    // busybox httpd daemonizes: the exec returns while the server keeps running inside the container.
    await shIn(lab, STATIC, 'busybox httpd -p 8080 -h /srv/www-201');
    const body = await waitFor('httpd answering', () =>
      fetch(`http://${base}.50:8080/`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.text(), () => null),
    );
    expect(body).toBe('hello from 201\n');
    const httpd = hostPidsWith('httpd -p 8080 -h /srv/www-201', lab.containerNetns('pve', STATIC)!);
    expect(httpd).toHaveLength(1);

    await lab.stopContainer('pve', STATIC);
    expect(lab.isRunning('pve', STATIC)).toBe(false);
    expect(await lab.interfaces('pve', STATIC)).toBeNull();
    expect(() => lab.containerExecArgv('pve', STATIC, ['true'])).toThrow(/CT 201 not running/);
    expect(httpd.filter(living)).toEqual([]);
    expect((await run(['ip', 'netns', 'list'])).stdout).not.toContain(`${lab.prefix}-ct${STATIC}`);
    expect((await run(['ip', '-n', lab.nodeNetns(), '-br', 'link'])).stdout).not.toContain(`veth${STATIC}i0`);

    // Files survive a restart; /run does not (it is a tmpfs on a real container).
    fs.writeFileSync(lab.containerPath('pve', STATIC, '/run/stale.pid'), '42\n');
    await lab.startContainer(staticSpec());
    expect(await shIn(lab, STATIC, 'cat /srv/www-201/index.html; ls /run/stale.pid 2>&1 || true')).toMatch(
      /^hello from 201\n.*No such file/s,
    );
    expect((await lab.interfaces('pve', STATIC))!.find((i) => i.name === 'lan0')?.inet).toBe(`${base}.50/24`);
  });

  it('gives every container a private filesystem and maps paths for push/pull safely', async () => {
    await shIn(lab, DHCP, 'echo secret-200 > /root/note && echo tmp-200 > /tmp/t && mkdir -p /opt/x');
    expect((await execIn(lab, STATIC, ['cat', '/root/note'])).code).not.toBe(0);
    expect((await execIn(lab, STATIC, ['cat', '/tmp/t'])).code).not.toBe(0);
    expect(fs.readFileSync(lab.containerPath('pve', DHCP, '/root/note'), 'utf8')).toBe('secret-200\n');
    expect(lab.containerPath('pve', DHCP, '/root/../../etc/hosts')).toBe(lab.containerPath('pve', DHCP, '/etc/hosts'));
    expect(() => lab.containerPath('pve', DHCP, 'root/note')).toThrow(/absolute/);
    expect(() => lab.containerPath('pve', DHCP, '/usr/bin/evil')).toThrow(/read-only/);
    expect(() => lab.containerPath('pve', DHCP, '/bin/evil')).toThrow(/read-only/);
    await shIn(lab, DHCP, 'ln -s /usr/bin /root/escape && ln -s ../etc /root/inside');
    expect(() => lab.containerPath('pve', DHCP, '/root/escape/evil')).toThrow(/outside|read-only/);
    expect(lab.containerPath('pve', DHCP, '/root/inside/x')).toBe(`${lab.containerPath('pve', DHCP, '/etc')}/x`);
    // /usr is the host's, read-only; /usr/local/bin is the lab userland (no host docker client); Alpine-looking.
    expect((await execIn(lab, DHCP, ['touch', '/usr/lib/x'])).code).not.toBe(0);
    expect(await shIn(lab, DHCP, 'ls /usr/local/bin')).toBe('lab-boot\n');
    expect(await shIn(lab, DHCP, '. /etc/os-release; echo $ID')).toBe('alpine\n');
    expect(await shIn(lab, DHCP, 'hostname; cat /etc/hostname')).toBe('ct200\nct200\n');
  });

  it('runs /usr/local/bin/lab-boot inside once the network is up', async () => {
    await lab.waitBooted('pve', DHCP, 10_000);
    const booted = fs.readFileSync(lab.containerPath('pve', DHCP, '/run/lab-booted'), 'utf8');
    expect(booted).toMatch(new RegExp(`eth0\\s+inet ${base.replace(/\./g, '\\.')}\\.1\\d\\d/24`));
  });

  it('execs with a clean environment: PATH with /usr/local/bin first, HOME=/root, env and cwd options', async () => {
    const r = await execIn(lab, DHCP, ['/bin/sh', '-c', 'echo "$PATH|$HOME|$FOO|$(pwd)|$(id -u)"; env | grep -c VITEST || true'], {
      env: { FOO: 'bar baz' },
      cwd: '/tmp',
    });
    expect(r.stdout).toBe('/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin|/root|bar baz|/tmp|0\n0\n');
    expect(() => lab.containerExecArgv('pve', DHCP, [])).toThrow();
    expect(() => lab.containerExecArgv('pve', DHCP, ['A=B'])).toThrow(/=/);
    expect(() => lab.containerExecArgv('pve', DHCP, ['true'], { env: { 'BAD-NAME': 'x' } })).toThrow(/BAD-NAME/);
    expect(() => lab.containerExecArgv('pve', 999, ['true'])).toThrow(/not running/);
  });

  it('relays the management address to a host loopback port', async () => {
    const server = http.createServer((req, res) => res.end(`api ok ${req.url}`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      await lab.exposeOnManagement(8006, { host: '127.0.0.1', port });
      await lab.exposeOnManagement(8006, { host: '127.0.0.1', port }); // idempotent
      await expect(lab.exposeOnManagement(8006, { host: '127.0.0.1', port: port + 1 })).rejects.toThrow(/already/);
      await expect(lab.exposeOnManagement(22, { host: '10.0.0.1' as '127.0.0.1', port })).rejects.toThrow(/loopback/);
      const mgmt = lab.subnet.management;
      expect(await shIn(lab, STATIC, `curl -sS -m 5 http://${mgmt}:8006/from-ct`)).toBe('api ok /from-ct');
      const res = await fetch(`http://${mgmt}:8006/from-host`, { signal: AbortSignal.timeout(5_000) });
      expect(await res.text()).toBe('api ok /from-host');
    } finally {
      server.close();
    }
  });
});

// The Alpine stand-in's scripts on a scratch root (LAB_ROOT): apk, OpenRC bookkeeping and the docker
// stand-in's web server. Real daemons (dnsmasq, caddy, iptables) are exercised by test/lab/e2e in containers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../userland/bin');
let root: string;

function run(tool: string, ...args: string[]) {
  const r = spawnSync(path.join(BIN, tool), args, { encoding: 'utf8', env: { ...process.env, LAB_ROOT: root }, timeout: 15_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-userland-'));
});
afterAll(() => {
  run('rc-service', 'docker', 'stop');
  fs.rmSync(root, { recursive: true, force: true });
});

describe('apk', () => {
  it('installs known packages with apk-like output, records world, lays down services and configs', () => {
    const r = run('apk', 'add', '--no-cache', 'dnsmasq', 'caddy', 'iptables');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\(1\/\d+\) Installing dnsmasq-common \(2\.90-r3\)\n/);
    expect(r.stdout).toMatch(/\(\d+\/\d+\) Installing caddy \(/);
    expect(r.stdout).toMatch(/\nOK: \d+ MiB in \d+ packages\n$/);
    expect(fs.readFileSync(path.join(root, 'etc/apk/world'), 'utf8')).toBe('alpine-base\ncaddy\ndnsmasq\niptables\n');
    for (const f of ['etc/init.d/dnsmasq', 'etc/init.d/caddy', 'etc/init.d/iptables', 'etc/dnsmasq.conf', 'etc/caddy/Caddyfile', 'etc/conf.d/iptables']) {
      expect(fs.existsSync(path.join(root, f)), f).toBe(true);
    }
    expect(run('apk', 'info', '-e', 'dnsmasq')).toMatchObject({ code: 0, stdout: 'dnsmasq\n' });
    expect(run('apk', 'info', '-e', 'docker')).toMatchObject({ code: 1, stdout: '' });
  });

  it('keeps an edited config on reinstall and fails atomically on unknown packages', () => {
    fs.writeFileSync(path.join(root, 'etc/dnsmasq.conf'), 'domain=prox.local\n');
    expect(run('apk', 'add', 'dnsmasq').stdout).not.toMatch(/Installing/);
    expect(fs.readFileSync(path.join(root, 'etc/dnsmasq.conf'), 'utf8')).toBe('domain=prox.local\n');
    const r = run('apk', 'add', 'curl', 'foo');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ERROR: unable to select packages:\n  foo (no such package):\n    required by: world[foo]\n');
    expect(run('apk', 'info', '-e', 'curl').code).toBe(1);
  });
});

describe('openrc', () => {
  it('rc-update add/del and rc-status', () => {
    expect(run('rc-update', 'add', 'dnsmasq').stdout).toBe(' * service dnsmasq added to runlevel default\n');
    expect(run('rc-update', 'add', 'dnsmasq', 'default').stderr).toBe(" * rc-update: dnsmasq already installed in runlevel `default'; skipping\n");
    expect(fs.readlinkSync(path.join(root, 'etc/runlevels/default/dnsmasq'))).toBe('/etc/init.d/dnsmasq');
    const bad = run('rc-update', 'add', 'nginx');
    expect([bad.code, bad.stderr]).toEqual([1, " * rc-update: service `nginx' does not exist\n"]);
    expect(run('rc-status').stdout).toMatch(/^Runlevel: default\n dnsmasq {2,}\[ {2}stopped {2}\]\n/);
    expect(run('rc-update', 'del', 'dnsmasq').stdout).toBe(' * service dnsmasq removed from runlevel default\n');
  });

  it('rc-service start/status/stop bookkeeping (daemons are not started under LAB_ROOT)', () => {
    expect(run('rc-service', 'dnsmasq', 'status')).toMatchObject({ code: 3, stdout: ' * status: stopped\n' });
    expect(run('rc-service', 'dnsmasq', 'start')).toMatchObject({ code: 0, stdout: ' * Starting dnsmasq ... [ ok ]\n' });
    expect(run('rc-service', 'dnsmasq', 'start').stderr).toBe(' * WARNING: dnsmasq has already been started\n');
    expect(run('rc-service', 'dnsmasq', 'status')).toMatchObject({ code: 0, stdout: ' * status: started\n' });
    expect(run('rc-service', 'dnsmasq', 'stop')).toMatchObject({ code: 0, stdout: ' * Stopping dnsmasq ... [ ok ]\n' });
    expect(run('rc-service', 'nope', 'start')).toMatchObject({ code: 1, stderr: " * rc-service: service `nope' does not exist\n" });
  });
});

describe('docker stand-in', () => {
  it('is "not found" until apk add docker, then needs the daemon service', () => {
    expect(run('docker', '--version')).toMatchObject({ code: 127, stderr: 'sh: docker: not found\n' });
    expect(run('apk', 'add', 'docker').code).toBe(0);
    expect(run('docker', '--version')).toMatchObject({ code: 0, stdout: 'Docker version 26.1.5, build a72d7cd\n' });
    expect(run('docker', 'compose', 'version').stderr).toContain("'compose' is not a docker command");
    expect(run('apk', 'add', 'docker-cli-compose').code).toBe(0);
    expect(run('docker', 'compose', 'version').stdout).toBe('Docker Compose version v2.27.0\n');
    expect(run('docker', 'ps').stderr).toContain('Cannot connect to the Docker daemon');
  });

  it('runs a web server per published port with frame-busting headers, a SameSite-less cookie and health', async () => {
    const port = await freePort();
    fs.mkdirSync(path.join(root, 'srv/app'), { recursive: true });
    fs.writeFileSync(path.join(root, 'srv/app/compose.json'), JSON.stringify({
      services: {
        web: { image: 'ghcr.io/example/app:1.2', ports: [{ published: port, target: 80, host_ip: '127.0.0.1' }], restart: 'unless-stopped',
          healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost:80/api/healthz'] } },
      },
    }));
    expect(run('rc-service', 'docker', 'start').code).toBe(0);
    const up = run('docker', 'compose', '-f', '/srv/app/compose.json', '-p', 'myapp', 'up', '-d');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain(' ✔ Container myapp-web-1  Started');
    const base = `http://127.0.0.1:${port}`;
    const home = await fetch(`${base}/`);
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    expect(home.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(await home.text()).toContain('ghcr.io/example/app:1.2');
    const login = await fetch(`${base}/login`);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^lab_session=[0-9a-f]+; Path=\/; HttpOnly$/);
    expect(login.headers.get('x-frame-options')).toBe('DENY');
    expect(await (await fetch(`${base}/whoami`)).text()).toContain('data-session="missing"');
    expect(await (await fetch(`${base}/whoami`, { headers: { cookie: cookie.split(';')[0]! } })).text()).toContain('data-session="valid"');
    expect(await (await fetch(`${base}/health`)).text()).toBe('ok\n');
    expect((await fetch(`${base}/api/healthz`)).status).toBe(200);
    expect(run('docker', 'compose', '-p', 'myapp', '-f', '/srv/app/compose.json', 'ps').stdout).toContain(`127.0.0.1:${port}->80/tcp`);
    // a second project on the same port fails like Docker
    fs.writeFileSync(path.join(root, 'srv/app/other.yaml'), `services:\n  x:\n    image: busybox\n    ports: ["127.0.0.1:${port}:80"]\n`);
    const clash = run('docker', 'compose', '-f', '/srv/app/other.yaml', 'up', '-d');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('port is already allocated');
    expect(run('docker', 'compose', '-f', '/srv/app/compose.json', '-p', 'myapp', 'down').code).toBe(0);
    await expect(fetch(`${base}/`)).rejects.toThrow();
  });
});

describe('compose file reading', () => {
  it('parses short and long port syntax and interpolates variables like compose', async () => {
    fs.mkdirSync(path.join(root, 'srv/vars'), { recursive: true });
    fs.writeFileSync(path.join(root, 'srv/vars/.env'), 'APP_PORT=9000\n');
    fs.writeFileSync(path.join(root, 'srv/vars/docker-compose.yml'),
      'services:\n  app:\n    image: "example/app:${TAG:-latest}"\n    ports: ["${APP_PORT}:3000"]\n    environment:\n      PRICE: "$$5"\n');
    process.env.LAB_ROOT = root; // read once when the module loads
    const mod = await import('../userland/bin/_lib/docker-compose-file.mjs' as string);
    delete process.env.LAB_ROOT;
    const p = (x: unknown) => mod.parsePort(x, 'svc');
    expect(p('8080:80')).toEqual({ target: 80, published: 8080, host_ip: '', protocol: 'tcp' });
    expect(p('127.0.0.1:8080:80/tcp')).toEqual({ target: 80, published: 8080, host_ip: '127.0.0.1', protocol: 'tcp' });
    expect(p('80')).toEqual({ target: 80, published: null, host_ip: '', protocol: 'tcp' });
    expect(p('127.0.0.1::80')).toEqual({ target: 80, published: null, host_ip: '127.0.0.1', protocol: 'tcp' });
    expect(p({ published: '8081', target: 80 })).toEqual({ target: 80, published: 8081, host_ip: '', protocol: 'tcp' });
    expect(() => p('80:abc')).toThrow(/invalid port mapping "80:abc"/);
    const c = mod.loadCompose({ cwd: '/srv/vars', files: [], env: {} });
    expect(c.name).toBe('vars');
    expect(c.services[0]).toMatchObject({ name: 'app', image: 'example/app:latest', containerName: 'vars-app-1', environment: { PRICE: '$5' } });
    expect(c.services[0].ports[0]).toMatchObject({ published: 9000, target: 3000 });
    expect(mod.loadCompose({ cwd: '/srv/vars', files: [], env: { TAG: '2.0' } }).services[0].image).toBe('example/app:2.0');
    expect(() => mod.loadCompose({ cwd: '/srv', files: [], env: {} })).toThrow('no configuration file provided: not found');
  });

  it('gives a bare container port an ephemeral host port, kept across `up`', async () => {
    fs.mkdirSync(path.join(root, 'srv/eph'), { recursive: true });
    fs.writeFileSync(path.join(root, 'srv/eph/compose.yaml'), 'services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1::80"]\n');
    expect(run('rc-service', 'docker', 'start').code).toBe(0);
    expect(run('docker', 'compose', '-f', '/srv/eph/compose.yaml', 'up', '-d').code).toBe(0);
    const ps = run('docker', 'compose', '-f', '/srv/eph/compose.yaml', 'ps', '--format', 'json');
    const port = JSON.parse(ps.stdout.trim()).Publishers[0].PublishedPort;
    expect(port).toBeGreaterThan(1024);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(run('docker', 'compose', '-f', '/srv/eph/compose.yaml', 'up', '-d').stderr).toContain('eph-web-1  Running');
    expect(JSON.parse(run('docker', 'compose', '-f', '/srv/eph/compose.yaml', 'ps', '--format', 'json').stdout.trim()).Publishers[0].PublishedPort).toBe(port);
    expect(run('docker', 'compose', '-f', '/srv/eph/compose.yaml', 'down').code).toBe(0);
  });
});

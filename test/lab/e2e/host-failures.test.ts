// Issue 12 on the netns backend: the failures that live on the node's CLI or inside the container, provoked
// through the lab (POST /faults on the control endpoint, as a product test would) and seen through the node's
// real SSH + pct, with the texts real hosts print. The emulator-only ones are in test/lab/pve/host-failures.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALPINE, ALPINE_VOLID, apiInet, canRunNetns, startE2eLab, until, type E2eLab } from './lab-fixture';

const MAIN = 'https://dl-cdn.alpinelinux.org/alpine/v3.20/main';
const COMMUNITY = 'https://dl-cdn.alpinelinux.org/alpine/v3.20/community';
const RUNC_DENIED =
  'docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: ' +
  'runc create failed: unable to start container process: error during container init: open sysctl ' +
  'net.ipv4.ip_unprivileged_port_start file: reopen fd 8: permission denied: unknown\n';

const COMPOSE = `services:
  web:
    image: ghcr.io/example/whoami:1.0
    ports:
      - "8080:80"
`;

// Each scenario starts containers and runs a few dozen commands in them over SSH; every wait is bounded.
const SCENARIO_MS = 120_000;

describe.skipIf(!canRunNetns)('lab e2e: failures real hosts throw (issue 12)', () => {
  let e: E2eLab;
  /** POST /faults on the lab's control endpoint, as a product test provokes a failure */
  const fault = async (spec: Record<string, unknown>) => {
    const { url, token } = e.lab.info.control;
    const r = await fetch(`${url}/faults`, { method: 'POST', headers: { 'X-Lab-Token': token }, body: JSON.stringify(spec) });
    expect(r.status, await r.clone().text()).toBe(200);
  };
  const exec = (vmid: number, line: string, timeoutMs = 30_000) => e.sh(`pct exec ${vmid} -- ${line}`, { timeoutMs });

  /** Create, start and wait for a DHCP lease; resolves when the container can be used. */
  async function container(vmid: number, extra: Record<string, string> = {}): Promise<void> {
    await e.task('POST', `/nodes/${e.node}/lxc`, {
      vmid: String(vmid), ostemplate: ALPINE_VOLID, hostname: `ct${vmid}`, unprivileged: '1', rootfs: 'local-lvm:1',
      net0: 'name=eth0,bridge=vmbr0,ip=dhcp', features: 'nesting=1,keyctl=1', ...extra,
    });
    await e.pct('start', String(vmid));
    await until(`CT ${vmid}'s lease`, () => apiInet(e, vmid, 'eth0'));
    await e.backend.waitBooted(e.node, vmid, 20_000);
  }

  async function withDocker(vmid: number): Promise<void> {
    const add = await exec(vmid, 'apk add docker docker-cli-compose');
    expect(add.code, add.stderr).toBe(0);
    expect((await exec(vmid, 'rc-service docker start')).code).toBe(0);
  }

  beforeAll(async () => {
    e = await startE2eLab();
    expect((await e.sh(`pveam download local ${ALPINE}`, { timeoutMs: 30_000 })).code).toBe(0);
  });
  afterEach(async () => {
    const { url, token } = e.lab.info.control;
    await fetch(`${url}/faults/clear`, { method: 'POST', headers: { 'X-Lab-Token': token }, body: '{}' });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('1. a stale template index refuses the newest Alpine until `pveam update` over SSH', async () => {
    await fault({ kind: 'templateIndex', node: e.node, index: 'stale' });
    expect((await e.sh('pveam available --section system')).stdout).not.toContain(ALPINE);
    const refused = await e.sh(`pveam download local ${ALPINE}`);
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain('template: no such template');
    expect(await e.sh('pveam update')).toMatchObject({ code: 0, stdout: 'update successful\n' });
    expect((await e.sh('pveam available --section system')).stdout).toContain(ALPINE);
    const dl = await e.sh(`pveam download local ${ALPINE}`, { timeoutMs: 30_000 });
    expect(dl.code, dl.stderr).toBe(0);
  }, SCENARIO_MS);

  it('4. apk fails for real when upstream DNS, the mirror or resolv.conf is broken', async () => {
    await container(401);
    // (b) the LAN router's DNS stops answering: the mirror name does not resolve
    await fault({ kind: 'upstreamDns', on: true });
    const noDns = await exec(401, 'apk add jq');
    expect(noDns.code).toBe(1);
    expect(noDns.stdout).toBe(`fetch ${MAIN}/x86_64/APKINDEX.tar.gz\nfetch ${COMMUNITY}/x86_64/APKINDEX.tar.gz\n`);
    expect(noDns.stderr).toBe(
      `WARNING: updating and opening ${MAIN}: temporary error (try again later)\n` +
        `WARNING: updating and opening ${COMMUNITY}: temporary error (try again later)\n` +
        'ERROR: unable to select packages:\n  jq (no such package):\n    required by: world[jq]\n',
    );
    await fault({ kind: 'upstreamDns', on: false });
    const ok = await exec(401, 'apk add jq');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Installing jq \(/);

    // (c) the mirror does not answer (as with NAT broken on the way): names resolve, the fetch times out
    await fault({ kind: 'internetDown', on: true });
    const noMirror = await exec(401, 'apk add --no-cache --timeout 1 curl');
    expect(noMirror.code).toBe(1);
    expect(noMirror.stderr).toContain(`WARNING: fetching ${MAIN}: operation timed out\n`);
    expect(noMirror.stderr).toContain('ERROR: unable to select packages:\n  curl (no such package):');
    const upd = await exec(401, 'apk update --timeout 1');
    expect(upd.code).toBe(2);
    // the index fetched by the working `apk add` is kept but cannot be refreshed
    expect(upd.stderr).toBe(`WARNING: updating ${MAIN}: operation timed out\nWARNING: updating ${COMMUNITY}: operation timed out\n`);
    expect(upd.stdout).toMatch(/\n0 unavailable, 2 stale; \d+ distinct packages available\n$/);
    await fault({ kind: 'internetDown', on: false });

    // (a) resolv.conf keeps the node's resolver (not the DHCP server's), which never answers
    await fault({ kind: 'staleResolvConf', on: true });
    await e.pct('stop', '401');
    await e.pct('start', '401');
    await until('CT 401 lease after restart', () => apiInet(e, 401, 'eth0'));
    await e.backend.waitBooted(e.node, 401, 20_000);
    const resolv = (await exec(401, 'cat /etc/resolv.conf')).stdout;
    expect(resolv).toMatch(/^nameserver 198\.18\.\d+\.53$/m);
    expect(resolv).not.toContain(`nameserver ${e.backend.subnet.gateway}`);
    const stale = await exec(401, 'apk add --no-cache curl');
    expect(stale.stderr).toContain(`WARNING: fetching ${MAIN}: temporary error (try again later)\n`);
    expect(stale.code).toBe(1);
  }, SCENARIO_MS);

  it('5. lxc-pve older than 6.0.5-2: every docker run / compose up fails in runc; apt/versions tells why', async () => {
    await fault({ kind: 'nodePackages', node: e.node, versions: { 'lxc-pve': '6.0.5-1' } });
    const versions = (await e.api('GET', `/nodes/${e.node}/apt/versions`)) as { Package: string; OldVersion: string }[];
    expect(versions.find((p) => p.Package === 'lxc-pve')?.OldVersion).toBe('6.0.5-1');
    await container(405);
    await withDocker(405);
    const run = await exec(405, 'docker run --rm hello-world');
    expect([run.code, run.stderr]).toEqual([126, `${RUNC_DENIED}\nRun 'docker run --help' for more information\n`]);
    await e.push(405, '/root/compose.yaml', COMPOSE);
    const up = await e.sh('pct exec 405 -- docker compose -f /root/compose.yaml up -d', { timeoutMs: 30_000 });
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(`Error response from daemon: ${RUNC_DENIED.slice('docker: Error response from daemon: '.length)}`);

    // the node updated (setting cleared) and the container restarted: the same smoke test passes
    await fault({ kind: 'nodePackages', node: e.node, versions: { 'lxc-pve': '6.0.5-2' } });
    await e.pct('stop', '405');
    await e.pct('start', '405');
    await e.backend.waitBooted(e.node, 405, 20_000);
    expect((await exec(405, 'rc-service docker start')).code).toBe(0);
    const fixed = await exec(405, 'docker run --rm hello-world');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('Hello from Docker!');
  }, SCENARIO_MS);

  it('6. root disk on ZFS < 2.2: docker falls back to vfs and pulls fail to register layers', async () => {
    await fault({ kind: 'configureStorage', node: e.node, storage: 'local-zfs', type: 'zfspool', content: ['rootdir', 'images'] });
    await fault({ kind: 'nodePackages', node: e.node, versions: { 'zfsutils-linux': '2.1.15-pve1' } });
    await container(406, { rootfs: 'local-zfs:1' });
    expect((await e.api('GET', `/nodes/${e.node}/lxc/406/config`)).rootfs).toBe('local-zfs:subvol-406-disk-0,size=1G');
    await withDocker(406);
    expect(await exec(406, "docker info --format '{{.Driver}}'")).toMatchObject({ code: 0, stdout: 'vfs\n' });
    expect((await exec(406, 'docker info')).stdout).toContain('Storage Driver: vfs');
    const pull = await exec(406, 'docker pull alpine');
    expect(pull.code).toBe(1);
    expect(pull.stderr).toBe('failed to register layer: Error processing tar file(exit status 1): invalid argument\n');
  }, SCENARIO_MS);

  it('7. a privileged container: docker cannot load its AppArmor profile', async () => {
    await container(407, { unprivileged: '0', features: 'nesting=1' });
    expect((await e.api('GET', `/nodes/${e.node}/lxc/407/config`)).unprivileged).toBeUndefined();
    await withDocker(407);
    expect((await exec(407, "docker info --format '{{.Driver}}'")).stdout).toBe('overlay2\n');
    const run = await exec(407, 'docker run --rm hello-world');
    expect(run.code).toBe(125);
    expect(run.stderr).toMatch(/^docker: Error response from daemon: AppArmor enabled on system but the docker-default profile could not be loaded: /);
  }, SCENARIO_MS);
});

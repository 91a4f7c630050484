// The docker stand-in follows the node it runs on (issue 12), here on a scratch root (LAB_ROOT) with the node
// facts the netns backend would write to /run/lab/host.json. The same in real containers:
// test/lab/e2e/host-failures.test.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../userland/bin');
let root: string;

function run(tool: string, ...args: string[]) {
  const r = spawnSync(path.join(BIN, tool), args, { encoding: 'utf8', env: { ...process.env, LAB_ROOT: root }, timeout: 15_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function node(facts: Record<string, unknown>): void {
  fs.mkdirSync(path.join(root, 'run/lab'), { recursive: true });
  fs.writeFileSync(path.join(root, 'run/lab/host.json'), JSON.stringify({
    lxcPveVersion: '6.0.5-2', zfsVersion: '2.2.8-pve1', rootfsStorageType: 'lvmthin', unprivileged: 1, features: 'nesting=1', ...facts,
  }));
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-docker-host-'));
  expect(run('apk', 'add', 'docker', 'docker-cli-compose').code).toBe(0);
  expect(run('rc-service', 'docker', 'start').code).toBe(0);
});
afterAll(() => {
  run('rc-service', 'docker', 'stop');
  fs.rmSync(root, { recursive: true, force: true });
});

describe('docker stand-in on the node it runs on', () => {
  it('a healthy node: overlay2, the smoke test passes', () => {
    node({});
    expect(run('docker', 'info', '--format', '{{.Driver}}')).toMatchObject({ code: 0, stdout: 'overlay2\n' });
    const hello = run('docker', 'run', '--rm', 'hello-world');
    expect(hello.code).toBe(0);
    expect(hello.stdout).toContain('Hello from Docker!');
  });

  it.each(['6.0.5-1', '6.0.0-1', '5.0.2-4'])('lxc-pve %s: runc is denied the sysctl (exit 126)', (v) => {
    node({ lxcPveVersion: v });
    const r = run('docker', 'run', '--rm', 'hello-world');
    expect(r.code).toBe(126);
    expect(r.stderr).toContain('open sysctl net.ipv4.ip_unprivileged_port_start file: reopen fd 8: permission denied: unknown');
  });

  it.each(['6.0.5-2', '6.0.5-3', '6.0.10-1'])('lxc-pve %s is fixed', (v) => {
    node({ lxcPveVersion: v });
    expect(run('docker', 'run', '--rm', 'alpine', 'echo', 'hi')).toMatchObject({ code: 0, stdout: 'hi\n' });
  });

  it('ZFS 2.1 under the root disk: vfs, pulls fail; ZFS 2.2 or not ZFS: overlay2', () => {
    node({ rootfsStorageType: 'zfspool', zfsVersion: '2.1.15-pve1' });
    expect(run('docker', 'info', '--format={{.Driver}}').stdout).toBe('vfs\n');
    expect(run('docker', 'pull', 'nginx')).toMatchObject({ code: 1, stderr: 'failed to register layer: Error processing tar file(exit status 1): invalid argument\n' });
    node({ rootfsStorageType: 'zfspool', zfsVersion: '2.2.0-pve1' });
    expect(run('docker', 'info', '--format', '{{.Driver}}').stdout).toBe('overlay2\n');
    node({ rootfsStorageType: 'lvmthin', zfsVersion: '2.1.15-pve1' });
    expect(run('docker', 'info', '--format', '{{.Driver}}').stdout).toBe('overlay2\n');
  });

  it('a privileged container cannot load the docker-default AppArmor profile (exit 125)', () => {
    node({ unprivileged: 0 });
    const r = run('docker', 'run', '--rm', 'hello-world');
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^docker: Error response from daemon: AppArmor enabled on system but the docker-default profile could not be loaded/);
  });
});

// The node's real OpenSSH server with the lab's pct/pveam, against a small fake API (formats and exit codes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabBackend } from '../backend.js';
import { startNodeSsh, type NodeSsh } from './ssh-server.js';
import { cmd, connectPinned, sshExec } from './ssh-client.js';
import { startFakeNodeApi } from './test-support/fake-node-api.js';

const virtualBackend = { kind: 'virtual' } as unknown as LabBackend;
let api: Awaited<ReturnType<typeof startFakeNodeApi>>;
let ssh: NodeSsh;
let conn: Client;
let runDir: string;

beforeAll(async () => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-node-ssh-'));
  api = await startFakeNodeApi();
  ssh = await startNodeSsh({ emulator: api, backend: virtualBackend, runDir });
  conn = await connectPinned(ssh);
});

afterAll(async () => {
  conn?.end();
  await ssh?.close();
  await api?.close();
  fs.rmSync(runDir, { recursive: true, force: true });
});

describe('node ssh', () => {
  it('pins the host key: a wrong fingerprint is refused', async () => {
    expect(ssh.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    await expect(connectPinned(ssh, 'SHA256:' + 'A'.repeat(43))).rejects.toThrow();
  });

  it('offers SFTP (uploads land on the node for pct push)', async () => {
    const target = path.join(runDir, 'uploaded.txt');
    await new Promise<void>((resolve, reject) => {
      conn.sftp((err, sftp) => {
        if (err) return reject(err);
        sftp.writeFile(target, 'via sftp\n', (e) => {
          sftp.end();
          if (e) reject(e);
          else resolve();
        });
      });
    });
    expect(fs.readFileSync(target, 'utf8')).toBe('via sftp\n');
  });

  it('finds the lab pct/pveam first on PATH', async () => {
    const r = await sshExec(conn, 'command -v pct; command -v pveam');
    expect(r.stdout.trim().split('\n')).toEqual([path.join(runDir, 'bin', 'pct'), path.join(runDir, 'bin', 'pveam')]);
  });
});

describe('pct', () => {
  it('list prints the real column format', async () => {
    const r = await sshExec(conn, 'pct list');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'VMID       Status     Lock         Name                \n' +
        '100        running                 web                 \n' +
        '101        stopped    backup       db                  \n',
    );
  });

  it('status / config / set', async () => {
    expect((await sshExec(conn, 'pct status 100')).stdout).toBe('status: running\n');
    const conf = await sshExec(conn, 'pct config 100');
    expect(conf.stdout).toBe('description: a%3A b%0Ac\nhostname: web\nmemory: 512\nnet0: name=eth0,bridge=vmbr0,ip=dhcp\n');
    const set = await sshExec(conn, 'pct set 100 -memory 1024 --cores 2 --delete description');
    expect(set.code).toBe(0);
    expect((await sshExec(conn, 'pct config 100')).stdout).toContain('memory: 1024\n');
    expect(api.cts.get(100)!.config.description).toBeUndefined();
    const bad = await sshExec(conn, 'pct set 100 --memory lots');
    expect(bad.code).toBe(255);
    expect(bad.stderr).toBe("400 Parameter verification failed.\nmemory: type check ('integer') failed - got 'lots'\npct set <vmid> [OPTIONS]\n");
  });

  it('unknown vmid and bad arguments fail like PVE (exit 255)', async () => {
    const r = await sshExec(conn, 'pct status 999');
    expect(r.code).toBe(255);
    expect(r.stderr).toBe("Configuration file 'nodes/pve/lxc/999.conf' does not exist\n");
    const n = await sshExec(conn, 'pct status');
    expect(n.code).toBe(255);
    expect(n.stderr).toContain('400 not enough arguments');
    const v = await sshExec(conn, 'pct status abc');
    expect(v.stderr).toContain("vmid: type check ('integer') failed - got 'abc'");
    expect((await sshExec(conn, 'pct frobnicate')).code).toBe(255);
  });

  it('start/stop wait for the task; errors exit 255', async () => {
    expect((await sshExec(conn, 'pct stop 100')).code).toBe(0);
    expect(api.cts.get(100)!.status).toBe('stopped');
    expect((await sshExec(conn, 'pct start 100')).code).toBe(0);
    const again = await sshExec(conn, 'pct start 100');
    expect([again.code, again.stderr]).toEqual([255, 'CT 100 already running\n']);
    const locked = await sshExec(conn, 'pct start 101');
    expect([locked.code, locked.stderr]).toEqual([255, 'CT is locked (backup)\n']);
  });

  it('exec / push / pull refuse clearly on the virtual backend and on stopped CTs', async () => {
    const stopped = await sshExec(conn, cmd('pct', 'exec', '101', '--', 'true'));
    expect([stopped.code, stopped.stderr]).toEqual([255, "container '101' not running!\n"]);
    const virt = await sshExec(conn, cmd('pct', 'exec', '100', '--', 'true'));
    expect(virt.code).toBe(255);
    expect(virt.stderr).toMatch(/virtual' backend runs no processes/);
    const push = await sshExec(conn, cmd('pct', 'push', '101', '/etc/hostname', '/tmp/x'));
    expect([push.code, push.stderr]).toEqual([255, 'can only push files to a running CT\n']);
    const push2 = await sshExec(conn, cmd('pct', 'push', '100', '/etc/hostname', '/tmp/x'));
    expect(push2.stderr).toMatch(/virtual' backend has no container filesystem/);
  });
});

describe('pveam', () => {
  it('update / available / list', async () => {
    expect((await sshExec(conn, 'pveam update')).stdout).toBe('update successful\n');
    const av = await sshExec(conn, 'pveam available');
    expect(av.stdout).toBe(
      'system          alpine-3.20-default_20240908_amd64.tar.xz\n' +
        'system          debian-12-standard_12.7-1_amd64.tar.zst\n' +
        'turnkeylinux    debian-12-turnkey-wordpress_18.0-1_amd64.tar.gz\n',
    );
    expect((await sshExec(conn, 'pveam available --section turnkeylinux')).stdout.split('\n')).toHaveLength(2);
    const badSection = await sshExec(conn, 'pveam available --section games');
    expect(badSection.code).toBe(255);
    expect(badSection.stderr).toContain("section: value 'games' does not have a value in the enumeration 'system, mail, turnkeylinux'");
    const list = await sshExec(conn, 'pveam list local');
    expect(list.stdout).toBe(`${'NAME'.padEnd(60)} SIZE  \n${'local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz'.padEnd(60)} 3.00MB\n`);
    expect((await sshExec(conn, 'pveam list local-lvm')).stderr).toBe('Storage does not support templates!\n');
  });

  it('download prints the task log; remove deletes', async () => {
    const dl = await sshExec(conn, 'pveam download local debian-12-standard_12.7-1_amd64.tar.zst');
    expect(dl.code).toBe(0);
    expect(dl.stdout).toMatch(/^downloading http:.*\nTASK OK\n$/s);
    expect(api.stored.has('local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst')).toBe(true);
    const bad = await sshExec(conn, 'pveam download local nope.tar.gz');
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain('template: no such template');
    expect((await sshExec(conn, 'pveam remove local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst')).code).toBe(0);
    expect(api.stored.has('local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst')).toBe(false);
  });
});

// pct and pveam through NodeSshClient against the netns lab: a real sshd as the node, containers that run real
// processes. The hostile corpus goes through pctExec into a container and comes back byte-exact, one argument
// each; pctPush lands exact bytes with the asked mode and leaves no temp file on the node.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHostKeyPinStore } from '../../../src-main/core/ssh/host-key-pins';
import { NodeSshClient } from '../../../src-main/core/ssh/node-ssh-client';
import { pctExec, pctPush } from '../../../src-main/core/ssh/pct-commands';
import { pveamAvailable, pveamDownload, pveamList } from '../../../src-main/core/ssh/pveam-commands';
import { startLab, type Lab } from '../../lab/lab';
import { canRunNetns } from '../../lab/netns/netns-test-kit';
import { HOSTILE_STRINGS } from './hostile-strings';

const ALPINE = 'alpine-3.22-default_20250617_amd64.tar.xz';
const OTHER = 'alpine-3.21-default_20241217_amd64.tar.xz';
const VMID = 200;
const STOPPED = 201;

describe.skipIf(!canRunNetns)('pct and pveam over the node SSH (netns lab)', () => {
  let lab: Lab;
  let ssh: NodeSshClient;

  beforeAll(async () => {
    lab = await startLab({ backend: 'netns', taskSeconds: 0 });
    const info = lab.info.ssh!;
    const pins = new MemoryHostKeyPinStore();
    await pins.set('lab/pve', { fingerprint: info.hostKeyFingerprint, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() });
    ssh = new NodeSshClient(
      { nodeId: 'lab/pve', host: info.host, port: info.port, user: info.user, auth: { kind: 'key', privateKey: fs.readFileSync(info.privateKeyPath) } },
      { pins },
    );
    // containers made through the API, as Proximity will; only the running one can exec and receive files
    const api = lab.emulator;
    expect(await api.waitTask(await api.callApi('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE }))).toBe('OK');
    for (const vmid of [VMID, STOPPED]) {
      const upid = await api.callApi('POST', '/nodes/pve/lxc', {
        vmid: String(vmid), ostemplate: `local:vztmpl/${ALPINE}`, hostname: `ct${vmid}`, rootfs: 'local-lvm:1', unprivileged: '1',
      });
      expect(await api.waitTask(upid)).toBe('OK');
    }
    expect(await api.waitTask(await api.callApi('POST', `/nodes/pve/lxc/${VMID}/status/start`, {}))).toBe('OK');
  }, 60_000);
  afterAll(async () => {
    await ssh?.close();
    await lab?.close();
  });

  it('pveam: the index lists the template, download streams its log, list shows it stored', async () => {
    const available = await pveamAvailable(ssh, { section: 'system' });
    expect(available).toContainEqual({ section: 'system', template: OTHER });
    expect(await pveamList(ssh, 'local')).not.toContain(`local:vztmpl/${OTHER}`);
    const lines: string[] = [];
    const r = await pveamDownload(ssh, 'local', OTHER, { onLine: (l) => lines.push(l) });
    expect(r.exitCode).toBe(0);
    expect(lines).toContain('OK, checksum verified');
    expect(lines.at(-1)).toBe('TASK OK');
    expect(await pveamList(ssh, 'local')).toEqual(expect.arrayContaining([`local:vztmpl/${OTHER}`, `local:vztmpl/${ALPINE}`]));
    await expect(pveamList(ssh, 'local-lvm')).rejects.toMatchObject({ code: 'COMMAND_FAILED', details: { exitCode: 255, stderr: 'Storage does not support templates!\n' } });
    await expect(pveamList(ssh, 'local; reboot')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(pveamDownload(ssh, 'local', '../../etc/passwd')).rejects.toMatchObject({ code: 'VALIDATION' });

  }, 60_000);

  it('every hostile string arrives in the container as exactly one unchanged argument', async () => {
    // the node's /tmp is this machine's: a marker left by an earlier run (or a deliberate break test) would be
    // taken for this run's, so start without one
    for (const f of ['/tmp/proximity-pwned', '/tmp/proximity-redirect']) fs.rmSync(f, { force: true });
    const echoed = await pctExec(ssh, VMID, ['printf', '%s\\000', ...HOSTILE_STRINGS], { timeoutMs: 30_000 });
    const expected = Buffer.from(HOSTILE_STRINGS.map((s) => `${s}\0`).join(''), 'utf8');
    expect(echoed.truncated).toBe(false);
    expect(echoed.stdoutBytes.equals(expected)).toBe(true);
    // split on NUL and compare word by word, for a readable failure
    expect(echoed.stdout.split('\0').slice(0, -1)).toEqual([...HOSTILE_STRINGS]);
    const count = await pctExec(ssh, VMID, ['sh', '-c', 'echo $#', 'sh', ...HOSTILE_STRINGS], { timeoutMs: 30_000 });
    expect(count.stdout).toBe(`${HOSTILE_STRINGS.length}\n`);
    // nothing was executed along the way, in the container or on the node
    const pwned = await pctExec(ssh, VMID, ['test', '-e', '/tmp/proximity-pwned'], { check: false });
    expect(pwned.exitCode).toBe(1);
    expect(fs.existsSync('/tmp/proximity-pwned')).toBe(false);
    expect(fs.existsSync('/tmp/proximity-redirect')).toBe(false);
  }, 60_000);

  it('pctExec reports the container command failing with its exit code and stderr', async () => {
    await expect(pctExec(ssh, VMID, ['sh', '-c', 'echo nope >&2; exit 4'])).rejects.toMatchObject({
      code: 'COMMAND_FAILED', details: { exitCode: 4, stderr: 'nope\n' },
    });
    await expect(pctExec(ssh, STOPPED, ['true'])).rejects.toMatchObject({
      code: 'COMMAND_FAILED', details: { exitCode: 255, stderr: `container '${STOPPED}' not running!\n` },
    });
    await expect(pctExec(ssh, 99, ['true'])).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(pctExec(ssh, VMID, [])).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('pctPush writes exact bytes with the given mode, and cleans its temp file on the node', async () => {
    const tmpBefore = fs.readdirSync('/tmp').filter((f) => f.startsWith('proximity-push.'));
    const blob = Buffer.from(Array.from({ length: 256 }, (_, i) => i)); // every byte, NUL included
    await pctPush(ssh, VMID, blob, '/root/blob.bin', 0o640);
    expect((await pctExec(ssh, VMID, ['stat', '-c', '%a %s', '/root/blob.bin'])).stdout).toBe('640 256\n');
    expect((await pctExec(ssh, VMID, ['cat', '/root/blob.bin'])).stdoutBytes.equals(blob)).toBe(true);

    await pctPush(ssh, VMID, '#!/bin/sh\necho "pushed:$1"\n', '/root/hello.sh', 0o755);
    expect((await pctExec(ssh, VMID, ['/root/hello.sh', "a 'b' $(c)"])).stdout).toBe("pushed:a 'b' $(c)\n");

    await expect(pctPush(ssh, STOPPED, 'x', '/root/x', 0o644)).rejects.toMatchObject({
      code: 'COMMAND_FAILED', details: { exitCode: 255, stderr: 'can only push files to a running CT\n' },
    });
    await expect(pctPush(ssh, VMID, 'x', '/nonexistent/dir/file', 0o644)).rejects.toMatchObject({
      code: 'COMMAND_FAILED', details: { stderr: 'failed to create file: /nonexistent/dir/file: No such file or directory\n' },
    });
    expect(fs.readdirSync('/tmp').filter((f) => f.startsWith('proximity-push.'))).toEqual(tmpBefore);

    for (const bad of ['relative/path', '/root/../etc/passwd', '/root/a b', '/root/x\n', '/root/', '/root/$(id)']) {
      await expect(pctPush(ssh, VMID, 'x', bad, 0o644)).rejects.toMatchObject({ code: 'VALIDATION' });
    }
    await expect(pctPush(ssh, VMID, 'x', '/root/x', 0o10000)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(pctPush(ssh, VMID, 'x', '/root/x', 0o644, { user: 'root;id' })).rejects.toMatchObject({ code: 'VALIDATION' });
  }, 60_000);
});

// The node's SSH connection against the lab's real OpenSSH: one reused connection, reconnect after a drop
// (and no re-run of a command that had started), keepalive on a silent link, the channel cap with its queue,
// per-command deadlines, the output cap and streamed lines.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHostKeyPinStore } from '../../../src-main/core/ssh/host-key-pins';
import { NodeSshClient, type NodeSshOptions } from '../../../src-main/core/ssh/node-ssh-client';
import { NodeSshPool } from '../../../src-main/core/ssh/node-ssh-pool';
import type { OutputStream } from '../../../src-main/core/ssh/output-collector';
import { sshdSessionPids, startSshLab, startTcpRelay, waitFor, type SshLab } from './ssh-test-kit';

let env: SshLab;
let pins: MemoryHostKeyPinStore;
let clients: NodeSshClient[] = [];
let scratch = 0;

beforeAll(async () => {
  env = await startSshLab();
  pins = new MemoryHostKeyPinStore();
  await pins.set('lab/pve', { fingerprint: env.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() });
});
afterEach(async () => {
  for (const c of clients) await c.close();
  clients = [];
});
afterAll(async () => {
  await env?.close();
});

function client(opts: Partial<NodeSshOptions> = {}, port?: number): NodeSshClient {
  const c = new NodeSshClient(env.target(port ? { port } : {}), { pins, ...opts });
  clients.push(c);
  return c;
}

/** A fresh directory on the node (the lab's node is this machine) for a test's marker files. */
function scratchDir(): string {
  const d = path.join(env.runDir, `scratch-${++scratch}`);
  fs.mkdirSync(d);
  return d;
}

describe('one connection per node', () => {
  it('runs many commands, concurrently too, over a single SSH connection', async () => {
    const before = new Set(sshdSessionPids(env.runDir));
    const c = client();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.exec(['echo', `n${i}`])));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}\n`));
    expect(c.usage()).toMatchObject({ connects: 1, connected: true, active: 0, queued: 0 });
    expect(sshdSessionPids(env.runDir).filter((p) => !before.has(p))).toHaveLength(1);
  });

  it('the pool hands out one client per node, and a new one when its settings change', async () => {
    const pool = new NodeSshPool({ pins });
    try {
      const a = pool.get(env.target());
      expect(pool.get(env.target())).toBe(a);
      await a.exec(['true']);
      const keyB = fs.readFileSync(`${env.runDir}/ssh_host_ed25519_key`); // another key: new settings
      const b = pool.get(env.target({ auth: { kind: 'key', privateKey: keyB } }));
      expect(b).not.toBe(a);
      await expect(a.exec(['true'])).rejects.toMatchObject({ code: 'SSH_FAILED', message: expect.stringMatching(/closed/) });
      expect(pool.get(env.target({ nodeId: 'lab/other' }))).not.toBe(b);
    } finally {
      await pool.closeAll();
    }
  });

  it('reconnects for the next command after the node dropped the connection', async () => {
    const before = new Set(sshdSessionPids(env.runDir));
    const c = client();
    expect((await c.exec(['echo', 'one'])).stdout).toBe('one\n');
    const ours = sshdSessionPids(env.runDir).filter((p) => !before.has(p));
    expect(ours).toHaveLength(1);
    // sshd's process for our connection dies (OOM killer, sshd restart, node reboot)
    for (const pid of ours) process.kill(pid, 'SIGKILL');
    await waitFor('the client to see the connection close', () => !c.usage().connected);
    expect((await c.exec(['echo', 'two'])).stdout).toBe('two\n');
    expect(c.usage()).toMatchObject({ connects: 2, retries: 0 }); // it knew: a plain reconnect
  });

  it('retries a command whose channel was opened on an already-dead connection', async () => {
    const relay = await startTcpRelay(env.ssh.port);
    try {
      const c = client({}, relay.port);
      await c.exec(['true']);
      // drop the link and send the next command in the same tick, before the client can have noticed: its
      // channel request goes to a closed socket, the command never starts, and it is retried on a new connection
      relay.dropAll();
      const r = await c.exec(['echo', 'retried']);
      expect(r.stdout).toBe('retried\n');
      expect(c.usage()).toMatchObject({ connects: 2, retries: 1 });
      expect(relay.accepted).toBe(2);
    } finally {
      await relay.close();
    }
  });

  it('never re-runs a command that had started when the connection dropped', async () => {
    const dir = scratchDir();
    const before = new Set(sshdSessionPids(env.runDir));
    const c = client();
    const running = c.exec(['sh', '-c', 'echo ran >> "$1/log"; while [ ! -e "$1/never" ]; do sleep 0.05; done', 'sh', dir]).catch((e: unknown) => e);
    await waitFor('the command to start', () => fs.existsSync(path.join(dir, 'log')));
    for (const pid of sshdSessionPids(env.runDir).filter((p) => !before.has(p))) process.kill(pid, 'SIGKILL');
    const err = await running;
    expect(err).toMatchObject({ code: 'SSH_FAILED', message: expect.stringMatching(/lost while .* ran; it may or may not have completed/) });
    expect(fs.readFileSync(path.join(dir, 'log'), 'utf8')).toBe('ran\n');
    expect((await c.exec(['echo', 'fine'])).stdout).toBe('fine\n'); // and the next command reconnects
    expect(fs.readFileSync(path.join(dir, 'log'), 'utf8')).toBe('ran\n');
    expect(c.usage()).toMatchObject({ connects: 2, retries: 0 });
    fs.writeFileSync(path.join(dir, 'never'), ''); // lets the orphaned loop on the node end
  });

  it('keepalive notices a silent dead link; the next command reconnects', async () => {
    const relay = await startTcpRelay(env.ssh.port);
    try {
      const c = client({ keepaliveIntervalMs: 100, keepaliveCountMax: 2 }, relay.port);
      await c.exec(['true']);
      relay.freeze(); // no FIN, no RST: only unanswered keepalives can tell
      await waitFor('keepalive to declare the connection dead', () => !c.usage().connected, 5_000);
      relay.thaw();
      expect((await c.exec(['echo', 'alive'])).stdout).toBe('alive\n');
      expect(c.usage().connects).toBe(2);
    } finally {
      await relay.close();
    }
  });
});

/** A sleep length no other process on this machine uses, to find our `sleep` among the node's processes. */
let sleeps = 0;
function uniqueSleep(): string {
  return `30.${process.pid}${++sleeps}`;
}

function sleeping(length: string): boolean {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).some((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8') === `sleep\0${length}\0`;
    } catch {
      return false;
    }
  });
}

describe('channel cap and deadlines', () => {
  // Each command marks its start, prints how many had started but not finished (itself included), waits for
  // the release file, and marks its end.
  const GATED = 'touch "$1/started.$2"; s=$(ls "$1" | grep -c "^started"); d=$(ls "$1" | grep -c "^done"); echo $((s - d)); ' +
    'while [ ! -e "$1/release" ]; do sleep 0.02; done; touch "$1/done.$2"';

  it('opens at most maxChannels channels at once and queues the rest in order', async () => {
    const dir = scratchDir();
    const count = (prefix: string) => fs.readdirSync(dir).filter((f) => f.startsWith(prefix)).length;
    const c = client({ maxChannels: 3 });
    const runs = Array.from({ length: 7 }, (_, i) => c.exec(['sh', '-c', GATED, 'sh', dir, String(i)]));
    await waitFor('3 commands running on the node', () => count('started') === 3);
    await waitFor('4 commands queued', () => c.usage().queued === 4);
    expect(c.usage()).toMatchObject({ active: 3, queued: 4, limit: 3 });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('started')).sort()).toEqual(['started.0', 'started.1', 'started.2']);
    fs.writeFileSync(path.join(dir, 'release'), '');
    const results = await Promise.all(runs);
    expect(count('started')).toBe(7);
    expect(Math.max(...results.map((r) => Number(r.stdout)))).toBeLessThanOrEqual(3);
    expect(c.usage()).toMatchObject({ active: 0, queued: 0, connects: 1 });
  });

  it('a command over its deadline fails with SSH_TIMEOUT, is killed on the node, and frees its channel', async () => {
    const c = client({ maxChannels: 1 });
    await c.connect(); // so the 300 ms are all spent running (a loaded machine may take that long to log in)
    const started = Date.now();
    const length = uniqueSleep();
    const err = await c.exec(['sleep', length], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SSH_TIMEOUT', details: { timeoutMs: 300, phase: 'running' } });
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor('the timed-out command to be killed on the node', () => !sleeping(length));
    // the one channel is free again and the connection is still the same
    expect((await c.exec(['echo', 'next'])).stdout).toBe('next\n');
    expect(c.usage()).toMatchObject({ active: 0, connects: 1 });
  });

  it('the node itself ends a command at its deadline when the connection to it is gone', async () => {
    const before = new Set(sshdSessionPids(env.runDir));
    const c = client();
    await c.connect();
    const length = uniqueSleep();
    const running = c.exec(['sleep', length], { timeoutMs: 3_000 }).catch((e: unknown) => e);
    await waitFor('the command to run', () => sleeping(length));
    for (const pid of sshdSessionPids(env.runDir).filter((p) => !before.has(p))) process.kill(pid, 'SIGKILL');
    expect(await running).toMatchObject({ code: 'SSH_FAILED' });
    expect(sleeping(length)).toBe(true); // no connection, so nobody could kill it: the node's `timeout` will
    await waitFor('the node to end the command after its deadline', () => !sleeping(length));
  });

  it('the deadline also covers waiting for a channel', async () => {
    const dir = scratchDir();
    const c = client({ maxChannels: 1 });
    const holder = c.exec(['sh', '-c', GATED, 'sh', dir, '0']);
    await waitFor('the channel to be taken', () => fs.existsSync(path.join(dir, 'started.0')));
    await expect(c.exec(['echo', 'late'], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'SSH_TIMEOUT', details: { phase: 'queued' } });
    expect(c.usage().queued).toBe(0);
    fs.writeFileSync(path.join(dir, 'release'), '');
    await holder;
  });

  it('an abort signal stops a running command with its reason', async () => {
    const c = client();
    const ac = new AbortController();
    const length = uniqueSleep();
    const p = c.exec(['sleep', length], { signal: ac.signal, timeoutMs: 120_000 });
    await waitFor('the command to run', () => sleeping(length));
    ac.abort(new Error('operator cancelled'));
    await expect(p).rejects.toThrow('operator cancelled');
    // stopped on the node right away (long before its 120 s deadline), and then its channel is free again
    await waitFor('the command to be killed on the node', () => !sleeping(length));
    await waitFor('the channel to close', () => c.usage().active === 0);
  });
});

describe('output', () => {
  it('keeps at most maxOutputBytes, flags truncation, and still reports the real exit', async () => {
    const c = client();
    const lines: string[] = [];
    const r = await c.exec(['seq', '1', '100000'], { maxOutputBytes: 1000, onLine: (l) => lines.push(l) });
    expect(r.exitCode).toBe(0);
    expect(r.truncated).toBe(true);
    expect(r.stdoutBytes.length).toBe(1000);
    expect(r.outputBytes).toBe(588895); // all of `seq 1 100000` was received and counted
    expect(r.stdout).toBe(Array.from({ length: 300 }, (_, i) => `${i + 1}\n`).join('').slice(0, 1000));
    // lines come only from kept bytes (the last one may be cut at the cap)
    expect(lines.slice(0, -1)).toEqual(Array.from({ length: lines.length - 1 }, (_, i) => String(i + 1)));
    const small = await c.exec(['seq', '1', '3'], { maxOutputBytes: 1000 });
    expect([small.stdout, small.truncated]).toEqual(['1\n2\n3\n', false]);
  });

  it('streams lines while the command runs, tagged by stream', async () => {
    const dir = scratchDir();
    const c = client();
    const seen: [string, OutputStream][] = [];
    const p = c.exec(['sh', '-c', 'echo first; echo warn >&2; while [ ! -e "$1/go" ]; do sleep 0.02; done; printf "last-no-newline"', 'sh', dir], {
      onLine: (l, s) => seen.push([l, s]),
    });
    await waitFor('the first lines before the command ends', () => seen.length === 2);
    expect(seen).toEqual(expect.arrayContaining([['first', 'stdout'], ['warn', 'stderr']]));
    fs.writeFileSync(path.join(dir, 'go'), '');
    const r = await p;
    expect(seen.at(-1)).toEqual(['last-no-newline', 'stdout']);
    expect(r.stdout).toBe('first\nlast-no-newline');
    expect(r.stderr).toBe('warn\n');
  });

  it('stdin is delivered and always closed', async () => {
    const c = client();
    const data = Buffer.alloc(300_000, 0xab);
    expect((await c.exec(['sh', '-c', 'wc -c'], { stdin: data })).stdout.trim()).toBe('300000');
    expect((await c.exec(['cat'], { timeoutMs: 5_000 })).stdout).toBe('');
  });

  it('a non-zero exit is COMMAND_FAILED with exit code and stderr; check:false returns it', async () => {
    const c = client();
    const err = await c.exec(['sh', '-c', 'echo partial; echo "it broke" >&2; exit 3']).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringMatching(/exited with code 3: it broke$/),
      details: { exitCode: 3, signal: null, stderr: 'it broke\n', stdout: 'partial\n', argv: ['sh', '-c', 'echo partial; echo "it broke" >&2; exit 3'] },
    });
    const r = await c.exec(['sh', '-c', 'exit 5'], { check: false });
    expect(r.exitCode).toBe(5);
    const killed = await c.exec(['sh', '-c', 'kill -TERM $$'], { check: false });
    expect([killed.exitCode, killed.signal]).toEqual([null, 'SIGTERM']);
  });
});

// Host keys against the lab's real OpenSSH: first contact shows the fingerprint for confirmation, then it is
// pinned; another key on the same address is refused with old vs new; re-pinning lets it in. Logins that the
// server refuses, and unreachable servers, come back with their own codes.
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHostKey } from '../../../src-main/core/ssh/host-key-probe';
import { MemoryHostKeyPinStore, type HostKeyOffer } from '../../../src-main/core/ssh/host-key-pins';
import { NodeSshClient } from '../../../src-main/core/ssh/node-ssh-client';
import { startSshLab, startTcpRelay, type SshLab } from './ssh-test-kit';

let env: SshLab;
const clients: NodeSshClient[] = [];
function client(...args: ConstructorParameters<typeof NodeSshClient>): NodeSshClient {
  const c = new NodeSshClient(...args);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  env = await startSshLab();
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await env?.close();
});

describe('host key trust on first use', () => {
  it('reads the fingerprint without logging in, as ssh-keygen -l prints it', async () => {
    const offer = await probeHostKey({ nodeId: 'lab/pve', host: '127.0.0.1', port: env.ssh.port });
    expect(offer).toEqual({ nodeId: 'lab/pve', host: '127.0.0.1', port: env.ssh.port, fingerprint: env.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519' });
  });

  it('a server that does not speak SSH gives no fingerprint: SSH_FAILED', async () => {
    const port = Number(new URL(env.lab.emulator.url).port); // the PVE API (HTTPS) on the same machine
    await expect(probeHostKey({ nodeId: 'lab/pve', host: '127.0.0.1', port }, 5_000)).rejects.toMatchObject({ code: 'SSH_FAILED' });
  });

  it('refuses an unconfirmed first contact, reporting the fingerprint; pins nothing', async () => {
    const pins = new MemoryHostKeyPinStore();
    const c = client(env.target(), { pins });
    const err = await c.exec(['true']).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'SSH_HOST_KEY_UNCONFIRMED',
      details: { nodeId: 'lab/pve', fingerprint: env.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519' },
    });
    expect((err as Error).message).toContain(env.ssh.hostKeyFingerprint);
    expect(await pins.get('lab/pve')).toBeUndefined();
    // the operator declines: still refused, still nothing pinned
    const declined = client(env.target(), { pins, confirmHostKey: async () => false });
    await expect(declined.exec(['true'])).rejects.toMatchObject({ code: 'SSH_HOST_KEY_UNCONFIRMED' });
    expect(await pins.get('lab/pve')).toBeUndefined();
  });

  it('pins the key the operator confirmed, and asks only once', async () => {
    const pins = new MemoryHostKeyPinStore();
    const asked: HostKeyOffer[] = [];
    const c = client(env.target(), { pins, confirmHostKey: async (o) => (asked.push(o), true) });
    expect((await c.exec(['echo', 'hello'])).stdout).toBe('hello\n');
    expect(asked.map((o) => o.fingerprint)).toEqual([env.ssh.hostKeyFingerprint]);
    expect(await pins.get('lab/pve')).toMatchObject({ fingerprint: env.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519' });
    // a second client (e.g. after an app restart) with the same store connects without asking
    const again = client(env.target(), { pins, confirmHostKey: async () => { throw new Error('must not ask again'); } });
    expect((await again.exec(['echo', 'again'])).stdout).toBe('again\n');
  });

  it('refuses a changed key on the same address (old vs new, how to re-pin), until re-pinned', async () => {
    const relay = await startTcpRelay(env.ssh.port);
    try {
      const pins = new MemoryHostKeyPinStore();
      const c = client(env.target({ port: relay.port }), { pins, confirmHostKey: async () => true });
      await c.exec(['true']);
      const pinned = (await pins.get('lab/pve'))!;
      expect(pinned.fingerprint).toBe(env.ssh.hostKeyFingerprint);

      // the node is reinstalled (another sshd with a fresh host key now answers at the same address)
      const other = await env.extraSshd('rekeyed');
      expect(other.hostKeyFingerprint).not.toBe(env.ssh.hostKeyFingerprint);
      relay.retarget(other.port);
      relay.dropAll();
      const err = await c.exec(['true']).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'SSH_HOST_KEY_MISMATCH',
        details: { nodeId: 'lab/pve', pinned: { fingerprint: pinned.fingerprint }, offered: { fingerprint: other.hostKeyFingerprint, algorithm: 'ssh-ed25519' } },
      });
      const msg = (err as Error).message;
      expect(msg).toContain(`pinned ssh-ed25519 ${pinned.fingerprint}`);
      expect(msg).toContain(`now offered ssh-ed25519 ${other.hostKeyFingerprint}`);
      expect(msg).toMatch(/re-pin/);
      expect(msg).toContain('ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub');
      // refused on every try, and the pin is untouched (confirmHostKey is only for first contact)
      await expect(c.exec(['true'])).rejects.toMatchObject({ code: 'SSH_HOST_KEY_MISMATCH' });
      expect(await pins.get('lab/pve')).toEqual(pinned);

      // the operator checked the new fingerprint on the node and re-pins it
      const offer = await probeHostKey({ nodeId: 'lab/pve', host: '127.0.0.1', port: relay.port });
      expect(offer.fingerprint).toBe(other.hostKeyFingerprint);
      await pins.set('lab/pve', { fingerprint: offer.fingerprint, algorithm: offer.algorithm, pinnedAt: new Date().toISOString() });
      expect((await c.exec(['echo', 'rekeyed'])).stdout).toBe('rekeyed\n');
    } finally {
      await relay.close();
    }
  });
});

describe('login and reachability errors', () => {
  async function pinned(): Promise<MemoryHostKeyPinStore> {
    const pins = new MemoryHostKeyPinStore();
    await pins.set('lab/pve', { fingerprint: env.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() });
    return pins;
  }

  it('a key the node does not accept: SSH_AUTH_FAILED, and the secret is in no message', async () => {
    const otherKey = fs.readFileSync(`${env.runDir}/ssh_host_ed25519_key`); // a valid key, not authorized for login
    const c = client(env.target({ auth: { kind: 'key', privateKey: otherKey } }), { pins: await pinned() });
    const err = await c.exec(['true']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SSH_AUTH_FAILED' });
    expect(JSON.stringify({ m: (err as Error).message, d: (err as { details?: unknown }).details })).not.toContain(otherKey.toString().split('\n')[1]!.slice(0, 20));
  });

  it('a password on a node that only takes keys: SSH_AUTH_FAILED, password not echoed', async () => {
    const c = client(env.target({ auth: { kind: 'password', password: 'hunter2-secret' } }), { pins: await pinned() });
    const err = await c.exec(['true']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SSH_AUTH_FAILED' });
    expect(JSON.stringify({ m: (err as Error).message, d: (err as { details?: unknown }).details })).not.toContain('hunter2');
  });

  it('a garbage private key: VALIDATION before any connection', async () => {
    const c = client(env.target({ auth: { kind: 'key', privateKey: 'not a key' } }), { pins: await pinned() });
    await expect(c.exec(['true'])).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('nothing listening: SSH_FAILED naming the address', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const c = client(env.target({ port }), { pins: await pinned() });
    const err = await c.exec(['true']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SSH_FAILED', details: { port } });
    expect((err as Error).message).toContain(`127.0.0.1:${port}`);
    expect((err as Error).message).toContain('connection refused');
  });

  it('invalid settings are refused naming the field, never the value', () => {
    expect(() => new NodeSshClient(env.target({ user: 'root; rm -rf /' }), { pins: new MemoryHostKeyPinStore() })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: 'Invalid SSH settings: user.' }),
    );
    expect(() => new NodeSshClient(env.target({ host: 'evil host', auth: { kind: 'password', password: '' } }), { pins: new MemoryHostKeyPinStore() })).toThrow(
      expect.objectContaining({ message: 'Invalid SSH settings: host, auth.password.' }),
    );
  });
});

// Host key pins in a real SQLite file: trust on first use survives an app restart (a new database handle and a
// new client), a changed key is refused against the stored pin, and every pin change is audited.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/core/audit/audit-log';
import { NodeSshClient } from '../../../src-main/core/ssh/node-ssh-client';
import { SshHostKeyRepository } from '../../../src-main/core/ssh/ssh-host-key-repository';
import { openDatabase, type ProximityDatabase } from '../../../src-main/core/store/database';
import { makeTempDir } from '../../unit/store/sqlite-test-files';
import { startSshLab, startTcpRelay, type SshLab } from './ssh-test-kit';

let env: SshLab;
let tmp: ReturnType<typeof makeTempDir>;
let file: string;

beforeAll(async () => {
  env = await startSshLab();
  tmp = makeTempDir();
  file = path.join(tmp.dir, 'proximity.sqlite');
});
afterAll(async () => {
  await env?.close();
  tmp?.cleanup();
});

/** Opens the database as the app does at start, with its pin store and audit log. */
function open(): { db: ProximityDatabase; pins: SshHostKeyRepository; audit: AuditLog } {
  const db = openDatabase({ file });
  const audit = new AuditLog(db.handle);
  return { db, pins: new SshHostKeyRepository(db.handle, audit, 'operator'), audit };
}

describe('SshHostKeyRepository', () => {
  it('keeps the confirmed pin across a restart and refuses a changed key against it', async () => {
    const relay = await startTcpRelay(env.ssh.port);
    try {
      const first = open();
      const c1 = new NodeSshClient(env.target({ port: relay.port }), { pins: first.pins, confirmHostKey: async () => true });
      expect((await c1.exec(['echo', 'first'])).stdout).toBe('first\n');
      await c1.close();
      first.db.close();

      // the app restarts: new handle, new client, no confirmation callback; the stored pin is enough
      const second = open();
      expect(await second.pins.get('lab/pve')).toMatchObject({ fingerprint: env.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519' });
      const c2 = new NodeSshClient(env.target({ port: relay.port }), { pins: second.pins });
      expect((await c2.exec(['echo', 'second'])).stdout).toBe('second\n');

      const other = await env.extraSshd('rekeyed-db');
      relay.retarget(other.port);
      relay.dropAll();
      await expect(c2.exec(['true'])).rejects.toMatchObject({
        code: 'SSH_HOST_KEY_MISMATCH',
        details: { pinned: { fingerprint: env.ssh.hostKeyFingerprint }, offered: { fingerprint: other.hostKeyFingerprint } },
      });

      // re-pin after checking the node, then forget
      await second.pins.set('lab/pve', { fingerprint: other.hostKeyFingerprint, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() });
      expect((await c2.exec(['echo', 'repinned'])).stdout).toBe('repinned\n');
      await second.pins.delete('lab/pve');
      expect(await second.pins.get('lab/pve')).toBeUndefined();
      await c2.close();

      const actions = second.audit.list().reverse().map((e) => [e.action, e.target, e.actor, e.details]);
      expect(actions).toEqual([
        ['ssh.hostkey.pin', 'lab/pve', 'operator', { fingerprint: env.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519', previous: null }],
        ['ssh.hostkey.pin', 'lab/pve', 'operator', { fingerprint: other.hostKeyFingerprint, algorithm: 'ssh-ed25519', previous: env.ssh.hostKeyFingerprint }],
        ['ssh.hostkey.unpin', 'lab/pve', 'operator', { previous: other.hostKeyFingerprint }],
      ]);
      second.db.close();
    } finally {
      await relay.close();
    }
  });

  it('refuses malformed pins, and the table refuses them too', async () => {
    const { db, pins } = open();
    try {
      await expect(pins.set('lab/x', { fingerprint: 'MD5:aa', algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(pins.set('', { fingerprint: env.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() })).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(() => db.handle.prepare(`INSERT INTO ssh_host_keys VALUES ('lab/y', 'SHA256:short', 'ssh-ed25519', 'now')`).run()).toThrow(/CHECK constraint failed/);
    } finally {
      db.close();
    }
  });
});

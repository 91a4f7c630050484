import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import type { SecretCipher } from '../../../src-main/core/secrets/secret-cipher';
import { makeTempDir } from '../store/sqlite-test-files';
import { aesGcmCipher as aesCipher } from '../../../src-main/core/secrets/aes-gcm-cipher';

const SECRET = 'c0ffee00-aaaa-bbbb-cccc-1234567890ab';
const FP = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
const HOSTKEY = `SHA256:${'A'.repeat(43)}`;
const base = { name: 'lab', host: 'pve.example.net', authKind: 'token' as const, authId: 'root@pam!proximity', secret: SECRET };

describe('PveConnectionRepository', () => {
  let dir: string;
  let cleanup: () => void;
  let core: CoreContext;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    core = openCore({ dataDir: dir, appVersion: 'test', secretCipher: aesCipher() });
  });
  afterEach(() => {
    core.close();
    cleanup();
  });

  it('stores the secret only as ciphertext: the plain text is nowhere in the database files', () => {
    const c = core.connections.insert({ ...base, tlsFingerprint: FP.toLowerCase(), ssh: { host: '198.18.0.2', user: 'root', secret: 'ssh-key-material-XYZ' } });
    expect(c).toMatchObject({ name: 'lab', port: 8006, tlsFingerprint: FP, ssh: { host: '198.18.0.2', port: 22, user: 'root', hasSecret: true } });
    expect(JSON.stringify(c)).not.toContain(SECRET);
    expect(core.connections.revealSecret(c.id)).toBe(SECRET);
    expect(core.connections.revealSshSecret(c.id)).toBe('ssh-key-material-XYZ');
    const bytes = Buffer.concat([core.db.path, `${core.db.path}-wal`].filter(fs.existsSync).map((f) => fs.readFileSync(f)));
    expect(bytes.includes(SECRET)).toBe(false);
    expect(bytes.includes('ssh-key-material-XYZ')).toBe(false);
    expect(JSON.stringify(core.audit.list())).not.toContain(SECRET);
  });

  it('pins fingerprints, replaces secrets and deletes, auditing each change', () => {
    const c = core.connections.insert({ ...base, ssh: { host: 'pve.example.net', user: 'root' } });
    expect(core.connections.pinTlsFingerprint(c.id, FP).tlsFingerprint).toBe(FP);
    expect(core.connections.pinSshHostKey(c.id, HOSTKEY).ssh?.hostKeyFingerprint).toBe(HOSTKEY);
    expect(core.connections.revealSshSecret(c.id)).toBeUndefined();
    core.connections.replaceSecret(c.id, 'new-secret');
    expect(core.connections.revealSecret(c.id)).toBe('new-secret');
    core.connections.delete(c.id, 'operator');
    expect(core.connections.list()).toEqual([]);
    expect(core.audit.list().map((e) => e.action)).toEqual([
      'connection.delete',
      'connection.secret.replace',
      'connection.ssh.pin',
      'connection.tls.pin',
      'connection.create',
    ]);
  });

  it('validates input and refuses duplicates', () => {
    const bad = [
      { ...base, host: 'https://pve.example.net' },
      { ...base, host: 'pve example' },
      { ...base, port: 0 },
      { ...base, authId: 'root@pam' }, // token auth needs a token id
      { ...base, authKind: 'password' as const }, // password auth takes a user, not a token id
      { ...base, secret: '' },
      { ...base, tlsFingerprint: 'AB:CD' },
      { ...base, ssh: { host: 'h', user: 'root; rm -rf /' } },
    ];
    for (const input of bad) expect(() => core.connections.insert(input)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => core.connections.pinSshHostKey('x', 'MD5:aa')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    core.connections.insert({ ...base, authKind: 'password', authId: 'root@pam' });
    expect(() => core.connections.insert(base)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(core.connections.list()).toHaveLength(1);
  });

  it('without a working secret store nothing is saved, and an undecryptable secret is a clear error', () => {
    const id = core.connections.insert(base).id;
    core.close();
    const noCipher = openCore({ dataDir: dir, appVersion: 'test' });
    expect(() => noCipher.connections.insert({ ...base, name: 'other' })).toThrow(expect.objectContaining({ code: 'SECRET_STORE_UNAVAILABLE' }));
    expect(() => noCipher.connections.revealSecret(id)).toThrow(expect.objectContaining({ code: 'SECRET_STORE_UNAVAILABLE' }));
    noCipher.close();
    const identity: SecretCipher = { encrypt: (p) => Buffer.from(p, 'utf8'), decrypt: (b) => b.toString('utf8') };
    const leaky = openCore({ dataDir: dir, appVersion: 'test', secretCipher: identity });
    expect(() => leaky.connections.insert({ ...base, name: 'other' })).toThrow(expect.objectContaining({ code: 'SECRET_STORE_UNAVAILABLE' }));
    leaky.close();
    core = openCore({ dataDir: dir, appVersion: 'test', secretCipher: aesCipher() }); // a different key: the keyring changed
    expect(() => core.connections.revealSecret(id)).toThrow(expect.objectContaining({ code: 'SECRET_STORE_UNAVAILABLE' }));
    expect(core.connections.list().map((c) => c.name)).toEqual(['lab']);
  });

  it('edits only the given fields, keeps secrets not re-entered, audits field names only', () => {
    const c = core.connections.insert({ ...base, tlsFingerprint: FP, ssh: { host: 'pve.example.net', user: 'root', authKind: 'key', secret: 'KEY-MATERIAL-1', hostKeyFingerprint: HOSTKEY } });
    const renamed = core.connections.edit(c.id, { name: 'renamed', ssh: { port: 2222 } }, 'operator');
    expect(renamed).toMatchObject({ name: 'renamed', host: 'pve.example.net', tlsFingerprint: FP, ssh: { port: 2222, authKind: 'key', hasSecret: true, hostKeyFingerprint: HOSTKEY } });
    expect(core.connections.revealSecret(c.id)).toBe(SECRET);
    expect(core.connections.revealSshSecret(c.id)).toBe('KEY-MATERIAL-1');

    // a new secret replaces the old one; switching auth kind without a secret is refused
    core.connections.edit(c.id, { ssh: { authKind: 'password', secret: 'ssh-password-2' } });
    expect(core.connections.revealSshSecret(c.id)).toBe('ssh-password-2');
    expect(() => core.connections.edit(c.id, { authKind: 'password', authId: 'root@pam' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => core.connections.edit(c.id, { ssh: { authKind: 'key' } })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => core.connections.edit(c.id, { host: 'https://evil' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    core.connections.insert({ ...base, name: 'taken' });
    expect(() => core.connections.edit(c.id, { name: 'taken' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));

    // removing the SSH login drops its secret and pin
    expect(core.connections.edit(c.id, { ssh: null }).ssh).toBeNull();
    expect(core.connections.revealSshSecret(c.id)).toBeUndefined();
    const audit = JSON.stringify(core.audit.list());
    for (const s of [SECRET, 'KEY-MATERIAL-1', 'ssh-password-2']) expect(audit).not.toContain(s);
    expect(core.audit.list().find((e) => e.action === 'connection.update')?.details).toEqual({ changed: ['ssh'] });
  });

  it('re-pinning records the previous fingerprint', () => {
    const c = core.connections.insert({ ...base, tlsFingerprint: FP });
    const next = FP.replace(/^..:/, '00:');
    core.connections.pinTlsFingerprint(c.id, next);
    expect(core.audit.list().find((e) => e.action === 'connection.tls.pin')?.details).toEqual({ fingerprint: next, previous: FP });
  });

  it('SSH host key pins are listed per connection prefix', async () => {
    const pin = { fingerprint: HOSTKEY, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() };
    for (const id of ['c1/pve', 'c1/pve2', 'c10/pve', 'c1_/x']) await core.hostKeys.set(id, pin);
    expect(await core.hostKeys.nodeIdsUnder('c1/')).toEqual(['c1/pve', 'c1/pve2']);
    expect(await core.hostKeys.nodeIdsUnder('c1_/')).toEqual(['c1_/x']);
  });
});

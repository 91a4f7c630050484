import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppSecrets } from '../../../src-main/core/apps/app-secrets';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import type { SecretCipher } from '../../../src-main/core/secrets/secret-cipher';

/** A real cipher (AES-256-GCM with a random key) standing in for Electron's safeStorage. */
function aesCipher(key = crypto.randomBytes(32)): SecretCipher {
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(b) {
      const d = crypto.createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('app secrets', () => {
  let dir: string | undefined;
  let core: CoreContext | undefined;
  afterEach(() => {
    core?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    core = undefined;
    dir = undefined;
  });

  it('stores only ciphertext, reads it back, and goes with the app', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-secrets-'));
    const c = openCore({ dataDir: dir, appVersion: 'test', secretCipher: aesCipher() });
    core = c;
    const app = c.apps.insert({ catalogId: 'gotify', name: 'Gotify', hostname: 'gotify' });
    const secrets = new AppSecrets(c.db.handle, c.secretCipher);
    const value = `pw-${crypto.randomUUID()}`;
    secrets.save(app.id, [{ parameterId: 'admin-password', label: 'Admin password', value }]);
    expect(secrets.load(app.id)).toEqual([{ parameterId: 'admin-password', label: 'Admin password', value }]);
    const raw = c.db.handle.prepare<[], { ciphertext: Buffer }>('SELECT ciphertext FROM app_secrets').get()!;
    expect(raw.ciphertext.includes(Buffer.from(value))).toBe(false);
    c.apps.delete(app.id);
    expect(c.db.handle.prepare('SELECT COUNT(*) AS n FROM app_secrets').get()).toEqual({ n: 0 });
    expect(() => new AppSecrets(c.db.handle, undefined).save(app.id, [])).toThrow(expect.objectContaining({ code: 'SECRET_STORE_UNAVAILABLE' }));
  });
});

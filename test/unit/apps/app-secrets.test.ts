import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppSecrets } from '../../../src-main/core/apps/app-secrets';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { aesGcmCipher as aesCipher } from '../../../src-main/core/secrets/aes-gcm-cipher';

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

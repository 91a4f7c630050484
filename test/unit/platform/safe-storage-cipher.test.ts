import { beforeEach, describe, expect, it } from 'vitest';
import * as mock from '../../fakes/electron-mock';
import { BASIC_TEXT_WARNING, createSafeStorageCipher, describeSecretStorage } from '../../../src-main/platform/safe-storage-cipher';
import { isProximityError } from '../../../src-main/core/errors';

describe('safeStorage secret cipher', () => {
  beforeEach(() => mock.__reset());

  it('round-trips and never returns the plain text as ciphertext', () => {
    const cipher = createSafeStorageCipher(mock.safeStorage);
    const secret = 'PVEAPIToken=root@pam!proximity=0b4f-11e7';
    const enc = cipher.encrypt(secret);
    expect(Buffer.isBuffer(enc)).toBe(true);
    expect(enc.includes(Buffer.from(secret))).toBe(false);
    expect(cipher.decrypt(enc)).toBe(secret);
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });

  it('fails with SECRET_STORE_UNAVAILABLE when encryption is unavailable or the ciphertext is foreign', () => {
    const cipher = createSafeStorageCipher(mock.safeStorage);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isProximityError(e) ? e.code : 'not a ProximityError';
      }
      return 'no error';
    };
    expect(code(() => cipher.decrypt(Buffer.from('garbage')))).toBe('SECRET_STORE_UNAVAILABLE');
    mock.safeStorage.__configure({ available: false });
    expect(code(() => cipher.encrypt('x'))).toBe('SECRET_STORE_UNAVAILABLE');
  });

  it('flags the Linux basic_text backend as weak with an operator-facing warning', () => {
    expect(describeSecretStorage(mock.safeStorage, 'linux')).toEqual({ available: true, backend: 'gnome_libsecret', weak: false, warning: null });
    mock.safeStorage.__configure({ backend: 'basic_text' });
    const status = describeSecretStorage(mock.safeStorage, 'linux');
    expect(status).toMatchObject({ available: true, backend: 'basic_text', weak: true, warning: BASIC_TEXT_WARNING });
    expect(status.warning).toMatch(/keyring/i);
    // Other platforms never report a Linux backend.
    expect(describeSecretStorage(mock.safeStorage, 'darwin')).toMatchObject({ backend: 'os', weak: false });
    mock.safeStorage.__configure({ available: false });
    expect(describeSecretStorage(mock.safeStorage, 'linux')).toMatchObject({ available: false, weak: true });
  });
});

import crypto from 'node:crypto';
import type { SecretCipher } from './secret-cipher';

/**
 * A SecretCipher over AES-256-GCM with the given 32-byte key: ciphertext = 12-byte IV + 16-byte tag + body.
 * For places without the OS keychain only: the `npm run web -- --lab` bridge (a key file for throwaway lab
 * credentials) and tests (a random key), where it stands in for Electron's safeStorage with real encryption.
 * Throws RangeError for a key that is not 32 bytes; decrypt throws on a tampered or foreign ciphertext.
 */
export function aesGcmCipher(key: Buffer = crypto.randomBytes(32)): SecretCipher {
  if (key.length !== 32) throw new RangeError('AES-256-GCM needs a 32-byte key');
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(blob) {
      const d = crypto.createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      d.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([d.update(blob.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

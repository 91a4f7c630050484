import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../core/secrets/secret-cipher';
import { ProximityError } from '../core/errors';

/** What the operator should know about where secrets are kept. */
export interface SecretStorageStatus {
  available: boolean;
  /** Linux only: the keyring safeStorage picked ('gnome_libsecret', 'kwallet6', 'basic_text', ...); else 'os'. */
  backend: string;
  /**
   * True when secrets are only obfuscated: on Linux without a keyring Chromium falls back to `basic_text`, a
   * hard-coded key. The UI must say so; Proximity still works (refusing would lock such operators out).
   */
  weak: boolean;
  warning: string | null;
}

type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: SafeStorage['getSelectedStorageBackend'];
};

export const BASIC_TEXT_WARNING =
  'No system keyring was found, so saved secrets (API tokens, SSH keys) are only obfuscated, not encrypted. ' +
  'Install and unlock a keyring (GNOME Keyring or KWallet) and restart Proximity.';

export function describeSecretStorage(safeStorage: SafeStorageLike, platform: string = process.platform): SecretStorageStatus {
  const available = safeStorage.isEncryptionAvailable();
  const backend = platform === 'linux' && safeStorage.getSelectedStorageBackend ? safeStorage.getSelectedStorageBackend() : 'os';
  if (!available) {
    return { available, backend, weak: true, warning: 'Secret encryption is unavailable; Proximity cannot store API tokens or SSH keys.' };
  }
  const weak = backend === 'basic_text';
  return { available, backend, weak, warning: weak ? BASIC_TEXT_WARNING : null };
}

/** SecretCipher backed by Electron's safeStorage (OS keychain / DPAPI / libsecret). */
export function createSafeStorageCipher(safeStorage: SafeStorageLike): SecretCipher {
  return {
    encrypt(plain) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new ProximityError('SECRET_STORE_UNAVAILABLE', 'Secret encryption is not available on this system.');
      }
      try {
        return safeStorage.encryptString(plain);
      } catch (cause) {
        throw new ProximityError('SECRET_STORE_UNAVAILABLE', 'Could not encrypt the secret.', { cause });
      }
    },
    decrypt(ciphertext) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new ProximityError('SECRET_STORE_UNAVAILABLE', 'Secret encryption is not available on this system.');
      }
      try {
        return safeStorage.decryptString(ciphertext);
      } catch (cause) {
        // Typically a keyring change (new machine, reset keyring): the stored secret must be entered again.
        throw new ProximityError('SECRET_STORE_UNAVAILABLE', 'Could not decrypt a stored secret; enter it again.', { cause });
      }
    },
  };
}

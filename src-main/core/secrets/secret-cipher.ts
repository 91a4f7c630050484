/**
 * Encrypts secrets (PVE API token secrets, SSH keys) before they reach the database. The Electron platform layer
 * implements it with `safeStorage`; core only sees this interface, so core never imports `electron` and tests can
 * inject a real (non-Electron) cipher. The database only ever stores the ciphertext.
 */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(ciphertext: Buffer): string;
}

// An app's deployment secrets (generated passwords and the like), stored only as ciphertext from the injected
// SecretCipher. Rows go with the app (ON DELETE CASCADE).
import { ProximityError } from '../errors';
import type { SecretCipher } from '../secrets/secret-cipher';
import type { SqliteDatabase } from '../store/database';

export interface StoredSecret {
  parameterId: string;
  label: string;
  value: string;
}

export class AppSecrets {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly cipher: SecretCipher | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Whether secrets can be stored here (a secret store exists). */
  get available(): boolean {
    return this.cipher !== undefined;
  }

  /** Stores (replaces) secrets of `appId`. Throws SECRET_STORE_UNAVAILABLE without a cipher. */
  save(appId: string, secrets: readonly StoredSecret[]): void {
    const cipher = this.require();
    const put = this.db.prepare('INSERT OR REPLACE INTO app_secrets (app_id, parameter_id, label, ciphertext, created_at) VALUES (?, ?, ?, ?, ?)');
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const s of secrets) put.run(appId, s.parameterId, s.label, cipher.encrypt(s.value), at);
    })();
  }

  /** The decrypted secrets of `appId` (empty when none). Throws SECRET_STORE_UNAVAILABLE without a cipher. */
  load(appId: string): StoredSecret[] {
    const cipher = this.require();
    return this.db
      .prepare<[string], { parameter_id: string; label: string; ciphertext: Buffer }>('SELECT parameter_id, label, ciphertext FROM app_secrets WHERE app_id = ? ORDER BY parameter_id')
      .all(appId)
      .map((r) => ({ parameterId: r.parameter_id, label: r.label, value: cipher.decrypt(r.ciphertext) }));
  }

  private require(): SecretCipher {
    if (!this.cipher) throw new ProximityError('SECRET_STORE_UNAVAILABLE', 'No secret store is available, so app secrets cannot be kept.');
    return this.cipher;
  }
}

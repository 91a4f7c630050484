import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import { ProximityError } from '../errors';
import type { SecretCipher } from '../secrets/secret-cipher';
import type { CoreEventPublisher } from '../events/core-events';
import type { SqliteDatabase } from '../store/database';
import { newPveConnectionSchema, pveConnectionEditSchema, sshHostKeyFingerprintSchema, tlsFingerprintSchema, type NewPveConnection, type PveConnectionEdit } from './pve-connection-schema';

export type { NewPveConnection, PveConnectionEdit };

/** A stored connection as the rest of the app sees it: never the secret, only whether one is stored. */
export interface PveConnectionRecord {
  id: string;
  name: string;
  host: string;
  port: number;
  authKind: 'token' | 'password';
  authId: string;
  tlsFingerprint: string | null;
  ssh: { host: string; port: number; user: string; authKind: 'key' | 'password' | null; hostKeyFingerprint: string | null; hasSecret: boolean } | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  name: string;
  host: string;
  port: number;
  auth_kind: 'token' | 'password';
  auth_id: string;
  tls_fingerprint: string | null;
  ssh_host: string | null;
  ssh_port: number | null;
  ssh_user: string | null;
  ssh_auth_kind: 'key' | 'password' | null;
  ssh_host_key_fingerprint: string | null;
  has_ssh_secret: number;
  created_at: string;
  updated_at: string;
}

const PUBLIC_COLUMNS = `id, name, host, port, auth_kind, auth_id, tls_fingerprint, ssh_host, ssh_port, ssh_user, ssh_auth_kind,
  ssh_host_key_fingerprint, ssh_secret_ciphertext IS NOT NULL AS has_ssh_secret, created_at, updated_at`;

/**
 * Proxmox connections. Secrets go through the injected SecretCipher (safeStorage in the app) on the way in and
 * out; the table only ever holds ciphertext, and audit rows never contain secrets.
 */
export class PveConnectionRepository {
  private readonly now: () => Date;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly audit: AuditLog,
    private readonly cipher: SecretCipher | undefined,
    options: { now?: () => Date; events?: CoreEventPublisher } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.events = options.events;
  }

  private readonly events?: CoreEventPublisher;

  insert(input: NewPveConnection, actor = 'system'): PveConnectionRecord {
    const c = parse(newPveConnectionSchema, input, 'connection');
    const secret = this.encrypt(c.secret);
    const sshSecret = c.ssh?.secret ? this.encrypt(c.ssh.secret) : null;
    const id = randomUUID();
    const at = this.now().toISOString();
    const created = this.db
      .transaction(() => {
        try {
          this.db
            .prepare(
              `INSERT INTO pve_connections (id, name, host, port, auth_kind, auth_id, secret_ciphertext, tls_fingerprint,
                 ssh_host, ssh_port, ssh_user, ssh_auth_kind, ssh_secret_ciphertext, ssh_host_key_fingerprint, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(id, c.name, c.host, c.port, c.authKind, c.authId, secret, c.tlsFingerprint ?? null, c.ssh?.host ?? null,
              c.ssh?.port ?? null, c.ssh?.user ?? null, c.ssh?.authKind ?? null, sshSecret, c.ssh?.hostKeyFingerprint ?? null, at, at);
        } catch (cause) {
          if (/UNIQUE constraint failed: pve_connections.name/.test((cause as Error).message)) {
            throw new ProximityError('CONFLICT', `A connection named "${c.name}" already exists.`, { details: { name: c.name }, cause });
          }
          throw cause;
        }
        this.audit.append({ actor, action: 'connection.create', target: id, details: { name: c.name, host: c.host, port: c.port, authId: c.authId } });
        return this.require(id);
      })
      .immediate();
    this.events?.emit('connections.changed', { connectionId: id, change: 'created' });
    return created;
  }

  /**
   * Edits a stored connection: only the fields in `patch` change, secrets not given are kept (re-encrypted
   * only when given). Changing the API auth kind needs the new secret; `ssh: null` removes the SSH login and
   * its pin. Audited as `connection.update` with the changed field NAMES only. Throws NOT_FOUND, VALIDATION,
   * CONFLICT (name taken), SECRET_STORE_UNAVAILABLE.
   */
  edit(id: string, patch: PveConnectionEdit, actor = 'system'): PveConnectionRecord {
    const p = parse(pveConnectionEditSchema, patch, 'connection change');
    const cur = this.require(id);
    if (p.authKind && p.authKind !== cur.authKind && p.secret === undefined) {
      throw new ProximityError('VALIDATION', 'Changing how Proximity logs in to Proxmox VE needs the new secret (token secret or password).');
    }
    const sshPatch = p.ssh;
    if (sshPatch && !cur.ssh && (!sshPatch.host || !sshPatch.user || !sshPatch.secret)) {
      throw new ProximityError('VALIDATION', 'A new SSH login needs its host, user and key or password.');
    }
    if (sshPatch?.authKind && cur.ssh && sshPatch.authKind !== cur.ssh.authKind && sshPatch.secret === undefined) {
      throw new ProximityError('VALIDATION', 'Changing the SSH login from key to password (or back) needs the new key or password.');
    }
    // the merged connection must be valid as a whole (auth kind vs id, host patterns)
    const merged = {
      name: p.name ?? cur.name,
      host: p.host ?? cur.host,
      port: p.port ?? cur.port,
      authKind: p.authKind ?? cur.authKind,
      authId: p.authId ?? cur.authId,
      secret: 'kept',
      ssh: sshPatch === null ? null : sshPatch || cur.ssh ? {
        host: sshPatch?.host ?? cur.ssh!.host,
        port: sshPatch?.port ?? cur.ssh?.port ?? 22,
        user: sshPatch?.user ?? cur.ssh!.user,
        authKind: sshPatch?.authKind ?? cur.ssh?.authKind ?? null,
      } : null,
    };
    const m = parse(newPveConnectionSchema, merged, 'connection');
    const secret = p.secret !== undefined ? this.encrypt(p.secret) : undefined;
    const sshSecret = sshPatch?.secret !== undefined ? this.encrypt(sshPatch.secret) : undefined;
    const changed = Object.keys(p).flatMap((k) => (k === 'ssh' && sshPatch ? Object.keys(sshPatch).map((s) => `ssh.${s}`) : [k]));
    const at = this.now().toISOString();
    const updated = this.db
      .transaction(() => {
        this.require(id);
        try {
          this.db
            .prepare(
              `UPDATE pve_connections SET name = ?, host = ?, port = ?, auth_kind = ?, auth_id = ?, ssh_host = ?, ssh_port = ?,
                 ssh_user = ?, ssh_auth_kind = ?, updated_at = ? WHERE id = ?`,
            )
            .run(m.name, m.host, m.port, m.authKind, m.authId, m.ssh?.host ?? null, m.ssh?.port ?? null, m.ssh?.user ?? null,
              m.ssh?.authKind ?? null, at, id);
        } catch (cause) {
          if (/UNIQUE constraint failed: pve_connections.name/.test((cause as Error).message)) {
            throw new ProximityError('CONFLICT', `A connection named "${m.name}" already exists.`, { details: { name: m.name }, cause });
          }
          throw cause;
        }
        if (secret) this.db.prepare('UPDATE pve_connections SET secret_ciphertext = ? WHERE id = ?').run(secret, id);
        if (sshSecret) this.db.prepare('UPDATE pve_connections SET ssh_secret_ciphertext = ? WHERE id = ?').run(sshSecret, id);
        if (!m.ssh) {
          this.db.prepare('UPDATE pve_connections SET ssh_secret_ciphertext = NULL, ssh_host_key_fingerprint = NULL WHERE id = ?').run(id);
        }
        this.audit.append({ actor, action: 'connection.update', target: id, details: { changed } });
        return this.require(id);
      })
      .immediate();
    this.events?.emit('connections.changed', { connectionId: id, change: 'updated' });
    return updated;
  }

  get(id: string): PveConnectionRecord | undefined {
    const row = this.db.prepare<[string], Row>(`SELECT ${PUBLIC_COLUMNS} FROM pve_connections WHERE id = ?`).get(id);
    return row && toRecord(row);
  }

  require(id: string): PveConnectionRecord {
    const found = this.get(id);
    if (!found) throw new ProximityError('NOT_FOUND', `No Proxmox connection with id ${id}.`, { details: { id } });
    return found;
  }

  list(): PveConnectionRecord[] {
    return this.db.prepare<[], Row>(`SELECT ${PUBLIC_COLUMNS} FROM pve_connections ORDER BY name`).all().map(toRecord);
  }

  /** The decrypted API secret (token secret or password), for the PVE client only. */
  revealSecret(id: string): string {
    this.require(id);
    const blob = this.db.prepare<[string], Buffer>('SELECT secret_ciphertext FROM pve_connections WHERE id = ?').pluck().get(id)!;
    return this.decrypt(blob);
  }

  /** The decrypted SSH secret (private key or password), or undefined when none is stored. */
  revealSshSecret(id: string): string | undefined {
    this.require(id);
    const blob = this.db.prepare<[string], Buffer | null>('SELECT ssh_secret_ciphertext FROM pve_connections WHERE id = ?').pluck().get(id);
    return blob ? this.decrypt(blob) : undefined;
  }

  replaceSecret(id: string, secret: string, actor = 'system'): void {
    if (typeof secret !== 'string' || secret.length === 0) throw new ProximityError('VALIDATION', 'The new secret is empty.');
    const blob = this.encrypt(secret);
    this.update(id, 'secret_ciphertext', blob, actor, 'connection.secret.replace', {});
  }

  /** Trust-on-first-use and re-pinning after the operator confirmed a new certificate. */
  pinTlsFingerprint(id: string, fingerprint: string, actor = 'system'): PveConnectionRecord {
    const fp = parse(tlsFingerprintSchema, fingerprint, 'TLS fingerprint');
    const previous = this.require(id).tlsFingerprint;
    this.update(id, 'tls_fingerprint', fp, actor, 'connection.tls.pin', { fingerprint: fp, previous });
    return this.require(id);
  }

  pinSshHostKey(id: string, fingerprint: string, actor = 'system'): PveConnectionRecord {
    const fp = parse(sshHostKeyFingerprintSchema, fingerprint, 'SSH host key fingerprint');
    const previous = this.require(id).ssh?.hostKeyFingerprint ?? null;
    this.update(id, 'ssh_host_key_fingerprint', fp, actor, 'connection.ssh.pin', { fingerprint: fp, previous });
    return this.require(id);
  }

  delete(id: string, actor = 'system'): void {
    this.db
      .transaction(() => {
        const existing = this.require(id);
        this.db.prepare('DELETE FROM pve_connections WHERE id = ?').run(id);
        this.audit.append({ actor, action: 'connection.delete', target: id, details: { name: existing.name } });
      })
      .immediate();
    this.events?.emit('connections.changed', { connectionId: id, change: 'deleted' });
  }

  private update(id: string, column: string, value: unknown, actor: string, action: string, details: unknown): void {
    this.db
      .transaction(() => {
        this.require(id);
        this.db.prepare(`UPDATE pve_connections SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, this.now().toISOString(), id);
        this.audit.append({ actor, action, target: id, details });
      })
      .immediate();
    this.events?.emit('connections.changed', { connectionId: id, change: 'updated' });
  }

  private encrypt(plain: string): Buffer {
    const cipher = this.requireCipher();
    const out = cipher.encrypt(plain);
    // Refuse a cipher that returns nothing or the plain text itself: the database must never hold a secret in clear.
    if (!Buffer.isBuffer(out) || out.length === 0 || out.equals(Buffer.from(plain, 'utf8'))) {
      throw new ProximityError('SECRET_STORE_UNAVAILABLE', 'The secret store did not encrypt the secret; it was not saved.');
    }
    return out;
  }

  private decrypt(blob: Buffer): string {
    try {
      return this.requireCipher().decrypt(blob);
    } catch (cause) {
      if (cause instanceof ProximityError) throw cause;
      throw new ProximityError(
        'SECRET_STORE_UNAVAILABLE',
        'A saved secret could not be decrypted (the system keyring changed or is locked). Enter the secret again.',
        { cause },
      );
    }
  }

  private requireCipher(): SecretCipher {
    if (!this.cipher) throw new ProximityError('SECRET_STORE_UNAVAILABLE', 'No secret store is available, so secrets cannot be saved or read.');
    return this.cipher;
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ProximityError('VALIDATION', `Invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ')}`, {
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}

function toRecord(r: Row): PveConnectionRecord {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    authKind: r.auth_kind,
    authId: r.auth_id,
    tlsFingerprint: r.tls_fingerprint,
    ssh: r.ssh_host === null ? null : {
      host: r.ssh_host,
      port: r.ssh_port ?? 22,
      user: r.ssh_user ?? 'root',
      authKind: r.ssh_auth_kind,
      hostKeyFingerprint: r.ssh_host_key_fingerprint,
      hasSecret: r.has_ssh_secret === 1,
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

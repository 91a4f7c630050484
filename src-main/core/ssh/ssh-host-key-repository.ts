// Host key pins in the app's SQLite database (table ssh_host_keys, migration 005), every change audited.
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import { ProximityError } from '../errors';
import type { SqliteDatabase } from '../store/database';
import type { HostKeyPin, HostKeyPinStore } from './host-key-pins';

const pinSchema = z.object({
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'fingerprint must be SHA256:<43 base64 characters>'),
  algorithm: z.string().regex(/^[a-z0-9@.-]{1,64}$/, 'algorithm must be an SSH key algorithm name'),
  pinnedAt: z.iso.datetime(),
});

const nodeIdSchema = z.string().min(1).max(300);

interface Row {
  fingerprint: string;
  algorithm: string;
  pinned_at: string;
}

/**
 * The persistent HostKeyPinStore. `set` replaces a node's pin (re-pinning after the operator confirmed a new
 * key) and `delete` forgets it; both append an audit row (`ssh.hostkey.pin` / `ssh.hostkey.unpin`, target =
 * node id, details = fingerprints) in the same transaction. Throws `VALIDATION` for a malformed pin or node id,
 * `DB_ERROR` when a stored row no longer validates.
 */
export class SshHostKeyRepository implements HostKeyPinStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly audit: AuditLog,
    private readonly actor = 'system',
  ) {}

  async get(nodeId: string): Promise<HostKeyPin | undefined> {
    const id = parse(nodeIdSchema, nodeId, 'node id');
    const row = this.db.prepare<[string], Row>('SELECT fingerprint, algorithm, pinned_at FROM ssh_host_keys WHERE node_id = ?').get(id);
    if (!row) return undefined;
    const pin = pinSchema.safeParse({ fingerprint: row.fingerprint, algorithm: row.algorithm, pinnedAt: row.pinned_at });
    if (!pin.success) {
      throw new ProximityError('DB_ERROR', `The stored SSH host key of node ${id} is invalid; re-pin it.`, { details: { nodeId: id } });
    }
    return pin.data;
  }

  async set(nodeId: string, pin: HostKeyPin): Promise<void> {
    const id = parse(nodeIdSchema, nodeId, 'node id');
    const p = parse(pinSchema, pin, 'host key pin');
    this.db
      .transaction(() => {
        const previous = this.db.prepare<[string], { fingerprint: string }>('SELECT fingerprint FROM ssh_host_keys WHERE node_id = ?').get(id);
        this.db
          .prepare(
            `INSERT INTO ssh_host_keys (node_id, fingerprint, algorithm, pinned_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (node_id) DO UPDATE SET fingerprint = excluded.fingerprint, algorithm = excluded.algorithm,
               pinned_at = excluded.pinned_at`,
          )
          .run(id, p.fingerprint, p.algorithm, p.pinnedAt);
        this.audit.append({
          actor: this.actor,
          action: 'ssh.hostkey.pin',
          target: id,
          details: { fingerprint: p.fingerprint, algorithm: p.algorithm, previous: previous?.fingerprint ?? null },
        });
      })
      .immediate();
  }

  /** Node ids with a pin that start with `prefix` (e.g. every node of one connection: `<connectionId>/`). */
  async nodeIdsUnder(prefix: string): Promise<string[]> {
    const p = parse(nodeIdSchema, prefix, 'node id prefix');
    return this.db
      .prepare<[number, string], string>('SELECT node_id FROM ssh_host_keys WHERE substr(node_id, 1, ?) = ? ORDER BY node_id')
      .pluck()
      .all(p.length, p);
  }

  async delete(nodeId: string): Promise<void> {
    const id = parse(nodeIdSchema, nodeId, 'node id');
    this.db
      .transaction(() => {
        const previous = this.db.prepare<[string], { fingerprint: string }>('SELECT fingerprint FROM ssh_host_keys WHERE node_id = ?').get(id);
        if (!previous) return;
        this.db.prepare('DELETE FROM ssh_host_keys WHERE node_id = ?').run(id);
        this.audit.append({ actor: this.actor, action: 'ssh.hostkey.unpin', target: id, details: { previous: previous.fingerprint } });
      })
      .immediate();
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ProximityError('VALIDATION', `Invalid ${what}: ${r.error.issues.map((i) => i.message).join('; ')}.`);
}

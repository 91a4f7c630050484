import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ProximityError } from '../errors';
import { APP_STATUSES, appStatusSchema, type AppStatus } from '../../../src-shared/contract/schemas';
import type { CoreEventPublisher } from '../events/core-events';
import type { SqliteDatabase } from '../store/database';

// The statuses are the contract's enum (one list for core, tray and UI). Deliberately not a CHECK constraint in
// SQL: the deploy work will add states, and a TS list changes without a table rebuild.
export { APP_STATUSES, type AppStatus };

export interface AppRecord {
  id: string;
  catalogId: string;
  name: string;
  hostname: string;
  node: string | null;
  vmid: number | null;
  status: AppStatus;
  createdAt: string;
  updatedAt: string;
}

// A single DNS label: it becomes `<hostname>.prox.local` and lands in dnsmasq and Caddy config files.
const hostnameSchema = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'hostname must be a lowercase DNS label');

export const newAppSchema = z.object({
  id: z.uuid().optional(),
  catalogId: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  hostname: hostnameSchema,
  node: z.string().min(1).max(200).nullish(),
  vmid: z.number().int().min(100).max(999_999_999).nullish(),
  status: appStatusSchema.default('pending'),
});
export type NewApp = z.input<typeof newAppSchema>;

interface AppRow {
  id: string;
  catalog_id: string;
  name: string;
  hostname: string;
  node: string | null;
  vmid: number | null;
  status: AppStatus;
  created_at: string;
  updated_at: string;
}

/** Minimal app persistence; the deploy work extends it. */
export class AppRepository {
  private readonly now: () => Date;

  constructor(
    private readonly db: SqliteDatabase,
    options: { now?: () => Date; events?: CoreEventPublisher } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.events = options.events;
  }

  private readonly events?: CoreEventPublisher;

  insert(input: NewApp): AppRecord {
    const parsed = newAppSchema.safeParse(input);
    if (!parsed.success) throw new ProximityError('VALIDATION', `Invalid app: ${parsed.error.message}`, { details: parsed.error.issues });
    const a = parsed.data;
    const at = this.now().toISOString();
    const row: AppRow = {
      id: a.id ?? randomUUID(),
      catalog_id: a.catalogId,
      name: a.name,
      hostname: a.hostname,
      node: a.node ?? null,
      vmid: a.vmid ?? null,
      status: a.status,
      created_at: at,
      updated_at: at,
    };
    try {
      this.db
        .prepare(
          `INSERT INTO apps (id, catalog_id, name, hostname, node, vmid, status, created_at, updated_at)
           VALUES (@id, @catalog_id, @name, @hostname, @node, @vmid, @status, @created_at, @updated_at)`,
        )
        .run(row);
    } catch (cause) {
      if ((cause as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new ProximityError('CONFLICT', `An app with this id, hostname or node/vmid already exists (${(cause as Error).message}).`, {
          details: { id: row.id, hostname: row.hostname, node: row.node, vmid: row.vmid },
          cause,
        });
      }
      throw cause;
    }
    this.events?.emit('apps.changed', { appId: row.id, change: 'created' });
    return toRecord(row);
  }

  get(id: string): AppRecord | undefined {
    const row = this.db.prepare<[string], AppRow>('SELECT * FROM apps WHERE id = ?').get(id);
    return row && toRecord(row);
  }

  require(id: string): AppRecord {
    const app = this.get(id);
    if (!app) throw new ProximityError('NOT_FOUND', `No app with id ${id}.`, { details: { id } });
    return app;
  }

  list(): AppRecord[] {
    return this.db.prepare<[], AppRow>('SELECT * FROM apps ORDER BY created_at, id').all().map(toRecord);
  }

  updateStatus(id: string, status: AppStatus): AppRecord {
    const parsed = appStatusSchema.safeParse(status);
    if (!parsed.success) throw new ProximityError('VALIDATION', `Unknown app status "${String(status)}".`, { details: { status } });
    const info = this.db.prepare('UPDATE apps SET status = ?, updated_at = ? WHERE id = ?').run(parsed.data, this.now().toISOString(), id);
    if (info.changes === 0) throw new ProximityError('NOT_FOUND', `No app with id ${id}.`, { details: { id } });
    this.events?.emit('apps.changed', { appId: id, change: 'updated' });
    return this.require(id);
  }

  /** Refused (CONFLICT) while the app still holds ports: release them first, so no port is ever orphaned. */
  delete(id: string): void {
    try {
      const info = this.db.prepare('DELETE FROM apps WHERE id = ?').run(id);
      if (info.changes === 0) throw new ProximityError('NOT_FOUND', `No app with id ${id}.`, { details: { id } });
    } catch (cause) {
      // ON DELETE RESTRICT reports as SQLITE_CONSTRAINT_TRIGGER or _FOREIGNKEY depending on timing; the message is stable.
      if (/FOREIGN KEY constraint failed/.test((cause as Error).message)) {
        throw new ProximityError('CONFLICT', `App ${id} still has ports assigned; release them before deleting it.`, { details: { id }, cause });
      }
      throw cause;
    }
    this.events?.emit('apps.changed', { appId: id, change: 'deleted' });
  }
}

function toRecord(row: AppRow): AppRecord {
  return {
    id: row.id,
    catalogId: row.catalog_id,
    name: row.name,
    hostname: row.hostname,
    node: row.node,
    vmid: row.vmid,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

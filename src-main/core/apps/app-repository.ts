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
  /** the PVE connection (profile id) the app lives on; null for apps recorded before connections existed */
  connectionId: string | null;
  /** the container's IPv4 address (DHCP lease), once known */
  ip: string | null;
  /** the container's net0 MAC address, once known */
  mac: string | null;
  /** what Proximity needs to reach and recover the app (see deploy/app-spec.ts); null until deployed */
  spec: unknown;
  createdAt: string;
  updatedAt: string;
}

/** Fields the deployment engine and reconciliation set after the app row exists. */
export interface AppPlacement {
  node?: string | null;
  vmid?: number | null;
  ip?: string | null;
  mac?: string | null;
  spec?: unknown;
  status?: AppStatus;
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
  connectionId: z.string().min(1).max(200).nullish(),
  spec: z.unknown().optional(),
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
  connection_id: string | null;
  ip: string | null;
  mac: string | null;
  spec: string;
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
      connection_id: a.connectionId ?? null,
      ip: null,
      mac: null,
      spec: JSON.stringify(a.spec ?? null),
      created_at: at,
      updated_at: at,
    };
    try {
      this.db
        .prepare(
          `INSERT INTO apps (id, catalog_id, name, hostname, node, vmid, status, connection_id, ip, mac, spec, created_at, updated_at)
           VALUES (@id, @catalog_id, @name, @hostname, @node, @vmid, @status, @connection_id, @ip, @mac, @spec, @created_at, @updated_at)`,
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

  /**
   * Sets where the app lives and what is known about it (only the given fields). Throws NOT_FOUND, VALIDATION
   * (status, vmid), CONFLICT (another app already has this node/vmid).
   */
  place(id: string, p: AppPlacement): AppRecord {
    const sets: string[] = [];
    const values: Record<string, unknown> = { id, updated_at: this.now().toISOString() };
    const put = (col: string, v: unknown) => {
      sets.push(`${col} = @${col}`);
      values[col] = v;
    };
    if (p.node !== undefined) put('node', p.node);
    if (p.vmid !== undefined) put('vmid', p.vmid === null ? null : z.number().int().min(100).max(999_999_999).parse(p.vmid));
    if (p.ip !== undefined) put('ip', p.ip);
    if (p.mac !== undefined) put('mac', p.mac);
    if (p.spec !== undefined) put('spec', JSON.stringify(p.spec ?? null));
    if (p.status !== undefined) {
      const st = appStatusSchema.safeParse(p.status);
      if (!st.success) throw new ProximityError('VALIDATION', `Unknown app status "${String(p.status)}".`, { details: { status: p.status } });
      put('status', st.data);
    }
    let info;
    try {
      info = this.db.prepare(`UPDATE apps SET ${[...sets, 'updated_at = @updated_at'].join(', ')} WHERE id = @id`).run(values);
    } catch (cause) {
      if ((cause as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new ProximityError('CONFLICT', `Another app already uses ${String(p.node)}/${String(p.vmid)}.`, { details: { id, node: p.node, vmid: p.vmid }, cause });
      }
      throw cause;
    }
    if (info.changes === 0) throw new ProximityError('NOT_FOUND', `No app with id ${id}.`, { details: { id } });
    this.events?.emit('apps.changed', { appId: id, change: 'updated' });
    return this.require(id);
  }

  /** The app by hostname (a DNS label), or undefined. */
  byHostname(hostname: string): AppRecord | undefined {
    const row = this.db.prepare<[string], AppRow>('SELECT * FROM apps WHERE hostname = ?').get(hostname);
    return row && toRecord(row);
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
    connectionId: row.connection_id,
    ip: row.ip,
    mac: row.mac,
    spec: JSON.parse(row.spec) as unknown,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

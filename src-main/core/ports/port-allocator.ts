import type { AuditLog } from '../audit/audit-log';
import { ProximityError } from '../errors';
import type { SettingsStore } from '../settings/settings-store';
import type { CoreEventPublisher } from '../events/core-events';
import type { SqliteDatabase } from '../store/database';
import { LowestFreePortQuery } from './lowest-free-port';
import type { PortRange, PortRangeKind } from './port-range';

export interface PortAssignment {
  appId: string;
  publicPort: number;
  internalPort: number;
  assignedAt: string;
}

export interface PortAllocatorOptions {
  now?: () => Date;
  /** Attempts when another writer wins a port between our read and insert (should not happen under BEGIN IMMEDIATE). */
  maxAttempts?: number;
  /** Told after every committed allocation and release (`ports.changed`). */
  events?: CoreEventPublisher;
  /** Test seam: runs inside the transaction just before the insert. */
  beforeInsert?: (attempt: number, pair: { publicPort: number; internalPort: number }) => void;
}

interface AssignmentRow {
  app_id: string;
  public_port: number;
  internal_port: number;
  assigned_at: string;
}

/**
 * Gives each app one public and one internal port: the lowest free port of each configured range, taken as a
 * pair in one BEGIN IMMEDIATE transaction together with its audit row. The UNIQUE constraints on the table are
 * the real guarantee; BEGIN IMMEDIATE serialises writers (also across processes sharing the file), and a
 * constraint race is retried a bounded number of times.
 *
 * Decisions: allocating for an app that already has ports is a CONFLICT (its pair is in the error details);
 * a failed allocation (exhausted range, unknown app) changes nothing and writes no audit row, because the audit
 * log records changes, and the caller receives the error with all details.
 */
export class PortAllocator {
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly publicFree: LowestFreePortQuery;
  private readonly internalFree: LowestFreePortQuery;
  private readonly statements;
  private readonly allocateTx;
  private readonly releaseTx;
  private readonly adoptTx;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly audit: AuditLog,
    private readonly settings: SettingsStore,
    private readonly options: PortAllocatorOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 5;
    this.publicFree = new LowestFreePortQuery(db, 'public_port');
    this.internalFree = new LowestFreePortQuery(db, 'internal_port');
    this.statements = {
      appExists: db.prepare<[string], number>('SELECT 1 FROM apps WHERE id = ?').pluck(),
      get: db.prepare<[string], AssignmentRow>('SELECT * FROM port_assignments WHERE app_id = ?'),
      list: db.prepare<[], AssignmentRow>('SELECT * FROM port_assignments ORDER BY public_port'),
      insert: db.prepare('INSERT INTO port_assignments (app_id, public_port, internal_port, assigned_at) VALUES (?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM port_assignments WHERE app_id = ?'),
    };
    this.allocateTx = db.transaction((appId: string, actor: string, n: number) => this.allocateOnce(appId, actor, n));
    this.releaseTx = db.transaction((appId: string, actor: string) => this.releaseOnce(appId, actor));
    this.adoptTx = db.transaction((appId: string, pair: { publicPort: number; internalPort: number }, actor: string) => this.adoptOnce(appId, pair, actor));
  }

  allocate(appId: string, actor = 'system'): PortAssignment {
    for (let n = 1; ; n++) {
      try {
        const assigned = this.allocateTx.immediate(appId, actor, n);
        this.options.events?.emit('ports.changed', { appId, change: 'allocated' });
        return assigned;
      } catch (e) {
        if (n < this.maxAttempts && isPortRace(e)) continue;
        throw e;
      }
    }
  }

  /**
   * Records a pair found in use elsewhere (a container another desktop deployed, found in the cluster), so it is
   * never handed out here. Throws NOT_FOUND (no such app), CONFLICT (the app has ports, or a port is taken).
   */
  adopt(appId: string, pair: { publicPort: number; internalPort: number }, actor = 'system'): PortAssignment {
    const assigned = this.adoptTx.immediate(appId, pair, actor);
    this.options.events?.emit('ports.changed', { appId, change: 'allocated' });
    return assigned;
  }

  release(appId: string, actor = 'system'): PortAssignment {
    const released = this.releaseTx.immediate(appId, actor);
    this.options.events?.emit('ports.changed', { appId, change: 'released' });
    return released;
  }

  get(appId: string): PortAssignment | undefined {
    const row = this.statements.get.get(appId);
    return row && toAssignment(row);
  }

  list(): PortAssignment[] {
    return this.statements.list.all().map(toAssignment);
  }

  private releaseOnce(appId: string, actor: string): PortAssignment {
    const current = this.get(appId);
    if (!current) throw new ProximityError('PORT_NOT_ASSIGNED', `App ${appId} has no ports assigned.`, { details: { appId } });
    this.statements.remove.run(appId);
    this.audit.append({ actor, action: 'ports.release', target: appId, details: pairOf(current) });
    return current;
  }

  private adoptOnce(appId: string, pair: { publicPort: number; internalPort: number }, actor: string): PortAssignment {
    if (!this.statements.appExists.get(appId)) throw new ProximityError('NOT_FOUND', `Cannot record ports: no app with id ${appId}.`, { details: { appId } });
    const assignedAt = this.now().toISOString();
    try {
      this.statements.insert.run(appId, pair.publicPort, pair.internalPort, assignedAt);
    } catch (cause) {
      if ((cause as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new ProximityError('CONFLICT', `Ports ${pair.publicPort}/${pair.internalPort} of app ${appId} collide with ports already assigned here.`, { details: { appId, ...pair }, cause });
      }
      throw cause;
    }
    this.audit.append({ actor, action: 'ports.adopt', target: appId, details: pair });
    return { appId, publicPort: pair.publicPort, internalPort: pair.internalPort, assignedAt };
  }

  private allocateOnce(appId: string, actor: string, attempt: number): PortAssignment {
    if (typeof appId !== 'string' || !this.statements.appExists.get(appId)) {
      throw new ProximityError('NOT_FOUND', `Cannot assign ports: no app with id ${String(appId)}.`, { details: { appId } });
    }
    const existing = this.get(appId);
    if (existing) {
      throw new ProximityError(
        'CONFLICT',
        `App ${appId} already has ports ${existing.publicPort} (public) and ${existing.internalPort} (internal); release them first.`,
        { details: existing },
      );
    }
    const ranges = this.settings.getPortRanges();
    const publicPort = this.publicFree.find(ranges.public) ?? exhausted('public', ranges.public);
    const internalPort = this.internalFree.find(ranges.internal) ?? exhausted('internal', ranges.internal);
    this.options.beforeInsert?.(attempt, { publicPort, internalPort });
    const assignedAt = this.now().toISOString();
    this.statements.insert.run(appId, publicPort, internalPort, assignedAt);
    this.audit.append({ actor, action: 'ports.allocate', target: appId, details: { publicPort, internalPort } });
    return { appId, publicPort, internalPort, assignedAt };
  }
}

function exhausted(range: PortRangeKind, r: PortRange): never {
  throw new ProximityError(
    'PORT_RANGE_EXHAUSTED',
    `Every ${range} port in ${r.start}-${r.end} is assigned. Remove an app or widen the ${range} port range in settings.`,
    { details: { range, start: r.start, end: r.end } },
  );
}

/** Another writer took one of "our" ports first (UNIQUE on a port column), or the lock wait timed out. */
function isPortRace(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_BUSY_SNAPSHOT') return true;
  return err.code === 'SQLITE_CONSTRAINT_UNIQUE' && /port_assignments\.(public|internal)_port/.test(err.message ?? '');
}

function pairOf(a: PortAssignment): { publicPort: number; internalPort: number } {
  return { publicPort: a.publicPort, internalPort: a.internalPort };
}

function toAssignment(row: AssignmentRow): PortAssignment {
  return { appId: row.app_id, publicPort: row.public_port, internalPort: row.internal_port, assignedAt: row.assigned_at };
}

import { ProximityError } from '../errors';
import type { AuditLog } from '../audit/audit-log';
import type { CoreEventPublisher } from '../events/core-events';
import { portRangesOverlap, type PortRange } from '../ports/port-range';
import type { SqliteDatabase } from '../store/database';
import { isSettingKey, SETTING_DEFAULTS, SETTING_KEYS, SETTING_SCHEMAS, type SettingKey, type Settings, type SettingValue } from './settings-schema';

export interface PortRanges {
  public: PortRange;
  internal: PortRange;
}

/**
 * Typed, validated settings in the `settings` table (JSON values). Unknown keys and invalid values are refused
 * with VALIDATION; a value in the database that no longer validates is reported (DB_ERROR), never guessed at.
 * Every change is audited in the same transaction.
 */
export class SettingsStore {
  private readonly now: () => Date;
  private readonly selectValue;
  private readonly events?: CoreEventPublisher;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly audit: AuditLog,
    options: { now?: () => Date; events?: CoreEventPublisher } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.events = options.events;
    // Prepared once: the port allocator reads the ranges inside every allocation.
    this.selectValue = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    assertKey(key);
    const row = this.selectValue.get(key);
    if (!row) return structuredClone(SETTING_DEFAULTS[key]);
    const parsed = SETTING_SCHEMAS[key].safeParse(JSON.parse(row.value));
    if (!parsed.success) {
      throw new ProximityError('DB_ERROR', `The stored setting ${key} is invalid (${parsed.error.message}); set it again.`, {
        details: { key, issues: parsed.error.issues },
      });
    }
    return parsed.data as SettingValue<K>;
  }

  all(): Settings {
    return Object.fromEntries(SETTING_KEYS.map((key) => [key, this.get(key)])) as Settings;
  }

  /** Sets one key. Port ranges go through `setPortRanges` so the cross-range rules always apply. */
  set<K extends SettingKey>(key: K, value: unknown, actor = 'system'): SettingValue<K> {
    assertKey(key);
    const data = parseValue(key, value);
    if (key === 'ports.publicRange') return this.setPortRanges({ public: data as PortRange }, actor).public as SettingValue<K>;
    if (key === 'ports.internalRange') return this.setPortRanges({ internal: data as PortRange }, actor).internal as SettingValue<K>;
    this.db.transaction(() => this.write(key, data, actor)).immediate();
    this.events?.emit('settings.changed', { keys: [key] });
    return data;
  }

  getPortRanges(): PortRanges {
    return { public: this.get('ports.publicRange'), internal: this.get('ports.internalRange') };
  }

  /**
   * Changes one or both port ranges at once (both at once allows e.g. swapping them). Refused when the two
   * ranges would overlap, or when a port currently assigned to an app would fall outside its new range.
   */
  setPortRanges(change: Partial<PortRanges>, actor = 'system'): PortRanges {
    const pub = change.public === undefined ? undefined : parseValue('ports.publicRange', change.public);
    const internal = change.internal === undefined ? undefined : parseValue('ports.internalRange', change.internal);
    const saved = this.db
      .transaction(() => {
        const next: PortRanges = { public: pub ?? this.get('ports.publicRange'), internal: internal ?? this.get('ports.internalRange') };
        if (portRangesOverlap(next.public, next.internal)) {
          throw new ProximityError(
            'VALIDATION',
            `The public range ${fmt(next.public)} and the internal range ${fmt(next.internal)} overlap; they must be disjoint.`,
            { details: next },
          );
        }
        this.assertAssignmentsInside('public_port', next.public);
        this.assertAssignmentsInside('internal_port', next.internal);
        if (pub) this.write('ports.publicRange', pub, actor);
        if (internal) this.write('ports.internalRange', internal, actor);
        return next;
      })
      .immediate();
    const keys: SettingKey[] = [...(pub ? (['ports.publicRange'] as const) : []), ...(internal ? (['ports.internalRange'] as const) : [])];
    if (keys.length) this.events?.emit('settings.changed', { keys });
    return saved;
  }

  private assertAssignmentsInside(column: 'public_port' | 'internal_port', range: PortRange): void {
    const outside = this.db
      .prepare<[number, number], { app_id: string; port: number }>(
        `SELECT app_id, ${column} AS port FROM port_assignments WHERE ${column} NOT BETWEEN ? AND ? ORDER BY ${column} LIMIT 5`,
      )
      .all(range.start, range.end);
    if (outside.length > 0) {
      const kind = column === 'public_port' ? 'public' : 'internal';
      throw new ProximityError(
        'CONFLICT',
        `The new ${kind} range ${fmt(range)} would exclude ports already assigned to apps ` +
          `(${outside.map((o) => o.port).join(', ')}${outside.length === 5 ? ', ...' : ''}). Remove those apps first or choose a range that contains them.`,
        { details: { kind, range, assigned: outside } },
      );
    }
  }

  private write(key: SettingKey, value: unknown, actor: string): void {
    const before = this.selectValue.get(key);
    this.db
      .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(key, JSON.stringify(value), this.now().toISOString());
    this.audit.append({
      actor,
      action: 'settings.set',
      target: key,
      details: { from: before ? JSON.parse(before.value) : null, to: value },
    });
  }
}

function assertKey(key: string): asserts key is SettingKey {
  if (!isSettingKey(key)) throw new ProximityError('VALIDATION', `Unknown setting "${key}".`, { details: { key } });
}

function parseValue<K extends SettingKey>(key: K, value: unknown): SettingValue<K> {
  const parsed = SETTING_SCHEMAS[key].safeParse(value);
  if (!parsed.success) {
    throw new ProximityError('VALIDATION', `Invalid value for ${key}: ${parsed.error.issues.map((i) => i.message).join('; ')}`, {
      details: { key, issues: parsed.error.issues },
    });
  }
  return parsed.data as SettingValue<K>;
}

function fmt(r: PortRange): string {
  return `${r.start}-${r.end}`;
}

// The appliance health monitor: checks every watched node on a schedule, lets the orchestrator publish what
// changed (`appliance.changed`), and restarts a daemon found down when auto-restart is on, audit-logging it.
import type { ApplianceStatus } from '../../../src-shared/contract/appliance-schemas';
import type { AuditInput } from '../audit/audit-log';
import type { ApplianceDaemon } from './appliance-shell';
import { DAEMONS } from './appliance-shell';

/** What the monitor needs of the orchestrator. */
export interface MonitoredAppliances {
  status(node: string): Promise<ApplianceStatus>;
  restartServices(node: string, services: readonly ApplianceDaemon[]): Promise<ApplianceStatus>;
}

export interface HealthMonitorDeps {
  appliances: MonitoredAppliances;
  audit: { append(input: AuditInput): unknown };
  /** read on every tick, so a settings change applies to the next one */
  settings: { get(key: 'appliance.healthIntervalMs'): number; get(key: 'appliance.autoRestart'): boolean };
  logger?: { error(message: string, error?: unknown): void };
}

/**
 * Checks the appliances of `watch`ed nodes one after the other, then waits `appliance.healthIntervalMs` (from
 * the settings, read each time) before the next round; a round never overlaps the previous one. When
 * `appliance.autoRestart` is on and a running, fully provisioned appliance has dnsmasq or Caddy `stopped` or
 * `crashed`, it runs `restartServices` for those and writes an audit entry (`appliance.autoRestart`, actor
 * `health-monitor`) with the outcome, success or failure. A failing check is logged and retried next round.
 */
export class ApplianceHealthMonitor {
  private readonly nodes = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly deps: HealthMonitorDeps) {}

  /** Adds `node` to the watched set (checked from the next round). */
  watch(node: string): void {
    this.nodes.add(node);
  }

  unwatch(node: string): void {
    this.nodes.delete(node);
  }

  /** Starts the schedule: a first round now, then one per interval. Idempotent. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the schedule and waits for a round in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round over every watched node now (also what the schedule runs). Returns each node's status. */
  async checkNow(): Promise<ApplianceStatus[]> {
    const out: ApplianceStatus[] = [];
    for (const node of [...this.nodes]) {
      try {
        out.push(await this.checkNode(node));
      } catch (e) {
        (this.deps.logger ?? console).error(`[appliance-health] checking ${node} failed`, e);
      }
    }
    return out;
  }

  private async checkNode(node: string): Promise<ApplianceStatus> {
    const s = await this.deps.appliances.status(node);
    if (!this.deps.settings.get('appliance.autoRestart') || s.container !== 'running') return s;
    const down = DAEMONS.filter((d) => s.services[d] === 'stopped' || s.services[d] === 'crashed');
    if (!down.length) return s;
    const target = s.key;
    try {
      const after = await this.deps.appliances.restartServices(node, down);
      this.deps.audit.append({ actor: 'health-monitor', action: 'appliance.autoRestart', target, details: { node, services: down, before: down.map((d) => s.services[d]), after: down.map((d) => after.services[d]) } });
      return after;
    } catch (e) {
      this.deps.audit.append({ actor: 'health-monitor', action: 'appliance.autoRestart', target, details: { node, services: down, error: e instanceof Error ? e.message : String(e) } });
      throw e;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.checkNow().then(() => undefined).finally(() => {
        this.running = null;
        this.schedule(this.deps.settings.get('appliance.healthIntervalMs'));
      });
    }, ms);
    this.timer.unref?.();
  }
}

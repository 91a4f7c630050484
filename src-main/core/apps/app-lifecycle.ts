// An app's everyday lifecycle: start, stop, restart, delete (asks before deleting data) and a status view that
// combines PVE's status, the compose runtime and the health check. Each change runs as an operation and is
// audit-logged with its result.
import { z } from 'zod';
import { ProximityError } from '../errors';
import { rebootContainer, shutdownContainer, startContainer, containerStatus } from '../pve/lxc';
import { appSpecSchema, type AppSpec } from '../deploy/app-spec';
import { teardownApp } from '../deploy/app-teardown';
import { composeCommand } from '../deploy/container-runtime';
import type { ConnectionLookup, DeploymentEngine } from '../deploy/deployment-engine';
import type { DeployConnection, DeployCore } from '../deploy/deploy-types';
import { healthUrl, probeHealth } from '../deploy/health-check';
import type { AppRecord } from './app-repository';

export type LifecycleAction = 'start' | 'stop' | 'restart';

/** The status view of one app. */
export interface AppStatusView {
  appId: string;
  status: AppRecord['status'];
  /** PVE's view: running/stopped, or missing when the container is gone; null when it could not be asked */
  pve: { status: 'running' | 'stopped' | 'missing'; uptimeS: number | null; memBytes: number | null; maxMemBytes: number | null } | null;
  /** the compose project inside: `running` when `docker compose ps` lists running services */
  runtime: { status: 'running' | 'stopped' | 'unknown'; detail: string } | null;
  /** the health check through the address the operator uses */
  health: { healthy: boolean; url: string; detail: string } | null;
  urls: NonNullable<AppSpec['urls']> | null;
}

const deleteOptionsSchema = z.object({ confirmDataLoss: z.boolean().default(false) }).strict();

export class AppLifecycle {
  constructor(
    private readonly core: DeployCore,
    private readonly engine: DeploymentEngine,
    private readonly connections: ConnectionLookup,
    private readonly actor: () => string = () => 'operator',
  ) {}

  /**
   * Starts, stops (clean shutdown, then a hard stop after 30 s) or restarts the app's container, as an
   * operation (kind `app.<action>`). Returns its id. Throws NOT_FOUND (app), CONFLICT (the app is not deployed
   * or is being deployed/removed), connection errors.
   */
  act(appId: string, action: LifecycleAction): { operationId: string } {
    const { app, conn } = this.placed(appId);
    const op = this.core.operations.start({ kind: `app.${action}`, title: `${capital(action)} ${app.name}`, target: app.id }, async (ctx) => {
      ctx.step(action);
      const node = app.node!;
      const vmid = app.vmid!;
      const opts = { signal: ctx.signal, onLog: (lines: { t: string }[]) => lines.forEach((l) => ctx.log(l.t)) };
      try {
        if (action === 'start') await startContainer(conn.pve, node, vmid, opts);
        else if (action === 'stop') await shutdownContainer(conn.pve, node, vmid, { ...opts, timeoutS: 30, forceStop: true });
        else {
          const st = await containerStatus(conn.pve, node, vmid, ctx.signal);
          if (st.status === 'running') await rebootContainer(conn.pve, node, vmid, opts);
          else await startContainer(conn.pve, node, vmid, opts);
        }
        this.core.apps.place(app.id, { status: action === 'stop' ? 'stopped' : 'running' });
        this.audit(`apps.${action}`, app, { result: 'succeeded' });
      } catch (e) {
        this.audit(`apps.${action}`, app, { result: 'failed', error: (e as Error).message });
        throw e;
      }
    });
    return { operationId: op.id };
  }

  /**
   * Deletes the app: its routes, name and lease, container (with its volumes: the app's data), ports and record,
   * as an operation (kind `app.delete`). Throws CONFIRMATION_REQUIRED unless `confirmDataLoss` is true (the
   * container's disk holds the app's data), NOT_FOUND, CONFLICT while it is being deployed.
   */
  delete(appId: string, options: { confirmDataLoss?: boolean } = {}): { operationId: string } {
    const { confirmDataLoss } = deleteOptionsSchema.parse(options);
    const app = this.core.apps.require(appId);
    if (app.status === 'deploying') throw new ProximityError('CONFLICT', `${app.name} is being deployed; cancel the deployment instead.`, { details: { appId } });
    if (!confirmDataLoss && app.vmid !== null) {
      throw new ProximityError('CONFIRMATION_REQUIRED', `Deleting ${app.name} destroys its container and all data in it. Confirm to go on.`, { details: { appId, vmid: app.vmid } });
    }
    const conn = app.connectionId ? this.connections(app.connectionId) : undefined;
    const previous = app.status;
    this.core.apps.place(app.id, { status: 'removing' });
    const op = this.core.operations.start({ kind: 'app.delete', title: `Delete ${app.name}`, target: app.id }, async (ctx) => {
      ctx.step('delete');
      try {
        if (!conn) {
          if (this.core.ports.get(app.id)) this.core.ports.release(app.id, this.actor());
          this.core.apps.delete(app.id);
        } else {
          await teardownApp(
            { appId: app.id, node: app.node ?? undefined, vmid: app.vmid ?? undefined, registered: true, published: true, mode: recordedMode(app.spec) },
            { core: this.core, conn, slots: this.engine.slots, actor: this.actor(), log: (l) => ctx.log(l), signal: ctx.signal },
          );
        }
        this.audit('apps.delete', app, { result: 'succeeded', vmid: app.vmid, node: app.node });
      } catch (e) {
        if (this.core.apps.get(app.id)) this.core.apps.place(app.id, { status: previous === 'removing' ? 'failed' : previous });
        this.audit('apps.delete', app, { result: 'failed', error: (e as Error).message });
        throw e;
      }
    });
    return { operationId: op.id };
  }

  /** The combined status; each part is null when it could not be read (its reason is in `detail` where possible). */
  async status(appId: string, signal?: AbortSignal): Promise<AppStatusView> {
    const app = this.core.apps.require(appId);
    const spec = appSpecSchema.safeParse(app.spec);
    const view: AppStatusView = { appId, status: app.status, pve: null, runtime: null, health: null, urls: spec.success ? (spec.data.urls ?? null) : null };
    if (!app.connectionId || !app.node || app.vmid === null) return view;
    let conn: DeployConnection;
    try {
      conn = this.connections(app.connectionId);
    } catch {
      return view;
    }
    try {
      const st = await containerStatus(conn.pve, app.node, app.vmid, signal);
      view.pve = { status: st.status, uptimeS: st.uptime ?? null, memBytes: st.mem ?? null, maxMemBytes: st.maxmem ?? null };
    } catch (e) {
      if (e instanceof ProximityError && e.code === 'PVE_NOT_FOUND') view.pve = { status: 'missing', uptimeS: null, memBytes: null, maxMemBytes: null };
    }
    if (view.pve?.status === 'running') {
      try {
        const r = await composeCommand(conn.ssh(app.node), app.vmid, app.hostname, 'ps', { signal, commandTimeoutMs: 15_000 });
        const up = r.exitCode === 0 && /\bUp\b|running/i.test(r.stdout);
        view.runtime = { status: up ? 'running' : 'stopped', detail: (r.stdout || r.stderr).trim().slice(0, 2000) };
      } catch (e) {
        view.runtime = { status: 'unknown', detail: (e as Error).message };
      }
      const base = view.urls?.public ?? view.urls?.direct;
      if (base && spec.success) {
        const url = healthUrl(base, spec.data.healthPath);
        const h = await probeHealth(url, { signal });
        view.health = { healthy: h.healthy, url, detail: h.reason };
      }
    }
    return view;
  }

  private placed(appId: string): { app: AppRecord; conn: DeployConnection } {
    const app = this.core.apps.require(appId);
    if (!app.connectionId || !app.node || app.vmid === null) throw new ProximityError('CONFLICT', `${app.name} has no container yet.`, { details: { appId } });
    if (app.status === 'deploying' || app.status === 'removing') throw new ProximityError('CONFLICT', `${app.name} is ${app.status}; wait for it to finish.`, { details: { appId, status: app.status } });
    return { app, conn: this.connections(app.connectionId) };
  }

  private audit(action: string, app: AppRecord, details: Record<string, unknown>): void {
    this.core.audit.append({ actor: this.actor(), action, target: app.id, details: { hostname: app.hostname, ...details } });
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The network mode an app's spec records (undefined when it has no readable spec). */
function recordedMode(spec: unknown): 'appliance' | 'fallback' | undefined {
  const r = appSpecSchema.safeParse(spec);
  return r.success ? r.data.mode : undefined;
}

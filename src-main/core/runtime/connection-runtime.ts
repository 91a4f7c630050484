// The per-connection runtime: one NetworkApplianceOrchestrator (desired state from the store) and one
// ApplianceHealthMonitor per PVE connection, and the `DeployConnection` the deployment engine uses, built from
// the connections runtime (core.proxmox). Shared by the Electron shell and the web bridge (core-features.ts).
import type { ApplianceStatus } from '../../../src-shared/contract/appliance-schemas';
import { ApplianceHealthMonitor } from '../appliance/appliance-health-monitor';
import { NetworkApplianceOrchestrator } from '../appliance/network-appliance-orchestrator';
import { proxmoxNodeAccess } from '../appliance/proxmox-node-access';
import type { CoreContext } from '../core-context';
import { ApplianceDeployNetwork, FallbackDeployNetwork, type DeployNetworks, type RouteSource } from '../deploy/deploy-network';
import type { DeployConnection } from '../deploy/deploy-types';
import { ProximityError } from '../errors';
import { storeDesiredState } from './store-desired-state';

type Logger = { error(message: string, error?: unknown): void };

interface ConnectionEntry {
  orchestrator: NetworkApplianceOrchestrator;
  monitor: ApplianceHealthMonitor;
  routes: RouteSource;
  /** the connection's two networks, chosen between per node */
  networks: DeployNetworks;
}

/**
 * Lazily builds, per connection id, the appliance orchestrator and its health monitor, and hands out
 * `DeployConnection`s. Monitors run between `start()` and `close()`; a node is watched once a status shows an
 * appliance container on it (provisioned, even if stopped or broken).
 */
export class ConnectionRuntime {
  private readonly entries = new Map<string, ConnectionEntry>();
  private started = false;
  private readonly unsubscribers: Array<() => void>;

  constructor(private readonly core: CoreContext, private readonly logger: Logger = console) {
    this.unsubscribers = [
      core.events.on('appliance.changed', (s) => this.noteStatus(s)),
      core.events.on('connections.changed', ({ connectionId, change }) => {
        if (change !== 'deleted') return;
        const e = this.entries.get(connectionId);
        this.entries.delete(connectionId);
        void e?.monitor.stop().catch((err: unknown) => this.logger.error(`[appliance] stopping the monitor of ${connectionId}`, err));
      }),
    ];
  }

  /**
   * The connection id `connectionId` names, or the only saved connection when undefined. Throws NOT_FOUND for
   * an unknown id, or when none is given and there is not exactly one connection.
   */
  resolve(connectionId: string | undefined): string {
    const list = this.core.connectionService.list();
    if (connectionId === undefined) {
      if (list.length !== 1) throw new ProximityError('NOT_FOUND', list.length === 0 ? 'No Proxmox VE connection is saved yet: add one first.' : 'Several Proxmox VE connections are saved: say which one.');
      return list[0].id;
    }
    if (!list.some((c) => c.id === connectionId)) throw new ProximityError('NOT_FOUND', `There is no Proxmox VE connection ${JSON.stringify(connectionId)}.`, { details: { connectionId } });
    return connectionId;
  }

  /** The orchestrator of a connection (see `resolve` for the id and its NOT_FOUND). */
  appliances(connectionId: string | undefined): NetworkApplianceOrchestrator {
    return this.entry(this.resolve(connectionId)).orchestrator;
  }

  /**
   * The engine's view of a connection: PVE client and SSH from core.proxmox, token auth from the profile's auth
   * kind, and the networks: per node, the appliance (`ApplianceDeployNetwork`) when that node's appliance
   * status says `appliance` now, else `FallbackDeployNetwork` (vmbr0, DHCP from the LAN, direct access; the
   * deployment's spec and URLs then say `fallback`); teardown uses the app's recorded mode. Throws NOT_FOUND for
   * an unknown connection.
   */
  deployConnection(connectionId: string): DeployConnection {
    const id = this.resolve(connectionId);
    const record = this.core.connectionService.require(id);
    const e = this.entry(id);
    const proxmox = this.core.proxmox;
    return {
      id,
      pve: proxmox.client(id),
      ssh: (node) => ({ exec: async (argv, opts) => (await proxmox.ssh(id, node)).exec(argv, opts) }),
      networks: e.networks,
      tokenAuth: record.authKind === 'token',
    };
  }

  /**
   * Reads the appliance status of every node of the connection (so the deploy network and the monitor know
   * them). Failures are logged per node, never thrown.
   */
  async refresh(connectionId: string, signal?: AbortSignal): Promise<void> {
    const e = this.entry(this.resolve(connectionId));
    const snapshot = await this.core.proxmox.snapshot(connectionId);
    for (const n of snapshot.nodes) {
      if (signal?.aborted) return;
      await e.orchestrator.status(n.node, signal).catch((err: unknown) => this.logger.error(`[appliance] status of ${connectionId}/${n.node}`, err));
    }
  }

  /** Starts the health monitors (of connections built so far and later ones). Idempotent. */
  start(): void {
    this.started = true;
    for (const e of this.entries.values()) e.monitor.start();
  }

  /** Stops every monitor (waits for rounds in flight) and the event subscription. Idempotent. */
  async close(): Promise<void> {
    this.started = false;
    for (const off of this.unsubscribers.splice(0)) off();
    await Promise.all([...this.entries.values()].map((e) => e.monitor.stop()));
  }

  /**
   * The networks of a connection: `choose(node)` reads that node's appliance status (live: a deployment must not
   * land on a stopped appliance) and answers the appliance network only when it says `appliance`; a status that
   * cannot be read answers fallback (logged). `of(mode)` answers either network.
   */
  private networksOf(id: string, orchestrator: NetworkApplianceOrchestrator, routes: RouteSource): DeployNetworks {
    const appliance = new ApplianceDeployNetwork(orchestrator, routes);
    const fallback = new FallbackDeployNetwork();
    return {
      choose: async (node, signal) => {
        try {
          return (await orchestrator.status(node, signal)).mode === 'appliance' ? appliance : fallback;
        } catch (err) {
          this.logger.error(`[appliance] status of ${id}/${node}: deploying in fallback mode`, err);
          return fallback;
        }
      },
      of: (mode) => (mode === 'appliance' ? appliance : fallback),
    };
  }

  private noteStatus(s: ApplianceStatus): void {
    if (!s.connectionId) return;
    const e = this.entries.get(s.connectionId);
    if (!e) return;
    if (s.container !== 'missing' && s.container !== 'foreign') e.monitor.watch(s.node);
  }

  private entry(id: string): ConnectionEntry {
    let e = this.entries.get(id);
    if (e) return e;
    const desired = storeDesiredState(() => this.core.apps.list(), id);
    const core = this.core;
    const orchestrator = new NetworkApplianceOrchestrator(
      proxmoxNodeAccess(core.proxmox, id),
      { operations: core.operations, events: core.events, settings: core.settings, desired },
      { connectionId: id },
    );
    const monitor = new ApplianceHealthMonitor({ appliances: orchestrator, audit: core.audit, settings: core.settings, logger: this.logger });
    e = { orchestrator, monitor, routes: desired.routeSource, networks: this.networksOf(id, orchestrator, desired.routeSource) };
    this.entries.set(id, e);
    if (this.started) monitor.start();
    return e;
  }
}

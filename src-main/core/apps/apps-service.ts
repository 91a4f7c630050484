// The apps feature as the IPC handlers see it: deploy through the engine, the lifecycle, the status view and
// the safe commands, all on one core. Built once the per-connection runtime can hand out live connections.
import type { ConnectionLookup, DeploymentEngine } from '../deploy/deployment-engine';
import type { DeployCore, DeployRequest } from '../deploy/deploy-types';
import { adoptContainer, reconcile, type AdoptableGuest, type AdoptRequest, type ReconcileReport } from '../deploy/reconciler';
import { AppLifecycle, type AppStatusView, type LifecycleAction } from './app-lifecycle';
import { SafeCommandService, type SafeCommandInfo, type SafeCommandResult } from './safe-commands';

export class AppsService {
  readonly lifecycle: AppLifecycle;
  readonly safeCommands: SafeCommandService;

  constructor(
    private readonly core: DeployCore,
    private readonly engine: DeploymentEngine,
    private readonly connections: ConnectionLookup,
    private readonly actor: () => string = () => 'operator',
  ) {
    this.lifecycle = new AppLifecycle(core, engine, connections, actor);
    this.safeCommands = new SafeCommandService(core, connections, actor);
    this.commands = {
      list: () => this.safeCommands.list(),
      run: (appId, commandId, params, signal) => this.safeCommands.run(appId, commandId, params, signal),
    };
  }

  readonly commands: {
    list(): SafeCommandInfo[];
    run(appId: string, commandId: string, params: unknown, signal?: AbortSignal): Promise<SafeCommandResult>;
  };

  /** See DeploymentEngine.deploy. */
  deploy(input: DeployRequest): { operationId: string; appId: string } {
    const s = this.engine.deploy(input);
    return { operationId: s.operationId, appId: s.appId };
  }

  /** See AppLifecycle.act. */
  act(appId: string, action: LifecycleAction): { operationId: string } {
    return this.lifecycle.act(appId, action);
  }

  /** See AppLifecycle.delete. */
  delete(appId: string, options: { confirmDataLoss: boolean }): { operationId: string } {
    return this.lifecycle.delete(appId, options);
  }

  /**
   * Call when a connection comes up: reconciles the store with the cluster (missing apps, re-adopted ones), then
   * rolls back deployments a crashed process left on it. Returns the report and the recovery operation ids.
   */
  async onConnected(connectionId: string, signal?: AbortSignal): Promise<{ report: ReconcileReport; recoveries: string[] }> {
    const report = await reconcile(this.core, this.connections(connectionId), { signal, actor: 'system' });
    return { report, recoveries: this.engine.recover() };
  }

  /** Containers on the connection's cluster that Proximity did not deploy (after a reconcile). */
  async adoptable(connectionId: string, signal?: AbortSignal): Promise<AdoptableGuest[]> {
    return (await reconcile(this.core, this.connections(connectionId), { signal, actor: 'system' })).adoptable;
  }

  /** Adopts one of them (see adoptContainer). */
  async adopt(connectionId: string, request: AdoptRequest): Promise<{ appId: string }> {
    const app = await adoptContainer(this.core, this.connections(connectionId), request, this.actor());
    return { appId: app.id };
  }

  /** See AppLifecycle.status. */
  status(appId: string, signal?: AbortSignal): Promise<AppStatusView> {
    return this.lifecycle.status(appId, signal);
  }
}

// The apps feature as the IPC handlers see it: deploy through the engine, the lifecycle, the status view and
// the safe commands, all on one core. Built once the per-connection runtime can hand out live connections.
import type { ConnectionLookup, DeploymentEngine } from '../deploy/deployment-engine';
import type { DeployCore, DeployRequest } from '../deploy/deploy-types';
import { AppLifecycle, type AppStatusView, type LifecycleAction } from './app-lifecycle';
import { SafeCommandService, type SafeCommandInfo, type SafeCommandResult } from './safe-commands';

export class AppsService {
  readonly lifecycle: AppLifecycle;
  readonly safeCommands: SafeCommandService;

  constructor(
    core: DeployCore,
    private readonly engine: DeploymentEngine,
    connections: ConnectionLookup,
    actor: () => string = () => 'operator',
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

  /** See AppLifecycle.status. */
  status(appId: string, signal?: AbortSignal): Promise<AppStatusView> {
    return this.lifecycle.status(appId, signal);
  }
}

import { ProximityError } from '../../core/errors';
import type { AppsForIpc, HandlerDeps, Handlers } from '../handler-types';
import { appSummaryOf, listAppSummaries } from './mappers';

type AppChannels = 'apps.adoptable' | 'apps.adopt' | 'apps.list' | 'apps.deploy' | 'apps.start' | 'apps.stop' | 'apps.restart' | 'apps.delete' | 'apps.get' | 'commands.list' | 'commands.run';

/** The apps feature needs a connected cluster; until then its channels answer NOT_SUPPORTED. */
function appsOf(deps: HandlerDeps): AppsForIpc {
  if (!deps.apps) throw new ProximityError('NOT_SUPPORTED', 'Connect to a Proxmox VE cluster first: apps are deployed and managed through it.');
  return deps.apps;
}

export function createAppsHandlers(deps: HandlerDeps): Pick<Handlers, AppChannels> {
  return {
    'apps.list': () => listAppSummaries(deps.core),
    'apps.deploy': (input) => {
      const { operationId, appId } = appsOf(deps).deploy(input);
      return { operationId, appId };
    },
    'apps.start': ({ id }) => ({ operationId: appsOf(deps).act(id, 'start').operationId, appId: id }),
    'apps.stop': ({ id }) => ({ operationId: appsOf(deps).act(id, 'stop').operationId, appId: id }),
    'apps.restart': ({ id }) => ({ operationId: appsOf(deps).act(id, 'restart').operationId, appId: id }),
    'apps.delete': ({ id, confirmDataLoss }) => ({ operationId: appsOf(deps).delete(id, { confirmDataLoss }).operationId, appId: id }),
    'apps.get': async ({ id }, ctx) => {
      const app = appSummaryOf(deps.core, id);
      const view = await appsOf(deps).status(id, ctx.signal);
      return { app, urls: view.urls, pve: view.pve, runtime: view.runtime, health: view.health };
    },
    'apps.adoptable': ({ connectionId }, ctx) => appsOf(deps).adoptable(connectionId, ctx.signal),
    'apps.adopt': ({ connectionId, ...request }) => appsOf(deps).adopt(connectionId, request),
    'commands.list': () => appsOf(deps).commands.list(),
    'commands.run': ({ appId, commandId, params }, ctx) => appsOf(deps).commands.run(appId, commandId, params, ctx.signal),
  };
}

import type { HandlerDeps, Handlers } from '../handler-types';
import { toConnection } from './mappers';

type ConnectionChannels =
  | 'connections.list'
  | 'connections.probe'
  | 'connections.add'
  | 'connections.update'
  | 'connections.remove'
  | 'connections.test'
  | 'connections.repin';

/**
 * Proxmox connection profiles. Every output goes through `toConnection`, which names only public fields, so no
 * secret can reach the renderer. The core announces changes itself (`connections.changed`).
 */
export function createConnectionsHandlers(deps: HandlerDeps): Pick<Handlers, ConnectionChannels> {
  const svc = deps.core.connectionService;
  return {
    'connections.list': () => svc.list().map(toConnection),
    'connections.probe': (input) => svc.probe(input),
    'connections.add': (input) => toConnection(svc.add(input, 'operator')),
    'connections.update': async (input) => toConnection(await svc.update(input, 'operator')),
    'connections.remove': async ({ id }) => {
      await svc.remove(id, 'operator');
      return { removed: true as const };
    },
    // A request, not an operation: it reports a structured result and is bounded (45 s at most in all).
    'connections.test': ({ id }, ctx) => svc.test(id, ctx.signal),
    'connections.repin': async (input) => toConnection(await svc.repin(input, 'operator')),
  };
}

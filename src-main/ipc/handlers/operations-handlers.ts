import type { HandlerDeps, Handlers } from '../handler-types';

/** Operations are started by the features that own them (deploy, provision); IPC only lists, reads and cancels. */
export function createOperationsHandlers(deps: HandlerDeps): Pick<Handlers, 'operations.list' | 'operations.get' | 'operations.cancel'> {
  return {
    'operations.list': ({ limit }) => deps.core.operations.list(limit),
    'operations.get': ({ id }) => deps.core.operations.require(id),
    'operations.cancel': ({ id }) => deps.core.operations.cancel(id),
  };
}

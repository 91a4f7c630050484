import type { HandlerDeps, Handlers } from '../handler-types';

/** The live cluster of a connection, and the visibility signal that pauses its polling while no window shows it. */
export function createClusterHandlers(deps: HandlerDeps): Pick<Handlers, 'cluster.get' | 'system.setVisible'> {
  return {
    'cluster.get': ({ connectionId }) => deps.core.proxmox.snapshot(connectionId),
    'system.setVisible': ({ visible }) => {
      deps.core.proxmox.setVisible(visible);
      return { visible };
    },
  };
}

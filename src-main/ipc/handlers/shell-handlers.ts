import type { HandlerDeps, Handlers } from '../handler-types';

export function createShellHandlers(deps: HandlerDeps): Pick<Handlers, 'shell.openExternal'> {
  return {
    // The contract already allows only http(s) URLs without credentials; the platform function opens it.
    'shell.openExternal': async ({ url }) => {
      await deps.openExternal(url);
      return { opened: true as const };
    },
  };
}

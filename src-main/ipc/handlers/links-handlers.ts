import type { HandlerDeps, Handlers } from '../handler-types';

export function createLinksHandlers(deps: HandlerDeps): Pick<Handlers, 'links.openExternal'> {
  return {
    // The contract already allows only http(s) URLs without credentials; the platform function opens it.
    'links.openExternal': async ({ url }) => {
      await deps.openExternal(url);
      return { opened: true as const };
    },
  };
}

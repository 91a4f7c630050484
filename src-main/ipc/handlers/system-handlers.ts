import type { HandlerDeps, Handlers } from '../handler-types';

export function createSystemHandlers(deps: HandlerDeps): Pick<Handlers, 'system.getInfo'> {
  return {
    'system.getInfo': () => ({
      name: deps.appName,
      version: deps.core.appVersion,
      platform: deps.platform ?? process.platform,
      runtime: deps.runtime,
      dataDir: deps.core.dataDir,
      secretStorage: deps.secretStorage ?? null,
    }),
  };
}

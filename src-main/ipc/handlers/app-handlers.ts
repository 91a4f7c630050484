import type { HandlerDeps, Handlers } from '../handler-types';

export function createAppHandlers(deps: HandlerDeps): Pick<Handlers, 'app.getInfo'> {
  return {
    'app.getInfo': () => ({
      name: deps.appName,
      version: deps.core.appVersion,
      platform: deps.platform ?? process.platform,
      runtime: deps.runtime,
      dataDir: deps.core.dataDir,
      secretStorage: deps.secretStorage ?? null,
    }),
  };
}

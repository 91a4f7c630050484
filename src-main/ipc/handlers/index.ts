import type { HandlerDeps, Handlers } from '../handler-types';
import { createAppHandlers } from './app-handlers';
import { createAppsHandlers } from './apps-handlers';
import { createAuditHandlers } from './audit-handlers';
import { createPortsHandlers } from './ports-handlers';
import { createSettingsHandlers } from './settings-handlers';
import { createShellHandlers } from './shell-handlers';
import { createStoreHandlers } from './store-handlers';

/** Every channel's handler, built from injected deps. The `Handlers` type fails to compile if one is missing. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...createAppHandlers(deps),
    ...createStoreHandlers(deps),
    ...createAppsHandlers(deps),
    ...createPortsHandlers(deps),
    ...createSettingsHandlers(deps),
    ...createAuditHandlers(deps),
    ...createShellHandlers(deps),
  };
}

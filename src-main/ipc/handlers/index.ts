import type { HandlerDeps, Handlers } from '../handler-types';
import { createApplianceHandlers } from './appliance-handlers';
import { createAppsHandlers } from './apps-handlers';
import { createAuditHandlers } from './audit-handlers';
import { createClusterHandlers } from './cluster-handlers';
import { createConnectionsHandlers } from './connections-handlers';
import { createCatalogHandlers } from './catalog-handlers';
import { createDatabaseHandlers } from './database-handlers';
import { createLinksHandlers } from './links-handlers';
import { createOperationsHandlers } from './operations-handlers';
import { createPortsHandlers } from './ports-handlers';
import { createSettingsHandlers } from './settings-handlers';
import { createSystemHandlers } from './system-handlers';

/** Every channel's handler, built from injected deps. The `Handlers` type fails to compile if one is missing. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...createSystemHandlers(deps),
    ...createDatabaseHandlers(deps),
    ...createAppsHandlers(deps),
    ...createPortsHandlers(deps),
    ...createSettingsHandlers(deps),
    ...createAuditHandlers(deps),
    ...createLinksHandlers(deps),
    ...createOperationsHandlers(deps),
    ...createConnectionsHandlers(deps),
    ...createClusterHandlers(deps),
    ...createApplianceHandlers(deps),
    ...createCatalogHandlers(deps),
  };
}

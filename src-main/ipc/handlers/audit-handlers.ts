import type { HandlerDeps, Handlers } from '../handler-types';
import { toAuditEntry } from './mappers';

export function createAuditHandlers(deps: HandlerDeps): Pick<Handlers, 'audit.list'> {
  return {
    'audit.list': ({ limit, beforeId }) =>
      deps.core.audit.list(beforeId === undefined ? { limit } : { limit, beforeId }).map(toAuditEntry),
  };
}

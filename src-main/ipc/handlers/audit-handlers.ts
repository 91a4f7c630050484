import { exportAudit } from '../../core/audit/audit-export';
import type { HandlerDeps, Handlers } from '../handler-types';
import { toAuditEntry } from './mappers';

export function createAuditHandlers(deps: HandlerDeps): Pick<Handlers, 'audit.list' | 'audit.export'> {
  return {
    'audit.list': ({ limit, beforeId }) =>
      deps.core.audit.list(beforeId === undefined ? { limit } : { limit, beforeId }).map(toAuditEntry),
    // The whole log as a file's text; the renderer saves it (a download / save dialog).
    'audit.export': ({ format }) => exportAudit(deps.core.audit, format, deps.core.now?.() ?? new Date()),
  };
}

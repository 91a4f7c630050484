import type { HandlerDeps, Handlers } from '../handler-types';
import { toDatabaseStatus } from './mappers';

export function createDatabaseHandlers(deps: HandlerDeps): Pick<Handlers, 'database.getStatus'> {
  return {
    'database.getStatus': () => toDatabaseStatus(deps.core.db.status()),
  };
}

import type { HandlerDeps, Handlers } from '../handler-types';
import { toStoreStatus } from './mappers';

export function createStoreHandlers(deps: HandlerDeps): Pick<Handlers, 'store.getStatus'> {
  return {
    'store.getStatus': () => toStoreStatus(deps.core.db.status()),
  };
}

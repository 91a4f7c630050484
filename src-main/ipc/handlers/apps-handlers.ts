import type { HandlerDeps, Handlers } from '../handler-types';
import { listAppSummaries } from './mappers';

export function createAppsHandlers(deps: HandlerDeps): Pick<Handlers, 'apps.list'> {
  return {
    'apps.list': () => listAppSummaries(deps.core),
  };
}

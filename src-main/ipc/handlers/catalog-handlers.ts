import { ProximityError } from '../../core/errors';
import type { CatalogForIpc, HandlerDeps, Handlers } from '../handler-types';

function catalogOf(deps: HandlerDeps): CatalogForIpc {
  if (!deps.catalog) throw new ProximityError('NOT_SUPPORTED', 'The app catalog is not available in this runtime.');
  return deps.catalog;
}

export function createCatalogHandlers(deps: HandlerDeps): Pick<Handlers, 'catalog.list' | 'catalog.get'> {
  return {
    'catalog.list': () => catalogOf(deps).list(),
    'catalog.get': ({ id }) => catalogOf(deps).get(id),
  };
}

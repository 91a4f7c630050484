import type { HandlerDeps, Handlers } from '../handler-types';
import { toPortAssignment } from './mappers';

export function createPortsHandlers(deps: HandlerDeps): Pick<Handlers, 'ports.list'> {
  return {
    'ports.list': () => deps.core.ports.list().map(toPortAssignment),
  };
}

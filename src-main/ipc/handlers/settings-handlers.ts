import type { HandlerDeps, Handlers } from '../handler-types';
import { toPortRanges } from './mappers';

export function createSettingsHandlers(deps: HandlerDeps): Pick<Handlers, 'settings.getPortRanges' | 'settings.setPortRanges'> {
  return {
    'settings.getPortRanges': () => toPortRanges(deps.core.settings.getPortRanges()),
    // The core re-validates (it is the last line before the database) and refuses ranges that would orphan
    // ports already assigned; its ProximityError reaches the renderer with its code. The core announces the
    // change itself (`settings.changed`); subscribers hear it from there, not from this handler.
    'settings.setPortRanges': (ranges) => toPortRanges(deps.core.settings.setPortRanges(ranges, 'operator')),
  };
}

import type { HandlerDeps, Handlers } from '../handler-types';
import { toPortRanges } from './mappers';

export function createSettingsHandlers(deps: HandlerDeps): Pick<Handlers, 'settings.getPortRanges' | 'settings.setPortRanges'> {
  return {
    'settings.getPortRanges': () => toPortRanges(deps.core.settings.getPortRanges()),
    'settings.setPortRanges': (ranges) => {
      // The core re-validates (it is the last line before the database) and refuses ranges that would orphan
      // ports already assigned; its ProximityError reaches the renderer with its code.
      const saved = deps.core.settings.setPortRanges(ranges, 'operator');
      deps.onStateChanged?.('store');
      return toPortRanges(saved);
    },
  };
}

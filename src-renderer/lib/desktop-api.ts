import type { DesktopApi } from '../../src-shared/contract/desktop-api';

/** The desktop API, or null when the page runs with neither the preload nor the web bridge. */
export function desktopApi(): DesktopApi | null {
  return window.proximity ?? null;
}

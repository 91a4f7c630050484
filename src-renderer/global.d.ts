import type { DesktopApi } from '../src-shared/contract/desktop-api';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or installed by the web-bridge client (`npm run web`). */
    proximity?: DesktopApi;
  }
}

export {};

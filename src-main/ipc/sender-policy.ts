import { originOf } from '../../src-shared/contract/origins';

/**
 * Who may call main. Every request is checked here before its input is even parsed: only the app's own
 * top-level frame, loaded from the app's own origin, may talk to main. An embedded app (in an iframe) or a
 * page the window was navigated to must never reach a handler.
 */

/** What the wrapper knows about the caller, independent of Electron or the web bridge. */
export interface SenderInfo {
  isTopFrame: boolean;
  url: string;
}

export type SenderPolicy = (sender: SenderInfo) => boolean;

/**
 * Allows top frames whose origin is one of `allowedOrigins` (e.g. `app://proximity` and, in development,
 * the electron-vite dev server `http://localhost:5173`).
 */
export function createOriginPolicy(allowedOrigins: readonly string[]): SenderPolicy {
  const allowed = new Set<string>();
  for (const o of allowedOrigins) {
    const normalized = originOf(o);
    if (!normalized) throw new Error(`not an origin: ${o}`);
    allowed.add(normalized);
  }
  return (sender) => {
    if (!sender.isTopFrame) return false;
    const origin = originOf(sender.url);
    return origin !== null && allowed.has(origin);
  };
}

/** The subset of Electron's IpcMainInvokeEvent we read; structural so tests can build one. */
export interface ElectronSenderEventLike {
  senderFrame?: { url: string; parent: unknown } | null;
  sender?: { mainFrame?: unknown } | null;
}

/**
 * Reads sender info from an Electron IPC event. `senderFrame` is null when the frame navigated away or was
 * destroyed; that counts as not-top-frame (refused). A frame is top when it is the webContents' main frame
 * or has no parent (either proves it is not an iframe; `parent` must be exactly null, not merely absent).
 */
export function senderInfoFromElectronEvent(event: ElectronSenderEventLike): SenderInfo {
  const frame = event.senderFrame;
  if (!frame) return { isTopFrame: false, url: '' };
  const mainFrame = event.sender?.mainFrame;
  const isTopFrame = frame.parent === null || (mainFrame !== undefined && mainFrame !== null && frame === mainFrame);
  return { isTopFrame, url: typeof frame.url === 'string' ? frame.url : '' };
}

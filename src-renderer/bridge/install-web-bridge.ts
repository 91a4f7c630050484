import { useConnectionStore } from '../features/connection/connection-store';
import { createWebBridgeApi } from './web-bridge-client';

const TOKEN_KEY = 'proximity.bridgeToken';

/**
 * When the page is served by `npm run web` (plain http on 127.0.0.1, no preload), installs
 * `window.proximity` over the WebSocket bridge. The token arrives once in the URL; it is moved to
 * sessionStorage (this tab only) and removed from the address bar and history. The bridge's connection
 * state goes to the connection store (one banner, stale marks, reload on reconnect).
 */
export function installWebBridgeIfNeeded(): void {
  if (window.proximity) return; // Electron: the preload already exposed it.
  if (location.protocol !== 'http:' || location.hostname !== '127.0.0.1') return;
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return;
  window.proximity = createWebBridgeApi({
    origin: location.origin,
    token,
    onStatus: (status) => useConnectionStore.getState().setStatus(status),
  });
}

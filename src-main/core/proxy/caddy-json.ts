import { checkProxyInput, type CaddyfileOptions, type CheckedCaddyfileOptions } from './caddyfile';
import type { ProxyRoute } from './proxy-route';

/**
 * The same config as `generateCaddyfile`, in Caddy's native JSON: what `caddy adapt` makes of the generated
 * Caddyfile, server for server (the names differ: `public-<port>` / `canvas-<port>` instead of `srv<N>`; a test
 * compares the two at 1, 10 and 1000 apps). It exists for speed: Caddy 2.6's Caddyfile adapter grows
 * quadratically with the number of port blocks (about 2 s of CPU at 1000 apps), while validating and loading JSON
 * takes a fraction of that. Placeholders are written in their long form, as the adapter expands them
 * (`{upstream_hostport}` -> `{http.reverse_proxy.upstream.hostport}`).
 *
 * Throws `ProximityError('PROXY_CONFIG_INVALID')` exactly as `generateCaddyfile` does.
 */
export function generateCaddyJson(routes: readonly unknown[], options: CaddyfileOptions = {}): CaddyJsonConfig {
  const { routes: checked, options: o } = checkProxyInput(routes, options);
  return renderCaddyJson(checked, o);
}

/** The JSON config for routes and options that passed `checkProxyInput` (no checks of its own). */
export function renderCaddyJson(checked: readonly ProxyRoute[], o: CheckedCaddyfileOptions): CaddyJsonConfig {
  const servers: Record<string, CaddyJsonServer> = {};
  const listen = (port: number) => `${o.defaultBind ?? ''}:${port}`;
  for (const r of checked) {
    servers[`public-${r.publicPort}`] = server(listen(r.publicPort), r, false);
    servers[`canvas-${r.internalPort}`] = server(listen(r.internalPort), r, true);
  }
  return { admin: { listen: o.adminAddress }, apps: { http: { servers } } };
}

export interface CaddyJsonServer {
  listen: string[];
  routes: { handle: Record<string, unknown>[] }[];
  automatic_https: { disable: true };
}

export interface CaddyJsonConfig {
  admin: { listen: string };
  apps: { http: { servers: Record<string, CaddyJsonServer> } };
}

function server(listen: string, r: ProxyRoute, canvas: boolean): CaddyJsonServer {
  const headers: Record<string, unknown> = {
    request: {
      set: {
        Host: ['{http.reverse_proxy.upstream.hostport}'],
        'X-Forwarded-For': ['{http.request.remote.host}'],
        'X-Forwarded-Proto': ['{http.request.scheme}'],
        'X-Real-Ip': ['{http.request.remote.host}'],
      },
    },
    ...(canvas ? { response: { delete: ['X-Frame-Options', 'Content-Security-Policy'] } } : {}),
  };
  return {
    listen: [listen],
    routes: [{ handle: [{ handler: 'reverse_proxy', headers, upstreams: [{ dial: `${r.containerIp}:${r.containerPort}` }] }] }],
    automatic_https: { disable: true },
  };
}

import { z } from 'zod';
import { ProximityError } from '../errors';
import { hostnameLabelSchema, ipv4Schema, parseStrict, tcpPortSchema } from '../network/strict-values';
import { DEFAULT_INTERNAL_RANGE, DEFAULT_PUBLIC_RANGE, type PortRange } from '../ports/port-range';

/**
 * One app as the reverse proxy sees it, read from the store (the single source of truth): its DNS label, where
 * its container listens, and its two ports on the appliance (public 30000-range, internal "canvas" 40000-range).
 */
export const proxyRouteSchema = z
  .object({
    hostname: hostnameLabelSchema,
    containerIp: ipv4Schema,
    containerPort: tcpPortSchema,
    publicPort: tcpPortSchema,
    internalPort: tcpPortSchema,
  })
  .strict();
export type ProxyRoute = z.infer<typeof proxyRouteSchema>;

export interface RouteRanges {
  publicRange?: PortRange;
  internalRange?: PortRange;
}

/**
 * Validates every route against its strict patterns and the port ranges, and checks the set: each hostname, each
 * public port and each internal port once, and no port used both ways. Returns the routes sorted by hostname.
 * Throws `ProximityError('PROXY_CONFIG_INVALID')` naming the first offending value; nothing is generated then.
 */
export function checkRoutes(routes: readonly unknown[], ranges: RouteRanges = {}): ProxyRoute[] {
  const list = parseStrict(z.array(proxyRouteSchema).max(100_000), routes, 'PROXY_CONFIG_INVALID', 'Proxy routes');
  const pub = ranges.publicRange ?? DEFAULT_PUBLIC_RANGE;
  const internal = ranges.internalRange ?? DEFAULT_INTERNAL_RANGE;
  const bad = (msg: string, route: ProxyRoute): never => {
    throw new ProximityError('PROXY_CONFIG_INVALID', `Proxy route for ${route.hostname} refused: ${msg}`, { details: { route } });
  };
  const seen = new Map<string, string>();
  for (const r of list) {
    if (r.publicPort < pub.start || r.publicPort > pub.end) bad(`public port ${r.publicPort} is outside ${pub.start}-${pub.end}`, r);
    if (r.internalPort < internal.start || r.internalPort > internal.end) bad(`internal port ${r.internalPort} is outside ${internal.start}-${internal.end}`, r);
    for (const key of [`host ${r.hostname}`, `port ${r.publicPort}`, `port ${r.internalPort}`]) {
      const owner = seen.get(key);
      if (owner !== undefined) bad(`${key} is already used by ${owner}`, r);
      seen.set(key, r.hostname);
    }
  }
  return [...list].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : a.publicPort - b.publicPort));
}

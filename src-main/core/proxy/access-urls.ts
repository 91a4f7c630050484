import { z } from 'zod';
import { domainSchema, hostnameLabelSchema, ipv4Schema, parseStrict, tcpPortSchema } from '../network/strict-values';

export const accessUrlInputSchema = z
  .object({
    hostname: hostnameLabelSchema,
    containerIp: ipv4Schema.nullable(),
    containerPort: tcpPortSchema,
    // null in fallback mode (the app sits on vmbr0 without proxy ports)
    ports: z.object({ public: tcpPortSchema, internal: tcpPortSchema }).strict().nullable(),
  })
  .strict();
export type AccessUrlInput = z.infer<typeof accessUrlInputSchema>;

/** How an app is reached, as the seed lists it. Fields are null where that way does not exist. */
export interface AccessUrls {
  mode: 'appliance' | 'fallback';
  /** `http://<appliance-wan-ip>:<public_port>`: through Caddy, the app's own security headers intact */
  public: string | null;
  /** `http://<appliance-wan-ip>:<internal_port>`: through Caddy without frame-busting headers (the canvas) */
  canvas: string | null;
  /** `http://<hostname>.<domain>[:<container_port>]`: resolves through the appliance's dnsmasq (LAN side) to the container */
  dns: string | null;
  /** `http://<container-ip>:<container_port>`: bypasses the proxy; the only way in fallback mode */
  direct: string | null;
}

/**
 * The access URLs of one app. With an appliance (`applianceWanIp` and `domain` given, the app holding a port
 * pair): public, canvas, DNS and direct. In fallback mode (no appliance, `applianceWanIp` null): direct only, and
 * `mode: 'fallback'` so the UI marks it. Throws `VALIDATION` when a value fails its strict pattern.
 */
export function accessUrlsFor(app: AccessUrlInput, appliance: { wanIp: string; domain: string } | null): AccessUrls {
  const a = parseStrict(accessUrlInputSchema, app, 'VALIDATION', 'App access data');
  const direct = a.containerIp ? `http://${a.containerIp}:${a.containerPort}` : null;
  if (!appliance) return { mode: 'fallback', public: null, canvas: null, dns: null, direct };
  const wan = parseStrict(ipv4Schema, appliance.wanIp, 'VALIDATION', 'Appliance WAN address');
  const domain = parseStrict(domainSchema, appliance.domain, 'VALIDATION', 'Appliance domain');
  return {
    mode: 'appliance',
    public: a.ports ? `http://${wan}:${a.ports.public}` : null,
    canvas: a.ports ? `http://${wan}:${a.ports.internal}` : null,
    // the name maps to the container itself, so its own port is needed unless it is HTTP's 80
    dns: `http://${a.hostname}.${domain}${a.containerPort === 80 ? '' : `:${a.containerPort}`}`,
    direct,
  };
}

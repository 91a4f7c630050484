import { z } from 'zod';
import { ProximityError, type ErrorCode } from '../errors';

/*
 * The strict patterns every value must match before it reaches a generated config file (Caddyfile, dnsmasq.conf,
 * iptables rules) or a command line. They are allow-lists: a value that is not exactly an IPv4 address, a port,
 * a lowercase hostname label, a MAC or a PVE interface name is refused, whatever else it contains (newlines,
 * braces, spaces, `#`, quotes, unicode, directives such as `import`). JavaScript's `$` matches only at the end of
 * the input (no `m` flag), so a trailing newline never slips through.
 */

/** Dotted-quad IPv4, no leading zeros (zod's `ipv4`). */
export const ipv4Schema = z.ipv4({ error: 'must be an IPv4 address such as 10.20.0.100' });

/** IPv4 network in CIDR notation, e.g. `10.20.0.0/24` (zod's `cidrv4`: prefix 0-32). */
export const cidrSchema = z.cidrv4({ error: 'must be an IPv4 network in CIDR notation such as 10.20.0.0/24' });

/** A TCP port 1-65535 as an integer (never a string: `"30001 {"` is not a port). */
export const tcpPortSchema = z.number({ error: 'must be a TCP port number' }).int().min(1).max(65535);

/**
 * One DNS label as RFC 1123 allows it, lowercase only: 1-63 of `a-z0-9-`, not starting or ending with `-`.
 * This is what an app's hostname is (`<label>.prox.local`); PVE's own `hostname` check is looser (dots allowed).
 */
export const HOSTNAME_LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const hostnameLabelSchema = z
  .string()
  .regex(HOSTNAME_LABEL_RE, 'must be a lowercase hostname label (a-z, 0-9 and inner "-", at most 63 characters)');

/** A DNS domain of such labels, e.g. `prox.local` (at most 253 characters). */
export const domainSchema = z
  .string()
  .max(253)
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/, 'must be a lowercase DNS domain such as prox.local');

/** A unicast Ethernet MAC with `:` separators, e.g. `02:a1:b2:c3:d4:e5` (zod's `mac`, then the multicast bit). */
export const macSchema = z
  .mac({ error: 'must be a MAC address such as 02:a1:b2:c3:d4:e5' })
  .refine((m) => (parseInt(m.slice(0, 2), 16) & 1) === 0, 'must be a unicast MAC address (the first octet is even)');

/**
 * A Linux interface name as PVE's `pve-iface` format accepts it: `^[a-z][a-z0-9_]{1,20}([:.]\d+)?$`
 * (pve-common `PVE::JSONSchema::pve_verify_iface`). It has no `-`, so the seed's `proximity-lan` is refused.
 */
export const IFACE_RE = /^[a-z][a-z0-9_]{1,20}(?:[:.]\d+)?$/;
export const ifaceNameSchema = z.string().regex(IFACE_RE, 'must be an interface name PVE accepts (a-z, 0-9, _; no "-"), e.g. proxlan');

/** A Proxmox node name (pve-common `pve-node`: a hostname label, case-insensitive). */
export const nodeNameSchema = z.string().regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/, 'must be a Proxmox node name');

/** dnsmasq lease time: seconds/minutes/hours (`12h`, `45m`, `3600`) or `infinite`; dnsmasq's minimum is 2 minutes. */
export const leaseTimeSchema = z.string().regex(/^(?:[1-9]\d{0,6}[smhd]?|infinite)$/, 'must be a dnsmasq lease time such as 12h');

/** Caddy's admin listener, loopback only: `localhost:<port>`, `127.0.0.1:<port>` or `[::1]:<port>`. */
export const loopbackAdminSchema = z
  .string()
  .regex(/^(?:localhost|127\.0\.0\.1|\[::1\]):(?:[1-9]\d{0,4})$/, 'must be a loopback address and port such as localhost:2019')
  .refine((a) => Number(a.slice(a.lastIndexOf(':') + 1)) <= 65535, 'port must be at most 65535');

/** An absolute POSIX path of plain characters (no spaces, quotes or shell metacharacters). */
export const plainPathSchema = z.string().regex(/^\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/, 'must be an absolute path of plain characters');

/**
 * Parses `value` with `schema`; on failure throws `ProximityError(code)` whose message names `what` and every
 * offending field (the bad value is shown JSON-quoted, so a newline or a brace is visible in the message).
 * Details carry zod's issues.
 */
export function parseStrict<S extends z.ZodType>(schema: S, value: unknown, code: ErrorCode, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ProximityError(code, `${what} refused: ${describeIssues(r.error, value)}`, { details: { issues: r.error.issues }, cause: r.error });
}

function describeIssues(error: z.ZodError, value: unknown): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const bad = i.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), value);
      const where = i.path.length ? i.path.join('.') : 'value';
      return `${where} ${JSON.stringify(bad) ?? String(bad)} ${i.message}`;
    })
    .join('; ');
}

import { z } from 'zod';
import { errorCodeSchema } from './errors';

/**
 * The network appliance as the renderer sees it (the seed's infrastructure endpoints): per node, whether apps
 * get the isolated LAN (`appliance`) or fall back to vmbr0 with direct access only (`fallback`), and why.
 */

const nodeName = z.string().regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/, 'a Proxmox node name');
const connectionId = z.string().min(1).max(100);

export const applianceServiceStateSchema = z.enum(['started', 'stopped', 'crashed', 'unknown']);
export const applianceDaemonSchema = z.enum(['dnsmasq', 'caddy']);
export type ApplianceDaemonName = z.infer<typeof applianceDaemonSchema>;

export const applianceStatusSchema = z
  .object({
    /** `<connectionId>/<node>` (or the node alone): the key `appliance.changed` snapshots are kept under */
    key: z.string(),
    connectionId: z.string().nullable(),
    node: z.string(),
    vmid: z.number().int(),
    mode: z.enum(['appliance', 'fallback']),
    /** why the mode is `fallback` (null in `appliance` mode): not provisioned, stopped, a service down, ... */
    reason: z.string().nullable(),
    bridge: z.object({ name: z.string(), present: z.boolean(), active: z.boolean() }).strict(),
    container: z.enum(['missing', 'foreign', 'stopped', 'running', 'unknown']),
    wanAddress: z.string().nullable(),
    lanAddress: z.string(),
    services: z.object({ dnsmasq: applianceServiceStateSchema, caddy: applianceServiceStateSchema, iptables: applianceServiceStateSchema }).strict(),
    ipForward: z.boolean().nullable(),
    natRule: z.boolean().nullable(),
    leases: z
      .object({
        configured: z.number().int().nonnegative(),
        active: z.array(z.object({ mac: z.string(), ip: z.string(), hostname: z.string().nullable(), expires: z.number() }).strict()),
      })
      .strict(),
    lastProvisionError: z.object({ code: errorCodeSchema, message: z.string(), at: z.string() }).strict().nullable(),
    checkedAt: z.string(),
  })
  .strict();
export type ApplianceStatus = z.infer<typeof applianceStatusSchema>;

export const applianceTargetSchema = z.object({ connectionId: connectionId.optional(), node: nodeName }).strict();

export const applianceLogsInputSchema = applianceTargetSchema.extend({ service: applianceDaemonSchema, lines: z.number().int().min(1).max(500).default(100) }).strict();
export const applianceLogsSchema = z.object({ service: applianceDaemonSchema, lines: z.array(z.string()), file: z.string() }).strict();

export const natTestInputSchema = applianceTargetSchema
  .extend({
    /** the container on the appliance LAN to test from (default: the first running one found on the bridge) */
    vmid: z.number().int().min(100).max(999_999_999).optional(),
    /** what to reach (default: the orchestrator's probe URL) */
    url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  })
  .strict();
export const natTestResultSchema = z
  .object({
    ok: z.boolean(),
    vmid: z.number().int().nullable(),
    url: z.string(),
    /** the container's default gateway (must be the appliance's LAN address) */
    gateway: z.string().nullable(),
    /** what went wrong, for the operator (null when ok) */
    message: z.string().nullable(),
  })
  .strict();
export type NatTestResult = z.infer<typeof natTestResultSchema>;

export const proxyRouteStatusSchema = z
  .object({
    hostname: z.string(),
    upstream: z.string(),
    publicPort: z.number().int(),
    internalPort: z.number().int(),
    /** whether the upstream answered an HTTP request from the appliance (any status) */
    upstreamAnswers: z.boolean(),
  })
  .strict();
export const proxyStatusSchema = z
  .object({ node: z.string(), caddy: applianceServiceStateSchema, routes: z.array(proxyRouteStatusSchema) })
  .strict();
export type ProxyStatus = z.infer<typeof proxyStatusSchema>;

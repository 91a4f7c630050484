// A node's network configuration (pve-manager API2/Network.pm): changes are written to
// /etc/network/interfaces.new and only take effect on apply (`ifreload -a`, task `srvreload`); revert drops them.
// GET /nodes/{node}/network answers the pending diff in the envelope's `changes`.
import { z } from 'zod';
import { ProximityError } from '../errors';
import { parseNode } from './nodes';
import type { PveClient } from './pve-client';
import { runTask, upidSchema, type RunTaskOptions, type TaskOutcome } from './tasks';

/** pve-iface: `^[a-z][a-z0-9_]{1,20}([:.]\d+)?$` (no `-`: PVE refuses `proximity-lan`). */
export const IFACE_RE = /^[a-z][a-z0-9_]{1,20}([:.]\d+)?$/;
const CIDR4_RE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** One row of GET /nodes/{node}/network. */
export const networkInterfaceSchema = z.looseObject({
  iface: z.string(),
  type: z.string(),
  active: z.coerce.number().optional(),
  autostart: z.coerce.number().optional(),
  method: z.string().optional(),
  cidr: z.string().optional(),
  address: z.string().optional(),
  gateway: z.string().optional(),
  bridge_ports: z.string().optional(),
  bridge_vlan_aware: z.coerce.number().optional(),
  comments: z.string().optional(),
});
export type NetworkInterface = z.infer<typeof networkInterfaceSchema>;

/** The node's interfaces (as they would be after apply) and the pending diff, undefined when nothing is pending. */
export async function readNetwork(client: PveClient, node: string, opts: { type?: 'bridge' | 'any_bridge'; signal?: AbortSignal } = {}): Promise<{ interfaces: NetworkInterface[]; pendingChanges?: string }> {
  const r = await client.call((api) => api.nodes.$(parseNode(node)).network.$get(opts.type ? { type: opts.type } : {}), { schema: z.array(networkInterfaceSchema), signal: opts.signal });
  return r.changes ? { interfaces: r.data, pendingChanges: r.changes } : { interfaces: r.data };
}

/** Just the pending diff of /etc/network/interfaces.new, undefined when nothing is pending. */
export async function readPendingNetworkChanges(client: PveClient, node: string, signal?: AbortSignal): Promise<string | undefined> {
  return (await readNetwork(client, node, { signal })).pendingChanges;
}

/** A Linux bridge to create; every value checked against PVE's formats before it is sent. */
export const bridgeSpecSchema = z.object({
  iface: z.string().regex(IFACE_RE, 'an interface name such as vmbr1 or proxlan (letters, digits, _; no -)'),
  /** IPv4 address of the node on the bridge, e.g. 10.10.0.1/24 */
  cidr: z.string().regex(CIDR4_RE).optional(),
  gateway: z.string().regex(IPV4_RE).optional(),
  /** physical ports, space separated (none for an internal bridge) */
  bridgePorts: z.string().regex(/^[a-z][a-z0-9_.:]*( [a-z][a-z0-9_.:]*)*$/).optional(),
  vlanAware: z.boolean().optional(),
  /** bring it up at boot and on apply (`auto <iface>`; default true) */
  autostart: z.boolean().optional(),
  comments: z.string().max(4096).regex(/^[^\0]*$/).optional(),
});
export type BridgeSpec = z.infer<typeof bridgeSpecSchema>;

/**
 * Adds a Linux bridge to the pending configuration (POST /nodes/{node}/network; takes effect on apply).
 * Throws VALIDATION, PVE_API_ERROR (400 errors.iface "interface already exists").
 */
export async function createBridge(client: PveClient, node: string, spec: BridgeSpec, signal?: AbortSignal): Promise<void> {
  const r = bridgeSpecSchema.safeParse(spec);
  if (!r.success) throw new ProximityError('VALIDATION', `Invalid bridge: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const s = r.data;
  const params: Record<string, string | boolean> = { iface: s.iface, type: 'bridge', autostart: s.autostart ?? true };
  if (s.cidr) params.cidr = s.cidr;
  if (s.gateway) params.gateway = s.gateway;
  if (s.bridgePorts) params.bridge_ports = s.bridgePorts;
  if (s.vlanAware !== undefined) params.bridge_vlan_aware = s.vlanAware;
  if (s.comments) params.comments = s.comments;
  await client.call((api) => api.nodes.$(parseNode(node)).network.$post(params as never), { signal });
}

/** Applies the pending configuration (PUT /nodes/{node}/network: `ifreload -a` in task `srvreload`). */
export async function applyNetwork(client: PveClient, node: string, opts: Omit<RunTaskOptions, 'what'> = {}): Promise<TaskOutcome> {
  const n = parseNode(node);
  const run = await runTask(client, () => client.get((api) => api.nodes.$(n).network.$put(), upidSchema, { signal: opts.signal }), { ...opts, what: `apply the network of ${n}` });
  if (run.alreadyDone) throw new ProximityError('INTERNAL', 'apply cannot be already done');
  return run.outcome;
}

/** Drops the pending configuration (DELETE /nodes/{node}/network). */
export async function revertNetwork(client: PveClient, node: string, signal?: AbortSignal): Promise<void> {
  await client.call((api) => api.nodes.$(parseNode(node)).network.$delete(), { signal });
}

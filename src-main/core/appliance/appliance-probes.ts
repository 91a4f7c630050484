// Active checks through the appliance: the NAT test (a LAN container reaches the outside) and the proxy's
// upstreams (each route's container answers a TCP connect from the appliance).
import type { NatTestResult, ProxyStatus } from '../../../src-shared/contract/appliance-schemas';
import { ProximityError } from '../errors';
import type { CommandExecutor } from '../network/command-executor';
import type { LanPlan } from '../network/network-settings';
import type { ProxyRoute } from '../proxy/proxy-route';
import { checkRoutes } from '../proxy/proxy-route';
import { nodeNameSchema } from '../pve/nodes';
import { z } from 'zod';
import { applianceExecutor, readApplianceFacts } from './appliance-shell';
import type { NodeAccess } from './node-access';

const probeUrlSchema = z.url({ protocol: /^https?$/ }).max(2048).regex(/^[^\s'"\\`$]+$/);
const lxcListSchema = z.array(z.looseObject({ vmid: z.coerce.number(), status: z.string() }));

export interface NatTestInput {
  access: NodeAccess;
  node: string;
  plan: LanPlan;
  applianceVmid: number;
  /** the LAN container to test from; default the lowest running VMID whose net0 is on the bridge */
  vmid?: number;
  url: string;
  signal?: AbortSignal;
}

// Fixed script: prints the default gateway, then fetches "$1" (busybox or GNU wget) and prints `fetch <exit>`.
const NAT_SCRIPT = [
  'gw=$(ip route show default 2>/dev/null | sed -n "s/^default via \\([0-9.]*\\).*/\\1/p" | head -n 1)',
  'echo "gateway ${gw:-none}"',
  'wget -q -O /dev/null -T 5 "$1" >/dev/null 2>&1; echo "fetch $?"',
].join('\n');

/**
 * Runs the NAT test from a container on the appliance LAN: its default route must go through the appliance
 * (`plan.applianceAddress`) and `url` must answer (wget, 5 s). `ok` false with a message when either fails or no
 * LAN container runs; throws VALIDATION for a bad url, the PVE/SSH layers' errors when the node cannot be reached.
 */
export async function natTest(input: NatTestInput): Promise<NatTestResult> {
  const url = probeUrlSchema.safeParse(input.url);
  if (!url.success) throw new ProximityError('VALIDATION', 'The NAT test URL must be a plain http(s) URL.');
  const ssh = input.access.ssh(input.node);
  const vmid = input.vmid ?? (await firstLanContainer(input));
  const base = { vmid: vmid ?? null, url: url.data };
  if (vmid === undefined) return { ...base, ok: false, gateway: null, message: `No running container on ${input.plan.bridge}; deploy an app first, or pass one.` };
  const r = await applianceExecutor(ssh, vmid, input.signal).exec(['sh', '-c', NAT_SCRIPT, 'nat-test', url.data], { timeoutMs: 30_000 });
  const gateway = /^gateway (\S+)$/m.exec(r.stdout)?.[1] ?? null;
  const fetched = /^fetch (\d+)$/m.exec(r.stdout)?.[1];
  const gw = gateway === 'none' ? null : gateway;
  if (gw !== input.plan.applianceAddress) return { ...base, ok: false, gateway: gw, message: `CT ${vmid}'s default route goes through ${gw ?? 'nothing'}, not the appliance (${input.plan.applianceAddress}).` };
  if (fetched !== '0') return { ...base, ok: false, gateway: gw, message: `CT ${vmid} could not reach ${url.data} through the appliance (wget exit ${fetched ?? r.code}); check the appliance's NAT and its WAN.` };
  return { ...base, ok: true, gateway: gw, message: null };
}

async function firstLanContainer(input: NatTestInput): Promise<number | undefined> {
  const n = nodeNameSchema.parse(input.node);
  const list = await input.access.pve.get((api) => api.nodes.$(n).lxc.$get(), lxcListSchema, { signal: input.signal });
  for (const ct of list.filter((c) => c.status === 'running' && c.vmid !== input.applianceVmid).sort((a, b) => a.vmid - b.vmid)) {
    const cfg = await input.access.pve.get((api) => api.nodes.$(n).lxc.$(ct.vmid).config.$get(), z.looseObject({ net0: z.string().optional() }), { signal: input.signal });
    if (cfg.net0 && new RegExp(`(^|,)bridge=${input.plan.bridge}(,|$)`).test(cfg.net0)) return ct.vmid;
  }
  return undefined;
}

// Fixed script: "$@" is pairs of ip port; prints `<ip>:<port> <0|1>`: 1 when an HTTP answer (any status) came
// within 2 s (curl without -f exits 0 for any status; 7 refused, 28 timeout).
const UPSTREAM_SCRIPT = 'while [ $# -ge 2 ]; do if curl -s -o /dev/null -m 2 "http://$1:$2/" >/dev/null 2>&1; then echo "$1:$2 1"; else echo "$1:$2 0"; fi; shift 2; done';

/**
 * The store's routes of `node` with, for each, whether its upstream (`containerIp:containerPort`) accepts a TCP
 * HTTP request from inside the appliance (any status counts), and Caddy's state. Throws PROXY_CONFIG_INVALID for a route that fails
 * its strict checks (nothing runs then).
 */
export async function proxyStatus(exec: CommandExecutor, node: string, routes: readonly ProxyRoute[]): Promise<ProxyStatus> {
  const checked = checkRoutes(routes);
  const facts = await readApplianceFacts(exec);
  const answers = new Map<string, boolean>();
  if (checked.length) {
    const r = await exec.exec(['sh', '-c', UPSTREAM_SCRIPT, 'upstreams', ...checked.flatMap((c) => [c.containerIp, String(c.containerPort)])], { timeoutMs: 30_000 + 2_500 * checked.length });
    for (const m of r.stdout.matchAll(/^(\S+) ([01])$/gm)) answers.set(m[1]!, m[2] === '1');
  }
  return {
    node,
    caddy: facts.services.caddy?.state ?? 'unknown',
    routes: checked.map((c) => {
      const upstream = `${c.containerIp}:${c.containerPort}`;
      return { hostname: c.hostname, upstream, publicPort: c.publicPort, internalPort: c.internalPort, upstreamAnswers: answers.get(upstream) ?? false };
    }),
  };
}

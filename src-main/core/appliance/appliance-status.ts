// One read of a node's appliance: bridge, container, WAN address, services, NAT, leases; and the mode that
// follows from them (`appliance`, or `fallback` with the reason an operator can act on).
import type { ApplianceStatus } from '../../../src-shared/contract/appliance-schemas';
import { ProximityError } from '../errors';
import type { LanPlan } from '../network/network-settings';
import { containerInterfaces, containerStatus, getContainerConfig } from '../pve/lxc';
import { readNetwork } from '../pve/node-network';
import { isNotFound } from '../pve/pve-errors';
import { isProximityAppliance } from './appliance-identity';
import { applianceExecutor, LEASE_FILE, parseLeaseFile, readApplianceFacts, type ServiceState } from './appliance-shell';
import type { NodeAccess } from './node-access';

export interface StatusInput {
  access: NodeAccess;
  node: string;
  vmid: number;
  plan: LanPlan;
  connectionId: string | null;
  configuredLeases: number;
  lastError: ApplianceStatus['lastProvisionError'];
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * Reads the appliance of `input.node`. Never throws for what it finds (a missing bridge, a foreign guest, a
 * crashed service): those set `mode: 'fallback'` and `reason`. A PVE or SSH failure while reading also ends up
 * in `reason` (container `unknown`), so the health monitor can report an unreachable node.
 */
export async function readApplianceStatus(input: StatusInput): Promise<ApplianceStatus> {
  const { access, node, vmid, plan } = input;
  const unknown: ServiceState = 'unknown';
  const s: ApplianceStatus = {
    key: input.connectionId ? `${input.connectionId}/${node}` : node,
    connectionId: input.connectionId,
    node,
    vmid,
    mode: 'fallback',
    reason: null,
    bridge: { name: plan.bridge, present: false, active: false },
    container: 'unknown',
    wanAddress: null,
    lanAddress: plan.applianceAddress,
    services: { dnsmasq: unknown, caddy: unknown, iptables: unknown },
    ipForward: null,
    natRule: null,
    leases: { configured: input.configuredLeases, active: [] },
    lastProvisionError: input.lastError,
    checkedAt: (input.now ?? (() => new Date()))().toISOString(),
  };
  const problems: string[] = [];
  try {
    const bridge = (await readNetwork(access.pve, node, { signal: input.signal })).interfaces.find((i) => i.iface === plan.bridge);
    s.bridge = { name: plan.bridge, present: !!bridge, active: Number(bridge?.active ?? 0) === 1 };
    if (!s.bridge.active) problems.push(`bridge ${plan.bridge} is ${bridge ? 'not active' : 'missing'}`);
    const config = await getContainerConfig(access.pve, node, vmid, input.signal).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e)));
    if (!config) {
      s.container = 'missing';
      problems.push(`no appliance at VMID ${vmid}: not provisioned`);
    } else if (!isProximityAppliance(config)) {
      s.container = 'foreign';
      problems.push(`VMID ${vmid} holds a guest that is not Proximity's appliance`);
    } else {
      s.container = (await containerStatus(access.pve, node, vmid, input.signal)).status;
      if (s.container !== 'running') problems.push('the appliance is stopped');
    }
    if (s.container === 'running') {
      const ifs = await containerInterfaces(access.pve, node, vmid, input.signal);
      s.wanAddress = ifs.find((i) => i.name === plan.settings.wanInterface)?.inet?.split('/')[0] ?? null;
      if (!s.wanAddress) problems.push('the appliance has no WAN address');
      const exec = applianceExecutor(access.ssh(node), vmid, input.signal);
      const facts = await readApplianceFacts(exec);
      for (const k of ['dnsmasq', 'caddy', 'iptables'] as const) {
        s.services[k] = facts.services[k]?.state ?? unknown;
        if (s.services[k] !== 'started') problems.push(`${k} is ${s.services[k]}`);
      }
      s.ipForward = facts.ipForward;
      s.natRule = facts.natRule;
      if (!facts.ipForward) problems.push('ip_forward is off');
      if (!facts.natRule) problems.push('the NAT rule is not loaded');
      const leases = await exec.exec(['sh', '-c', 'cat "$1" 2>/dev/null || true', 'leases', LEASE_FILE], { timeoutMs: 15_000 });
      s.leases.active = parseLeaseFile(leases.stdout);
    }
  } catch (e) {
    problems.push(`could not read the appliance: ${e instanceof ProximityError ? `${e.code}: ${e.message}` : String(e)}`);
  }
  if (input.lastError && problems.length) problems.push(`last provisioning failed: ${input.lastError.message}`);
  s.mode = problems.length ? 'fallback' : 'appliance';
  s.reason = problems.length ? `Fallback mode (new apps go on vmbr0, direct access only): ${problems.join('; ')}.` : null;
  return s;
}

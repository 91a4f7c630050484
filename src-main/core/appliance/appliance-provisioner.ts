// Provisioning of one node's network appliance, step by step. Every step first reads what is already there and
// does only what is missing, so a second run changes nothing and a run stopped at any point (cancelled, crashed,
// SSH dropped) resumes on the next one.
import { ProximityError } from '../errors';
import { APPLIANCE_PATHS } from '../network/appliance-files';
import type { FirewallOptions } from '../network/firewall-rules';
import type { LanPlan } from '../network/network-settings';
import { ipv4Schema } from '../network/strict-values';
import { ReverseProxyManager } from '../proxy/reverse-proxy-manager';
import { containerInterfaces, containerStatus, createContainer, getContainerConfig, setContainerConfig, startContainer, waitForUnlock } from '../pve/lxc';
import { applyNetwork, createBridge, readNetwork, type NetworkInterface } from '../pve/node-network';
import { isNotFound } from '../pve/pve-errors';
import { delay } from '../pve/retry';
import type { TaskLogLine } from '../pve/tasks';
import { ensureTemplate, listAppliances } from '../pve/templates';
import { pctExec } from '../ssh/pct-commands';
import { mustRun, writeCaddyfile, writeNetworkFiles } from './appliance-config';
import { APPLIANCE_DESCRIPTION_MARKER, APPLIANCE_HOSTNAME, APPLIANCE_PACKAGES, APPLIANCE_TAG, applianceNets, isProximityAppliance, netEssentials, newestAlpine } from './appliance-identity';
import { APPLIANCE_SERVICES, applianceExecutor, readApplianceFacts } from './appliance-shell';
import type { ApplianceDesiredState, NodeAccess } from './node-access';
import { pendingInterfaces } from './pending-network';

/** The steps, in order, with the percent reached when each starts. */
export const PROVISION_STEPS = [
  ['check-node', 0],
  ['bridge', 5],
  ['template', 15],
  ['container', 30],
  ['start', 45],
  ['packages', 55],
  ['config', 70],
  ['services', 85],
  ['verify', 95],
] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number][0];

/** What a provisioning step reports through (an operation's context, or a test's recorder). */
export interface ProvisionReporter {
  readonly signal: AbortSignal;
  step(name: string): void;
  progress(percent: number): void;
  log(text: string): void;
}

export interface ProvisionInput {
  access: NodeAccess;
  node: string;
  vmid: number;
  plan: LanPlan;
  desired: ApplianceDesiredState;
  /** where the template is cached and the rootfs lives (defaults `local`, `local-lvm:1`) */
  templateStorage?: string;
  rootfs?: string;
  /** the WAN bridge (default `vmbr0`) */
  wanBridge?: string;
  /** how long to wait for the appliance's WAN lease, ms (default 60 000) */
  wanLeaseTimeoutMs?: number;
}

/** What a run did: the steps that changed something (empty on a run that found everything in place). */
export interface ProvisionResult {
  node: string;
  vmid: number;
  wanAddress: string;
  changed: ProvisionStep[];
}

/**
 * Runs every step for `input.node`. Throws `NETWORK_PENDING_CHANGES` (someone else's pending network change;
 * details: pendingIfaces, diff), `APPLIANCE_VMID_TAKEN` (a foreign guest at the VMID; never touched),
 * `APPLIANCE_UNAVAILABLE` (no Alpine template in the index, no WAN lease in time, a service that does not come
 * up), the PVE layer's errors (PVE_TASK_FAILED with the task log, ...), the SSH layer's, `NETWORK_CONFIG_INVALID`
 * / `PROXY_CONFIG_INVALID` for a value refused by the generators, and the signal's reason when aborted.
 */
export async function provisionAppliance(input: ProvisionInput, op: ProvisionReporter): Promise<ProvisionResult> {
  const { access, node, vmid, plan } = input;
  const pve = access.pve;
  const signal = op.signal;
  const changed: ProvisionStep[] = [];
  const onLog = (lines: TaskLogLine[]) => lines.forEach((l) => op.log(`  ${l.t}`));
  const step = (name: ProvisionStep) => {
    signal.throwIfAborted();
    op.step(name);
    op.progress(PROVISION_STEPS.find(([s]) => s === name)![1]);
  };

  // ---- the node's network: someone else's pending change stops us ----
  step('check-node');
  const net = await readNetwork(pve, node, { signal });
  const pending = net.pendingChanges ? pendingInterfaces(net.pendingChanges) : [];
  const foreign = pending.filter((i) => i !== plan.bridge);
  if (foreign.length) {
    throw new ProximityError(
      'NETWORK_PENDING_CHANGES',
      `Node ${node} has pending network changes that Proximity did not make (${foreign.join(', ')}). Apply or revert them in the Proxmox VE web UI (System > Network), then retry provisioning.`,
      { details: { node, pendingIfaces: foreign, diff: net.pendingChanges } },
    );
  }

  // a foreign guest at the VMID stops everything before any change
  let config = await getContainerConfig(pve, node, vmid, signal).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e)));
  if (config && !isProximityAppliance(config)) throw foreignGuest(node, vmid, config.hostname);

  // ---- the bridge ----
  step('bridge');
  const bridge = net.interfaces.find((i) => i.iface === plan.bridge);
  if (bridge && bridge.type !== 'bridge') {
    throw new ProximityError('CONFLICT', `Node ${node} has an interface ${plan.bridge} that is a ${bridge.type}, not a bridge; choose another bridge name in the network settings.`, { details: { node, iface: plan.bridge } });
  }
  if (!bridge) {
    op.log(`Creating bridge ${plan.bridge} (no ports, autostart)`);
    await createBridge(pve, node, { iface: plan.bridge, autostart: true, comments: 'Proximity app LAN' }, signal);
  }
  if (!bridge || pending.includes(plan.bridge) || !isActive(bridge)) {
    op.log(`Applying the network configuration of ${node}`);
    await applyNetwork(pve, node, { signal, onLog });
    changed.push('bridge');
  } else op.log(`Bridge ${plan.bridge} is in place`);

  // ---- the container: ours, foreign, or missing ----
  const nets = applianceNets(plan, input.wanBridge ?? 'vmbr0');
  step('template');
  let ostemplate: string | null = null;
  if (!config) {
    const alpine = newestAlpine(await listAppliances(pve, node, signal));
    if (!alpine) throw new ProximityError('APPLIANCE_UNAVAILABLE', `The appliance index of ${node} lists no Alpine template; run \`pveam update\` on the node and retry.`, { details: { node } });
    op.log(`Template ${alpine.template}`);
    ostemplate = await ensureTemplate(pve, node, input.templateStorage ?? 'local', alpine.template, { signal, onLog });
    changed.push('template');
  } else op.log('The appliance exists; no template needed');

  step('container');
  if (!config) {
    op.log(`Creating CT ${vmid}`);
    try {
      await createContainer(pve, node, {
        ostemplate: ostemplate!, hostname: APPLIANCE_HOSTNAME, unprivileged: true, onboot: true, rootfs: input.rootfs ?? 'local-lvm:1',
        memory: 256, nets, tags: APPLIANCE_TAG, description: `${APPLIANCE_DESCRIPTION_MARKER}\n`,
      }, { vmid, signal, onLog });
    } catch (e) {
      // someone took the VMID between our read and the create (or it lives on another node of the cluster)
      if (e instanceof ProximityError && e.code === 'CONFLICT') throw foreignGuest(node, vmid, undefined);
      throw e;
    }
    changed.push('container');
    config = await getContainerConfig(pve, node, vmid, signal);
  } else {
    if (config.lock) await waitForUnlock(pve, node, vmid, { signal });
    const drift: Record<string, string | number> = {};
    if (Number(config.onboot ?? 0) !== 1) drift.onboot = 1;
    nets.forEach((n, i) => { if (netEssentials(config![`net${i}`]) !== netEssentials(n)) drift[`net${i}`] = n; });
    if (Object.keys(drift).length) {
      op.log(`Correcting the appliance config: ${Object.keys(drift).join(', ')}`);
      await setContainerConfig(pve, node, vmid, { set: drift }, { signal });
      changed.push('container');
    }
  }

  step('start');
  if ((await containerStatus(pve, node, vmid, signal)).status !== 'running') {
    await startContainer(pve, node, vmid, { signal, onLog });
    changed.push('start');
  }
  const wanAddress = await waitForWan(input, op);
  op.log(`WAN address ${wanAddress}`);

  // ---- inside the appliance ----
  const ssh = access.ssh(node);
  const exec = applianceExecutor(ssh, vmid, signal);
  step('packages');
  if ((await exec.exec(['apk', 'info', '-e', ...APPLIANCE_PACKAGES])).code !== 0) {
    await pctExec(ssh, vmid, ['apk', 'add', ...APPLIANCE_PACKAGES], { signal, timeoutMs: 300_000, onLine: (l) => op.log(`  ${l}`) });
    changed.push('packages');
  } else op.log(`${APPLIANCE_PACKAGES.join(', ')} installed`);

  step('config');
  const firewall: FirewallOptions = { managementAddresses: await nodeManagementAddresses(access, node, signal) };
  const files = await writeNetworkFiles(exec, plan, input.desired.leases(node), firewall);
  const proxy = new ReverseProxyManager(exec);
  const caddy = await writeCaddyfile(exec, proxy, input.desired.routes(node));
  const fileChanges = { ...files, caddy };
  if (Object.values(fileChanges).some(Boolean)) changed.push('config');
  op.log(`Config files: ${Object.entries(fileChanges).map(([k, v]) => `${k} ${v ? 'written' : 'unchanged'}`).join(', ')}`);

  step('services');
  let facts = await readApplianceFacts(exec);
  let touched = false;
  for (const s of APPLIANCE_SERVICES) {
    if (facts.services[s.name]?.runlevel !== s.runlevel) {
      await mustRun(exec, ['rc-update', 'add', s.name, s.runlevel]);
      touched = true;
    }
  }
  if (!facts.ipForward || fileChanges.sysctl) {
    await mustRun(exec, ['sysctl', '-p', APPLIANCE_PATHS.sysctlConf]);
    touched = true;
  }
  const reloads: Record<string, boolean> = { iptables: fileChanges.iptables, dnsmasq: fileChanges.dnsmasq, caddy: fileChanges.caddy };
  for (const name of ['iptables', 'dnsmasq', 'caddy'] as const) {
    const state = facts.services[name]?.state;
    if (state === 'started' && !reloads[name]) continue;
    const verb = state === 'started' ? (name === 'dnsmasq' ? 'restart' : 'reload') : state === 'stopped' ? 'start' : 'restart';
    op.log(`rc-service ${name} ${verb}`);
    await mustRun(exec, ['rc-service', name, verb]);
    touched = true;
  }
  if (touched) changed.push('services');

  step('verify');
  facts = await readApplianceFacts(exec);
  const down = ['iptables', 'dnsmasq', 'caddy'].filter((s) => facts.services[s]?.state !== 'started');
  if (down.length || !facts.ipForward || !facts.natRule) {
    throw new ProximityError('APPLIANCE_UNAVAILABLE', `The appliance on ${node} is not healthy after provisioning: ${[...down.map((s) => `${s} not running`), ...(facts.ipForward ? [] : ['ip_forward off']), ...(facts.natRule ? [] : ['no NAT rule'])].join(', ')}.`, {
      details: { node, vmid, facts },
    });
  }
  op.log(changed.length ? `Done; changed: ${changed.join(', ')}` : 'Done; everything was already in place');
  return { node, vmid, wanAddress, changed };
}

function isActive(i: NetworkInterface): boolean {
  return Number(i.active ?? 0) === 1;
}

function foreignGuest(node: string, vmid: number, hostname: string | undefined): ProximityError {
  return new ProximityError(
    'APPLIANCE_VMID_TAKEN',
    `VMID ${vmid} on ${node} holds a guest that is not Proximity's network appliance${hostname ? ` (${hostname})` : ''}; Proximity leaves it untouched. Choose another appliance VMID in the settings, or move that guest, then retry.`,
    { details: { node, vmid, hostname: hostname ?? null } },
  );
}

/** Waits (polling from 200 ms up to 1 s) until the appliance's WAN NIC has an IPv4 address; returns it. */
async function waitForWan(input: ProvisionInput, op: ProvisionReporter): Promise<string> {
  const limit = input.wanLeaseTimeoutMs ?? 60_000;
  const started = performance.now();
  for (let wait = 200; ; wait = Math.min(1000, wait * 2)) {
    const ifs = await containerInterfaces(input.access.pve, input.node, input.vmid, op.signal);
    const inet = ifs.find((i) => i.name === input.plan.settings.wanInterface)?.inet?.split('/')[0];
    if (inet && ipv4Schema.safeParse(inet).success) return inet;
    if (performance.now() - started > limit) {
      throw new ProximityError('APPLIANCE_UNAVAILABLE', `The appliance on ${input.node} got no address on ${input.wanBridge ?? 'vmbr0'} within ${Math.round(limit / 1000)} s; check the LAN's DHCP server.`, { details: { node: input.node, vmid: input.vmid } });
    }
    await delay(wait, op.signal);
  }
}

/**
 * Every IPv4 address of the node (the `address`/`cidr` of each interface its network API lists, plus what the
 * access layer adds), sorted: containers on the LAN get a reject for each. PVE errors as `readNetwork`.
 */
export async function nodeManagementAddresses(access: NodeAccess, node: string, signal?: AbortSignal): Promise<string[]> {
  const ifaces = (await readNetwork(access.pve, node, { signal })).interfaces;
  const fromApi = ifaces.flatMap((i) => [i.address, i.cidr?.split('/')[0]]).filter((a): a is string => !!a && ipv4Schema.safeParse(a).success && !a.startsWith('127.'));
  const extra = (access.managementAddresses?.(node) ?? []).filter((a) => ipv4Schema.safeParse(a).success);
  return [...new Set([...fromApi, ...extra])].sort();
}

// One PVE connection's network appliances, one per node: provisioning (an operation), fallback reporting, the
// API the deployment engine calls to serve apps (leases, routes), and the operations endpoints (status,
// restart, logs, NAT test, proxy status).
import type { ApplianceDaemonName, ApplianceStatus, NatTestResult, ProxyStatus } from '../../../src-shared/contract/appliance-schemas';
import type { Operation } from '../../../src-shared/contract/schemas';
import { ProximityError } from '../errors';
import type { CoreEventPublisher } from '../events/core-events';
import { planLan, type LanPlan, type NetworkSettingsInput } from '../network/network-settings';
import { appLeaseSchema } from '../network/app-network';
import { nodeNameSchema, parseStrict } from '../network/strict-values';
import type { OperationSpec, OperationWork } from '../operations/operations';
import type { ProxyRoute } from '../proxy/proxy-route';
import { ReverseProxyManager, type ProxyApplyResult } from '../proxy/reverse-proxy-manager';
import { containerStatus, getContainerConfig } from '../pve/lxc';
import { isNotFound } from '../pve/pve-errors';
import { mustRun, writeCaddyfile, writeNetworkFiles } from './appliance-config';
import { nodeManagementAddresses, provisionAppliance, type ProvisionReporter, type ProvisionResult } from './appliance-provisioner';
import { isProximityAppliance } from './appliance-identity';
import { applianceExecutor, DAEMONS, readApplianceFacts, SERVICE_LOGS } from './appliance-shell';
import { readApplianceStatus } from './appliance-status';
import { natTest, proxyStatus } from './appliance-probes';
import type { ApplianceDesiredState, ApplianceLease, NodeAccess } from './node-access';
import { KeyedQueue } from './node-queue';

/** The settings the orchestrator reads on every call (so a change applies to the next one). */
export interface ApplianceSettingsSource {
  get(key: 'network.lan'): NetworkSettingsInput;
  get(key: 'appliance.vmid'): number;
}

export interface OrchestratorDeps {
  operations: { start(spec: OperationSpec, work: OperationWork): Operation };
  events: CoreEventPublisher;
  settings: ApplianceSettingsSource;
  desired: ApplianceDesiredState;
}

export interface OrchestratorOptions {
  /** the connection this orchestrator serves (status keys, events); null for a single-connection setup */
  connectionId?: string | null;
  /** what the NAT test reaches by default (default `http://dl-cdn.alpinelinux.org/alpine/`) */
  natProbeUrl?: string;
  /** template storage and rootfs for the appliance (defaults `local`, `local-lvm:1`) */
  templateStorage?: string;
  rootfs?: string;
  wanLeaseTimeoutMs?: number;
}

/**
 * The seed's `NetworkApplianceOrchestrator` for one PVE connection. Desired state (leases, routes) always comes
 * from `deps.desired` (the store); config changes on one node are serialised. Node names are checked against
 * PVE's pattern (`VALIDATION`); every value bound for a config file goes through the generators' strict checks.
 */
export class NetworkApplianceOrchestrator {
  private readonly queue = new KeyedQueue();
  private readonly lastError = new Map<string, { code: ProximityError['code']; message: string; at: string }>();
  private readonly connectionId: string | null;
  private readonly published = new Map<string, string>();

  constructor(private readonly access: NodeAccess, private readonly deps: OrchestratorDeps, private readonly options: OrchestratorOptions = {}) {
    this.connectionId = options.connectionId ?? null;
  }

  /** The LAN plan from the current settings. Throws NETWORK_CONFIG_INVALID for stored settings that fail their checks. */
  plan(): LanPlan {
    return planLan(this.deps.settings.get('network.lan'));
  }

  /** The appliance VMID from the settings (default 9999). */
  vmid(): number {
    return this.deps.settings.get('appliance.vmid');
  }

  /**
   * Starts provisioning `node` as an operation (kind `appliance.provision`, target `<node>`) and returns its first
   * snapshot at once; steps, percent, log lines (PVE task logs included) follow as `operations.changed`. The
   * operation fails with the codes of `provisionAppliance`; the failure is also kept for `status` (fallback
   * reason) until a later run succeeds. Cancelling aborts the step in flight; the next run resumes.
   */
  provision(node: string): Operation {
    const n = this.node(node);
    return this.deps.operations.start({ kind: 'appliance.provision', title: `Provision the network appliance on ${n}`, target: n }, async (op) => {
      await this.runProvisioning(n, op);
    });
  }

  /** Provisioning without the operation wrapper (the operation's work; tests). Same errors as `provision`'s operation. */
  async runProvisioning(node: string, reporter: ProvisionReporter): Promise<ProvisionResult> {
    const n = this.node(node);
    return this.queue.run(n, async () => {
      try {
        const r = await provisionAppliance({
          access: this.access, node: n, vmid: this.vmid(), plan: this.plan(), desired: this.deps.desired,
          templateStorage: this.options.templateStorage, rootfs: this.options.rootfs, wanLeaseTimeoutMs: this.options.wanLeaseTimeoutMs,
        }, reporter);
        this.lastError.delete(n);
        return r;
      } catch (e) {
        const pe = e instanceof ProximityError ? e : new ProximityError('INTERNAL', e instanceof Error ? e.message : String(e), { cause: e });
        this.lastError.set(n, { code: pe.code, message: pe.message, at: new Date().toISOString() });
        throw e;
      } finally {
        void this.status(n).catch(() => undefined); // announces the new state
      }
    });
  }

  /**
   * The appliance of `node` now (see `ApplianceStatus`): mode `appliance` only when the container runs and
   * dnsmasq, Caddy, iptables, ip_forward and the NAT rule are all in place; otherwise `fallback` with the reason.
   * Publishes `appliance.changed` with the snapshot when it differs from the last one published for the node
   * (mode, reason, services, container, addresses, lease count; not the check time). Never throws for the
   * appliance's own state; PVE/SSH failures end up in `reason`. VALIDATION for a bad node name.
   */
  async status(node: string, signal?: AbortSignal): Promise<ApplianceStatus> {
    const n = this.node(node);
    const s = await readApplianceStatus({
      access: this.access, node: n, vmid: this.vmid(), plan: this.plan(), connectionId: this.connectionId,
      configuredLeases: this.deps.desired.leases(n).length, lastError: this.lastError.get(n) ?? null, signal,
    });
    const { checkedAt: _at, ...rest } = s;
    const fingerprint = JSON.stringify({ ...rest, leases: { configured: s.leases.configured, active: s.leases.active.map((l) => l.ip) } });
    if (this.published.get(n) !== fingerprint) {
      this.published.set(n, fingerprint);
      this.deps.events.emit('appliance.changed', s);
    }
    return s;
  }

  /**
   * Where a new app on `node` goes: with a healthy appliance, the LAN bridge (static lease, proxy ports, DNS
   * name); otherwise fallback mode: `vmbr0` with DHCP from the LAN and direct access only, with the reason to
   * show the operator. Reads the status (see `status`).
   */
  async appNetwork(node: string, signal?: AbortSignal): Promise<{ mode: 'appliance'; bridge: string; wanAddress: string } | { mode: 'fallback'; bridge: 'vmbr0'; reason: string }> {
    const s = await this.status(node, signal);
    if (s.mode === 'appliance' && s.wanAddress) return { mode: 'appliance', bridge: s.bridge.name, wanAddress: s.wanAddress };
    return { mode: 'fallback', bridge: 'vmbr0', reason: s.reason ?? 'The network appliance has no WAN address.' };
  }

  /** The appliance's WAN address (where the public/canvas ports answer), or null when it has none (fallback). */
  async wanAddress(node: string, signal?: AbortSignal): Promise<string | null> {
    return (await this.status(node, signal)).wanAddress;
  }

  /**
   * Gives app `appId` its static lease and `.<domain>` name: the store's leases for `node` with this one put in
   * (replacing any earlier one of the app), regenerated into dnsmasq.conf, validated, swapped and dnsmasq
   * restarted (a no-op when nothing changed). Throws NETWORK_CONFIG_INVALID for a hostile or clashing value
   * (nothing written), APPLIANCE_UNAVAILABLE when the appliance is not running, SSH errors.
   */
  async registerApp(node: string, lease: ApplianceLease): Promise<{ changed: boolean }> {
    const l = parseStrict(appLeaseSchema, lease, 'NETWORK_CONFIG_INVALID', 'App lease');
    return this.writeLeases(node, (stored) => [...stored.filter((s) => s.appId !== l.appId), l]);
  }

  /** Removes app `appId`'s lease and name (the store's leases without it); same errors as `registerApp`. */
  async unregisterApp(node: string, appId: string): Promise<{ changed: boolean }> {
    return this.writeLeases(node, (stored) => stored.filter((s) => s.appId !== appId));
  }

  /**
   * Applies `routes` (the store's routes of `node`) to the appliance's Caddy through ReverseProxyManager:
   * generate (PROXY_CONFIG_INVALID before any command for a hostile value), validate with the appliance's
   * Caddy, swap, graceful reload (PROXY_APPLY_FAILED keeps the last good config serving). When Caddy is found
   * down, the validated file is swapped in and Caddy started from it instead. Serialised per node.
   */
  async applyRoutes(node: string, routes: readonly ProxyRoute[]): Promise<ProxyApplyResult> {
    const n = this.node(node);
    return this.queue.run(n, async () => {
      const exec = await this.runningExecutor(n);
      const proxy = new ReverseProxyManager(exec);
      const content = proxy.generate(routes); // a hostile value throws here, before any command
      const caddy = (await readApplianceFacts(exec)).services.caddy?.state;
      if (caddy === 'started') return proxy.apply(routes);
      // Caddy is down (a reload needs a running Caddy): validate and swap the file, then start Caddy from it
      const changed = await writeCaddyfile(exec, proxy, routes);
      await mustRun(exec, ['rc-service', 'caddy', caddy === 'stopped' ? 'start' : 'restart']);
      return { changed, previousPath: null, routes: routes.length, bytes: Buffer.byteLength(content) };
    });
  }

  /**
   * Restarts the appliance's daemons (`rc-service <svc> restart`; default dnsmasq and Caddy) and returns the
   * status after. Throws APPLIANCE_UNAVAILABLE when the container is not running, COMMAND_FAILED when a service
   * does not start (with its output).
   */
  async restartServices(node: string, services: readonly ApplianceDaemonName[] = DAEMONS): Promise<ApplianceStatus> {
    const n = this.node(node);
    return this.queue.run(n, async () => {
      const exec = await this.runningExecutor(n);
      for (const s of services) await mustRun(exec, ['rc-service', s, 'restart']);
      return this.status(n);
    });
  }

  /** The last `lines` (1-500) lines of a daemon's log inside the appliance; empty when it has not logged yet. */
  async logs(node: string, service: ApplianceDaemonName, lines: number): Promise<{ service: ApplianceDaemonName; file: string; lines: string[] }> {
    const n = this.node(node);
    if (!DAEMONS.includes(service)) throw new ProximityError('VALIDATION', `No log for service ${JSON.stringify(service)}; use dnsmasq or caddy.`);
    if (!Number.isInteger(lines) || lines < 1 || lines > 500) throw new ProximityError('VALIDATION', 'lines must be an integer 1-500.');
    const exec = await this.runningExecutor(n);
    const file = SERVICE_LOGS[service];
    const r = await exec.exec(['sh', '-c', 'if [ -f "$1" ]; then tail -n "$2" "$1"; fi', 'logs', file, String(lines)], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new ProximityError('COMMAND_FAILED', `Reading ${file} in the appliance failed: ${r.stderr.trim().slice(-400)}`, { details: r });
    return { service, file, lines: r.stdout.split('\n').filter((l, i, a) => l !== '' || i < a.length - 1) };
  }

  /** NAT test: from a container on the appliance LAN, reach `url` through the appliance (see `natTest`). */
  async natTest(node: string, input: { vmid?: number; url?: string } = {}, signal?: AbortSignal): Promise<NatTestResult> {
    const n = this.node(node);
    return natTest({ access: this.access, node: n, plan: this.plan(), applianceVmid: this.vmid(), vmid: input.vmid, url: input.url ?? this.options.natProbeUrl ?? 'http://dl-cdn.alpinelinux.org/alpine/', signal });
  }

  /** Routes of `node` from the store, and which of their upstreams answer a TCP connect from the appliance. */
  async proxyStatus(node: string): Promise<ProxyStatus> {
    const n = this.node(node);
    const exec = await this.runningExecutor(n);
    return proxyStatus(exec, n, this.deps.desired.routes(n));
  }

  private writeLeases(node: string, next: (stored: ApplianceLease[]) => ApplianceLease[]): Promise<{ changed: boolean }> {
    const n = this.node(node);
    return this.queue.run(n, async () => {
      const leases = next([...this.deps.desired.leases(n)]);
      const plan = this.plan();
      const exec = await this.runningExecutor(n);
      // the same inputs as provisioning, so only the leases differ
      const managementAddresses = await nodeManagementAddresses(this.access, n);
      const changed = await writeNetworkFiles(exec, plan, leases, { managementAddresses });
      const facts = await readApplianceFacts(exec);
      // dnsmasq reads dhcp-host/host-record only at start; a stopped or crashed one is started from the new file
      if (changed.dnsmasq || facts.services.dnsmasq?.state !== 'started') await mustRun(exec, ['rc-service', 'dnsmasq', 'restart']);
      if (changed.iptables) await mustRun(exec, ['rc-service', 'iptables', 'reload']);
      return { changed: changed.dnsmasq || changed.iptables };
    });
  }

  /**
   * An executor inside the appliance of `node`; APPLIANCE_UNAVAILABLE unless the guest at the VMID is ours and
   * running (two PVE reads; the full status with its SSH checks is `status`).
   */
  private async runningExecutor(node: string) {
    const vmid = this.vmid();
    const unavailable = (why: string) =>
      new ProximityError('APPLIANCE_UNAVAILABLE', `The network appliance on ${node} is ${why}; provision it first (the node is in fallback mode).`, { details: { node, vmid } });
    const config = await getContainerConfig(this.access.pve, node, vmid).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e)));
    if (!config) throw unavailable(`not provisioned (no guest at VMID ${vmid})`);
    if (!isProximityAppliance(config)) throw unavailable(`missing: VMID ${vmid} holds a guest that is not Proximity's appliance`);
    if ((await containerStatus(this.access.pve, node, vmid)).status !== 'running') throw unavailable('stopped');
    return applianceExecutor(this.access.ssh(node), vmid);
  }

  private node(node: string): string {
    return parseStrict(nodeNameSchema, node, 'VALIDATION', 'Node name');
  }
}

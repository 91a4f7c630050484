import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProximityError } from '../errors';
import { staticLeaseSchema } from './dnsmasq-config';
import { ipToInt } from './ipv4';
import { dhcpRangeAddresses, type LanPlan } from './network-settings';
import { hostnameLabelSchema, nodeNameSchema, parseStrict } from './strict-values';

/** An app as the network needs to know it. `appId` is the store's id; `hostname` its DNS label. */
export const appNetworkMemberSchema = z.object({ appId: z.string().min(1).max(128), hostname: hostnameLabelSchema }).strict();
export type AppNetworkMember = z.infer<typeof appNetworkMemberSchema>;

/** An app's reserved place on the network: its static lease plus the app it belongs to. */
export const appLeaseSchema = staticLeaseSchema.extend({ appId: z.string().min(1).max(128) });
export type AppLease = z.infer<typeof appLeaseSchema>;

/**
 * "The network apps join on this node." Today a Linux bridge per node (`LinuxBridgeAppNetwork`); a cluster-wide
 * PVE SDN VXLAN zone + vnet will implement the same interface later (its `bridgeFor` is the vnet on every node).
 * Reservations are pure data: the caller persists `leases()` in the store and passes them back at construction.
 */
export interface AppNetwork {
  readonly kind: 'linux-bridge' | 'sdn-vnet';
  /** The bridge (or vnet) an app container on `node` attaches its `net0` to. */
  bridgeFor(node: string): string;
  /** Reserves (or returns the existing) stable MAC + address + name of `app`. Throws NETWORK_ADDRESS_EXHAUSTED, CONFLICT. */
  reserve(app: AppNetworkMember): AppLease;
  /** Frees `appId`'s reservation; returns what was freed, or null if it had none. */
  release(appId: string): AppLease | null;
  /** Every reservation, sorted by address. */
  leases(): AppLease[];
  /** PVE's `net0` value for the app on `node`: `name=eth0,bridge=<bridge>,hwaddr=<mac>,ip=dhcp`. */
  netDevice(node: string, lease: AppLease): string;
}

/**
 * One Linux bridge of the same name on every node (`plan.bridge`), addresses from the plan's DHCP range, lowest
 * free first. dnsmasq never hands a `dhcp-host` address to another client, so the dynamic pool and the
 * reservations can share the range. The MAC is derived from the app id (locally administered, unicast: `02:`), so
 * a re-created container gets the same lease.
 */
export class LinuxBridgeAppNetwork implements AppNetwork {
  readonly kind = 'linux-bridge' as const;
  private readonly byApp = new Map<string, AppLease>();

  /** Throws NETWORK_CONFIG_INVALID if an existing lease fails its pattern. */
  constructor(private readonly plan: LanPlan, existing: readonly AppLease[] = []) {
    for (const l of parseStrict(z.array(appLeaseSchema), existing, 'NETWORK_CONFIG_INVALID', 'Stored app leases')) this.byApp.set(l.appId, l);
  }

  bridgeFor(node: string): string {
    parseStrict(nodeNameSchema, node, 'VALIDATION', 'Node name');
    return this.plan.bridge;
  }

  reserve(input: AppNetworkMember): AppLease {
    const app = parseStrict(appNetworkMemberSchema, input, 'NETWORK_CONFIG_INVALID', 'App network member');
    const clash = [...this.byApp.values()].find((l) => l.hostname === app.hostname && l.appId !== app.appId);
    if (clash) throw new ProximityError('CONFLICT', `The hostname ${app.hostname} is already used by another app on this network`, { details: { appId: clash.appId } });
    const mine = this.byApp.get(app.appId);
    if (mine) {
      const renamed = { ...mine, hostname: app.hostname };
      this.byApp.set(app.appId, renamed);
      return renamed;
    }
    const taken = new Set([...this.byApp.values()].map((l) => l.ip));
    const ip = dhcpRangeAddresses(this.plan).find((a) => !taken.has(a));
    if (!ip) {
      throw new ProximityError('NETWORK_ADDRESS_EXHAUSTED', `Every address of ${this.plan.dhcpStart}-${this.plan.dhcpEnd} is reserved; remove an app or widen the DHCP range in the network settings`);
    }
    const lease: AppLease = { appId: app.appId, hostname: app.hostname, ip, mac: this.macFor(app.appId) };
    this.byApp.set(app.appId, lease);
    return lease;
  }

  release(appId: string): AppLease | null {
    const l = this.byApp.get(appId) ?? null;
    this.byApp.delete(appId);
    return l;
  }

  leases(): AppLease[] {
    return [...this.byApp.values()].sort((a, b) => ipToInt(a.ip) - ipToInt(b.ip));
  }

  netDevice(node: string, lease: AppLease): string {
    const l = parseStrict(appLeaseSchema, lease, 'NETWORK_CONFIG_INVALID', 'App lease');
    return `name=eth0,bridge=${this.bridgeFor(node)},hwaddr=${l.mac},ip=dhcp`;
  }

  /** `02:` + 5 bytes of sha256(appId[#n]), the first not used by another reservation. */
  private macFor(appId: string): string {
    const used = new Set([...this.byApp.values()].map((l) => l.mac));
    for (let n = 0; ; n++) {
      const h = createHash('sha256').update(n ? `${appId}#${n}` : appId).digest();
      const mac = ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
      if (!used.has(mac)) return mac;
    }
  }
}


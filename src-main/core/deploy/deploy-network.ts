// Where a deployed app sits on the network and how it is published. The engine talks only to `DeployNetwork`:
// `FallbackDeployNetwork` (vmbr0, DHCP from the LAN, no proxy: reached directly) needs nothing but PVE, and
// `ApplianceDeployNetwork` puts the app on the appliance's bridge and registers its name, lease and routes
// through the appliance orchestrator (src-main/core/appliance), typed here by the methods it uses.
import { z } from 'zod';
import { ProximityError } from '../errors';
import { accessUrlsFor, type AccessUrls } from '../proxy/access-urls';
import type { ProxyRoute } from '../proxy/proxy-route';
import { hostnameLabelSchema, ifaceNameSchema, ipv4Schema, macSchema } from '../network/strict-values';

/** The app as the network sees it once its container has a lease. */
export interface NetworkMember {
  appId: string;
  hostname: string;
  mac: string;
  ip: string;
}

/** An app to publish: its member facts, its container port and its port pair. */
export interface PublishedApp extends NetworkMember {
  containerPort: number;
  ports: { public: number; internal: number };
}

/** Where health is checked and what the operator opens. */
export interface Publication {
  /** the URL the engine checks health through (public port with an appliance; the container itself in fallback) */
  healthBase: string;
  urls: AccessUrls;
}

/** The network side of a deployment. Every method is idempotent (rollback and recovery may repeat them). */
export interface DeployNetwork {
  readonly mode: 'appliance' | 'fallback';
  /** net0 of a new container on `node` (a PVE property string, e.g. `name=eth0,bridge=vmbr0,ip=dhcp`). */
  netDevice(node: string): string;
  /** Registers the app's name and static lease (no-op in fallback). Returns the address the app keeps. */
  attach(node: string, member: NetworkMember, signal?: AbortSignal): Promise<{ ip: string }>;
  /** Removes the app's name and lease. */
  detach(node: string, appId: string, signal?: AbortSignal): Promise<void>;
  /** The app's public origin (`http://host:port`) for manifests that need it, before it is published. */
  publicOrigin(node: string, app: PublishedApp, signal?: AbortSignal): Promise<string>;
  /** Adds the app's proxy routes (no-op in fallback) and says where it is reached. */
  publish(node: string, app: PublishedApp, signal?: AbortSignal): Promise<Publication>;
  /** Removes the app's proxy routes. */
  unpublish(node: string, appId: string, signal?: AbortSignal): Promise<void>;
  /** Null when ready to deploy on `node`; otherwise what is wrong, for the preflight report. */
  health(node: string, signal?: AbortSignal): Promise<string | null>;
}

/** The networks of one connection: the one a new app on a node gets, and the one an existing app was deployed with. */
export interface DeployNetworks {
  /**
   * The network for a new app on `node`, chosen after the node: the appliance when that node's appliance serves
   * apps now, else fallback. Never throws for an appliance it cannot read (fallback then; the reason is logged).
   */
  choose(node: string, signal?: AbortSignal): Promise<DeployNetwork>;
  /**
   * The network an app recorded with `mode` (its spec, its journal) was deployed with: teardown always goes
   * through it, whatever the node's appliance looks like now. Throws NOT_SUPPORTED when this connection has none.
   */
  of(mode: DeployNetwork['mode']): DeployNetwork;
}

/**
 * A connection with one network for every node (tests, tools): `choose` always answers it; `of` answers it for
 * its own mode and throws NOT_SUPPORTED for the other.
 */
export function singleNetwork(network: DeployNetwork): DeployNetworks {
  return {
    choose: () => Promise.resolve(network),
    of: (mode) => {
      if (mode !== network.mode) throw new ProximityError('NOT_SUPPORTED', `This connection has no ${mode} network (only ${network.mode}).`, { details: { mode } });
      return network;
    },
  };
}

const bridgeSchema = ifaceNameSchema;

/** Checks the facts a member carries before they reach an appliance config file. */
export function checkMember(m: NetworkMember): NetworkMember {
  const r = z.object({ appId: z.string().min(1).max(128), hostname: hostnameLabelSchema, mac: macSchema, ip: ipv4Schema }).strict().safeParse({ appId: m.appId, hostname: m.hostname, mac: m.mac, ip: m.ip });
  if (!r.success) throw new ProximityError('NETWORK_CONFIG_INVALID', `Refused network facts for ${JSON.stringify(m.hostname)}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/**
 * Fallback mode: containers on `vmbr0` (or `bridge`) with DHCP from the operator's LAN, no appliance, no proxy.
 * The app is reached directly on its container port; its ports are still allocated (kept for when an appliance
 * arrives) but nothing listens on them.
 */
export class FallbackDeployNetwork implements DeployNetwork {
  readonly mode = 'fallback' as const;
  private readonly bridge: string;

  constructor(opts: { bridge?: string } = {}) {
    this.bridge = bridgeSchema.parse(opts.bridge ?? 'vmbr0');
  }

  netDevice(): string {
    return `name=eth0,bridge=${this.bridge},ip=dhcp`;
  }

  attach(_node: string, member: NetworkMember): Promise<{ ip: string }> {
    return new Promise((resolve) => resolve({ ip: checkMember(member).ip }));
  }

  detach(): Promise<void> {
    return Promise.resolve();
  }

  publicOrigin(_node: string, app: PublishedApp): Promise<string> {
    return new Promise((resolve) => resolve(`http://${checkMember(app).ip}:${app.containerPort}`));
  }

  publish(_node: string, app: PublishedApp): Promise<Publication> {
    return new Promise((resolve) => {
      const m = checkMember(app);
      const urls = accessUrlsFor({ hostname: m.hostname, containerIp: m.ip, containerPort: app.containerPort, ports: null }, null);
      resolve({ healthBase: `http://${m.ip}:${app.containerPort}`, urls });
    });
  }

  unpublish(): Promise<void> {
    return Promise.resolve();
  }

  health(): Promise<string | null> {
    return Promise.resolve(null);
  }
}

/**
 * The appliance orchestrator's methods this module uses (src-main/core/appliance's NetworkApplianceOrchestrator
 * implements them; a unit test checks that it is assignable).
 */
export interface ApplianceOrchestrator {
  registerApp(node: string, lease: { appId: string; hostname: string; mac: string; ip: string }): Promise<unknown>;
  unregisterApp(node: string, appId: string): Promise<unknown>;
  /** replaces the node's whole route list */
  applyRoutes(node: string, routes: readonly ProxyRoute[]): Promise<unknown>;
  /** `fallback` with its `reason` when the appliance cannot take apps now */
  status(node: string, signal?: AbortSignal): Promise<{ mode: 'appliance' | 'fallback'; reason: string | null }>;
  /** the appliance's address on vmbr0; null while it has none */
  wanAddress(node: string, signal?: AbortSignal): Promise<string | null>;
}

/** The routes every app of a node should have, from the store (the single source of truth). */
export type RouteSource = (node: string) => Array<{ appId: string; route: ProxyRoute }>;

/**
 * Appliance mode: containers on the appliance's bridge (DHCP from its dnsmasq), a static lease + DNS name per
 * app, and the node's whole route list applied at once (`applyRoutes` replaces it). `routesFor` reads the store;
 * the app being published is added to (and on unpublish left out of) what it returns.
 */
export class ApplianceDeployNetwork implements DeployNetwork {
  readonly mode = 'appliance' as const;
  private readonly bridge: string;

  constructor(
    private readonly appliance: ApplianceOrchestrator,
    private readonly routesFor: RouteSource,
    opts: { bridge?: string; domain?: string } = {},
  ) {
    this.bridge = bridgeSchema.parse(opts.bridge ?? 'proxlan');
    this.domain = opts.domain ?? 'prox.local';
  }

  private readonly domain: string;

  netDevice(): string {
    return `name=eth0,bridge=${this.bridge},ip=dhcp`;
  }

  async attach(node: string, member: NetworkMember): Promise<{ ip: string }> {
    const m = checkMember(member);
    await this.appliance.registerApp(node, { appId: m.appId, hostname: m.hostname, mac: m.mac, ip: m.ip });
    return { ip: m.ip };
  }

  async detach(node: string, appId: string): Promise<void> {
    await this.appliance.unregisterApp(node, appId);
  }

  async publicOrigin(node: string, app: PublishedApp, signal?: AbortSignal): Promise<string> {
    return `http://${await this.wan(node, signal)}:${app.ports.public}`;
  }

  private async wan(node: string, signal?: AbortSignal): Promise<string> {
    const wan = await this.appliance.wanAddress(node, signal);
    if (!wan) throw new ProximityError('APPLIANCE_UNAVAILABLE', `The network appliance on ${node} has no address on vmbr0 yet.`, { details: { node } });
    return wan;
  }

  async publish(node: string, app: PublishedApp, signal?: AbortSignal): Promise<Publication> {
    const m = checkMember(app);
    const route: ProxyRoute = { hostname: m.hostname, containerIp: m.ip, containerPort: app.containerPort, publicPort: app.ports.public, internalPort: app.ports.internal };
    const others = this.routesFor(node).filter((r) => r.appId !== app.appId && r.route.hostname !== m.hostname).map((r) => r.route);
    await this.appliance.applyRoutes(node, [...others, route]);
    const wanIp = await this.wan(node, signal);
    const urls = accessUrlsFor({ hostname: m.hostname, containerIp: m.ip, containerPort: app.containerPort, ports: app.ports }, { wanIp, domain: this.domain });
    return { healthBase: `http://${wanIp}:${app.ports.public}`, urls };
  }

  async unpublish(node: string, appId: string): Promise<void> {
    await this.appliance.applyRoutes(node, this.routesFor(node).filter((r) => r.appId !== appId).map((r) => r.route));
  }

  async health(node: string, signal?: AbortSignal): Promise<string | null> {
    const s = await this.appliance.status(node, signal);
    return s.mode === 'appliance' ? null : `The network appliance on ${node} is not ready: ${s.reason ?? 'not provisioned'}`;
  }
}

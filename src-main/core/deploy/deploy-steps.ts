// The eight steps of a deployment. Each reads and extends the run's state; what it is about to touch is
// journaled (`detail`) before it touches it, so a rollback or a later recovery knows exactly what to undo.
import { AppSecrets } from '../apps/app-secrets';
import { renderCompose } from '../catalog/compose-renderer';
import type { Manifest } from '../catalog/manifest-schema';
import { ProximityError } from '../errors';
import type { OperationContext } from '../operations/operations';
import type { AccessUrls } from '../proxy/access-urls';
import { containerInterfaces, createContainer, startContainer } from '../pve/lxc';
import { clusterResources, nextVmid, type ClusterResource } from '../pve/nodes';
import type { TaskLogLine } from '../pve/tasks';
import { downloadTemplate } from '../pve/templates';
import { adoptTaggedGuests } from './cluster-port-sync';
import { composeUp, installDocker } from './container-runtime';
import { descriptionFor, tagsFor, type AppSpec } from './app-spec';
import type { DeployConnection, DeployCore, DeployEngineOptions, DeployPlan, DeployStep } from './deploy-types';
import type { DeployNetwork, PublishedApp } from './deploy-network';
import { healthUrl, waitHealthy } from './health-check';
import type { NodeSlots } from './node-slots';
import type { Preflight } from './preflight';
import { waitFor } from './wait-for';

export const DEFAULT_TEMPLATE = 'alpine-3.22-default_20250617_amd64.tar.xz';

/** What one deployment knows as it goes. */
export interface RunState {
  deploymentId: string;
  plan: DeployPlan;
  manifest: Manifest;
  conn: DeployConnection;
  op: OperationContext;
  resources?: ClusterResource[];
  node?: string;
  /** the network of the chosen node (appliance or fallback), chosen right after the node */
  network?: DeployNetwork;
  rootStorage?: string;
  templateVolid?: string;
  vmid?: number;
  ip?: string;
  mac?: string;
  ports?: { public: number; internal: number };
  urls?: AccessUrls;
  /** ms waited on PVE tasks, the lease, commands and health */
  waited: { ms: number };
  /** journals facts of the running step before they are acted on */
  detail(d: Record<string, unknown>): void;
}

/** Services the steps share across deployments. */
export interface StepServices {
  core: DeployCore;
  preflight: Preflight;
  slots: NodeSlots;
  /** VMIDs chosen by running deployments of this process, per connection (so two never pick the same one) */
  vmidsInFlight: Set<string>;
  /** template downloads in progress per connection/node: concurrent deployments share one */
  downloads: Map<string, Promise<string>>;
  options: Required<Omit<DeployEngineOptions, 'beforeStep'>> & Pick<DeployEngineOptions, 'beforeStep'>;
}

async function timed<T>(s: RunState, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    s.waited.ms += performance.now() - started;
  }
}

function taskLog(s: RunState): (lines: TaskLogLine[]) => void {
  return (lines) => {
    for (const l of lines) if (!/^TASK (OK|ERROR|WARNINGS)/.test(l.t)) s.op.log(l.t);
  };
}

/** Step 1: the port pair (after recording ports other desktops use in this cluster). */
async function ports(svc: StepServices, s: RunState): Promise<void> {
  s.resources = await timed(s, () => clusterResources(s.conn.pve, { signal: s.op.signal }));
  const sync = adoptTaggedGuests(svc.core, s.conn.id, s.resources, 'system');
  for (const a of sync.adopted) s.op.log(`Found ${a.hostname} (CT ${a.vmid} on ${a.node}) deployed by another Proximity; its ports ${a.ports.public}/${a.ports.internal} are taken.`);
  for (const c of sync.conflicts) s.op.log(`WARNING: ${c}`);
  const pair = svc.core.ports.allocate(s.plan.appId, svc.options.actor());
  s.ports = { public: pair.publicPort, internal: pair.internalPort };
  s.detail({ ports: s.ports });
  s.op.log(`Ports ${pair.publicPort} (public) and ${pair.internalPort} (canvas) assigned.`);
}

/** Picks the node: the operator's, or the online one with the most free memory that fits cores, memory and disk. */
function chooseNode(s: RunState): string {
  const { cores, memory, disk } = s.plan.resources;
  const nodes = (s.resources ?? []).filter((r) => r.type === 'node');
  const fits = (n: ClusterResource) => {
    const storages = (s.resources ?? []).filter((r) => r.type === 'storage' && r.node === n.node && (r.content ?? '').split(',').includes('rootdir'));
    const freeDisk = Math.max(0, ...storages.map((r) => (r.maxdisk ?? 0) - (r.disk ?? 0)));
    return n.status === 'online' && (n.maxcpu ?? 0) >= cores && (n.maxmem ?? 0) - (n.mem ?? 0) >= memory * 2 ** 20 && (storages.length === 0 || freeDisk >= disk * 2 ** 30);
  };
  const asked = s.plan.request.node;
  if (asked) {
    const n = nodes.find((r) => r.node === asked);
    if (!n) throw new ProximityError('NOT_FOUND', `Node ${asked} is not part of this cluster.`, { details: { node: asked } });
    if (n.status !== 'online') throw new ProximityError('PVE_NODE_OFFLINE', `Node ${asked} is ${n.status ?? 'not online'}.`, { details: { node: asked } });
    return asked;
  }
  const best = nodes.filter(fits).sort((a, b) => (b.maxmem ?? 0) - (b.mem ?? 0) - ((a.maxmem ?? 0) - (a.mem ?? 0)))[0];
  if (!best?.node) {
    throw new ProximityError('PREFLIGHT_FAILED', `No online node has ${cores} free core(s), ${memory} MiB of memory and ${disk} GiB of container storage free.`, { details: { cores, memory, disk } });
  }
  return best.node;
}

/** Step 2: the node, its preflight (cached), and the template cached there. */
async function template(svc: StepServices, s: RunState): Promise<void> {
  const node = chooseNode(s);
  s.node = node;
  s.network = await timed(s, () => s.conn.networks.choose(node, s.op.signal));
  s.detail({ node, mode: s.network.mode });
  s.op.log(`Network on ${node}: ${s.network.mode === 'appliance' ? 'the network appliance' : 'fallback (vmbr0, reached directly)'}.`);
  const report = await timed(s, () => svc.preflight.require({
    connectionId: s.conn.id,
    pve: s.conn.pve,
    network: s.network!,
    node,
    template: svc.options.template,
    templateStorage: svc.options.templateStorage,
    needBytes: s.plan.resources.disk * 2 ** 30,
    signal: s.op.signal,
  }));
  for (const w of report.warnings) s.op.log(w);
  s.rootStorage = report.rootStorage!.storage;
  const key = `${s.conn.id}/${s.node}`;
  let download = svc.downloads.get(key);
  if (!report.templateVolid && !download) {
    s.op.log(`Downloading ${svc.options.template} to ${svc.options.templateStorage} on ${s.node}.`);
    download = downloadTemplate(s.conn.pve, s.node, svc.options.templateStorage, svc.options.template, { signal: s.op.signal, onLog: taskLog(s) })
      .then((r) => r.volid)
      .finally(() => svc.downloads.delete(key));
    svc.downloads.set(key, download);
  }
  s.templateVolid = report.templateVolid ?? (await timed(s, () => download!));
  svc.preflight.noteTemplate(s.conn.id, s.node, s.templateVolid);
  s.detail({ templateVolid: s.templateVolid, rootStorage: s.rootStorage });
}

function appSpec(s: RunState): AppSpec {
  return {
    v: 1,
    appId: s.plan.appId,
    catalogId: s.manifest.id,
    catalogVersion: s.manifest.version,
    hostname: s.plan.request.hostname,
    ports: s.ports!,
    containerPort: s.manifest.expose.port,
    healthPath: s.manifest.health.path,
    mode: s.network!.mode,
    deploymentId: s.deploymentId,
    urls: s.urls,
  };
}

/** The lowest VMID at or above PVE's next free one that no guest and no running deployment here holds. */
function pickVmid(svc: StepServices, s: RunState, from: number): number {
  const taken = new Set((s.resources ?? []).filter((r) => r.vmid !== undefined).map((r) => Number(r.vmid)));
  let v = from;
  while (taken.has(v) || svc.vmidsInFlight.has(`${s.conn.id}/${v}`)) v++;
  return v;
}

/** Step 3: create the container (unprivileged, nesting + keyctl, resources, tags, description). */
async function create(svc: StepServices, s: RunState): Promise<void> {
  const node = s.node!;
  const { cores, memory, disk } = s.plan.resources;
  const spec = appSpec(s);
  let candidate = await timed(s, () => nextVmid(s.conn.pve, { signal: s.op.signal }));
  // waiting for a create slot and for the create task both count as waiting on PVE
  await timed(s, () => svc.slots.run(
    node,
    async () => {
      for (let attempt = 1; ; attempt++) {
        const vmid = pickVmid(svc, s, candidate);
        svc.vmidsInFlight.add(`${s.conn.id}/${vmid}`);
        s.vmid = vmid;
        s.detail({ vmid, node }); // journaled before the create is sent
        try {
          await createContainer(
              s.conn.pve,
              node,
              {
                ostemplate: s.templateVolid!,
                hostname: s.plan.request.hostname,
                cores,
                memory,
                rootfs: `${s.rootStorage}:${disk}`,
                nets: [s.network!.netDevice(node)],
                unprivileged: true,
                // PVE lets only root@pam itself set keyctl; a token sets nesting here and keyctl over SSH below
                features: s.conn.tokenAuth ? 'nesting=1' : 'keyctl=1,nesting=1',
                onboot: true,
                tags: tagsFor(spec),
                description: descriptionFor(spec, s.plan.name),
              },
              { vmid, signal: s.op.signal, onLog: taskLog(s) },
            );
          break;
        } catch (e) {
          svc.vmidsInFlight.delete(`${s.conn.id}/${vmid}`);
          if (e instanceof ProximityError && e.code === 'CONFLICT' && attempt < 5) {
            candidate = vmid + 1;
            continue;
          }
          throw e;
        }
      }
    },
    s.op.signal,
  ));
  s.op.log(`Created CT ${s.vmid} on ${node}.`);
  if (s.conn.tokenAuth) {
    await timed(s, () => s.conn.ssh(node).exec(['pct', 'set', String(s.vmid), '--features', 'keyctl=1,nesting=1'], { signal: s.op.signal, timeoutMs: 60_000 }));
    s.op.log('Set features keyctl=1,nesting=1 over SSH (an API token may not set keyctl).');
  }
}

/** Step 4: start it and wait for its DHCP lease. */
async function start(svc: StepServices, s: RunState): Promise<void> {
  const node = s.node!;
  const vmid = s.vmid!;
  await timed(s, () => startContainer(s.conn.pve, node, vmid, { signal: s.op.signal, onLog: taskLog(s) }));
  const lease = await timed(s, () =>
    waitFor(
      async () => {
        const eth0 = (await containerInterfaces(s.conn.pve, node, vmid, s.op.signal)).find((i) => i.name === 'eth0');
        return eth0?.inet ? { ip: eth0.inet.split('/')[0]!, mac: eth0.hwaddr ?? '' } : undefined;
      },
      { what: `a DHCP lease on eth0 of CT ${vmid}`, timeoutMs: svc.options.leaseTimeoutMs, signal: s.op.signal, minPollMs: 100 },
    ),
  );
  s.ip = lease.ip;
  s.mac = lease.mac.toLowerCase();
  s.detail({ ip: s.ip, mac: s.mac });
  s.op.log(`CT ${vmid} is running with ${s.ip} (${s.mac}).`);
}

/** Step 5: its name and static lease (the appliance's dnsmasq; nothing in fallback mode). */
async function register(svc: StepServices, s: RunState): Promise<void> {
  const member = { appId: s.plan.appId, hostname: s.plan.request.hostname, mac: s.mac!, ip: s.ip! };
  s.detail({ member });
  await timed(s, () => s.network!.attach(s.node!, member, s.op.signal));
  svc.core.apps.place(s.plan.appId, { node: s.node!, vmid: s.vmid!, ip: s.ip!, mac: s.mac! });
}

function published(s: RunState): PublishedApp {
  return { appId: s.plan.appId, hostname: s.plan.request.hostname, mac: s.mac!, ip: s.ip!, containerPort: s.manifest.expose.port, ports: s.ports! };
}

/** Step 6: Docker, the compose file, `up -d`. */
async function runtime(svc: StepServices, s: RunState): Promise<void> {
  const ssh = s.conn.ssh(s.node!);
  const origin = await timed(s, () => s.network!.publicOrigin(s.node!, published(s), s.op.signal));
  const rendered = renderCompose(s.manifest, s.plan.request.params, {}, { deployment: { publicUrl: origin, hostname: s.plan.request.hostname } });
  for (const secret of rendered.secrets) if (secret.source === 'generated') s.op.log(`Generated a value for "${secret.label}" (a secret: not logged).`);
  const vault = new AppSecrets(svc.core.db, svc.core.secretCipher, svc.core.now);
  if (rendered.secrets.length && vault.available) vault.save(s.plan.appId, rendered.secrets.map((x) => ({ parameterId: x.parameterId, label: x.label, value: x.value })));
  else if (rendered.secrets.length) s.op.log('WARNING: no secret store is available; this app\'s secrets are only in its compose file.');
  const o = {
    signal: s.op.signal,
    onLine: (line: string) => s.op.log(line),
    onCommand: (argv: readonly string[]) => s.op.log(`$ ${argv.join(' ')}`),
    dockerReadyTimeoutMs: svc.options.dockerReadyTimeoutMs,
    waited: s.waited,
  };
  await installDocker(ssh, s.vmid!, o);
  await composeUp(ssh, s.vmid!, s.plan.request.hostname, rendered.yaml, o);
}

/** Step 7: proxy routes, then health through the public address. */
async function publish(svc: StepServices, s: RunState): Promise<void> {
  s.detail({ published: true });
  const pub = await timed(s, () => s.network!.publish(s.node!, published(s), s.op.signal));
  s.urls = pub.urls;
  const url = healthUrl(pub.healthBase, s.manifest.health.path);
  s.op.log(`Checking health at ${url}.`);
  await timed(s, () => waitHealthy(url, { timeoutMs: svc.options.healthTimeoutMs, signal: s.op.signal, onProbe: (r) => s.op.log(r) }));
}

/** Step 8: the result with its access URLs. */
function record(svc: StepServices, s: RunState): Promise<void> {
  const spec = appSpec(s);
  svc.core.db.transaction(() => {
    svc.core.apps.place(s.plan.appId, { status: 'running', spec });
    svc.core.audit.append({
      actor: svc.options.actor(),
      action: 'apps.deploy',
      target: s.plan.appId,
      details: { result: 'succeeded', catalogId: s.manifest.id, hostname: s.plan.request.hostname, node: s.node, vmid: s.vmid, ports: s.ports, urls: s.urls, deploymentId: s.deploymentId },
    });
  })();
  s.op.log(`Deployed: ${s.urls?.public ?? s.urls?.direct ?? ''}`);
  return Promise.resolve();
}

/** The implementation of each step. */
export const STEP_IMPLEMENTATIONS: Record<DeployStep, (svc: StepServices, s: RunState) => Promise<void>> = {
  ports,
  template,
  create,
  start,
  register,
  runtime,
  publish,
  record,
};

/** Forgets a run's in-flight VMID once the container exists in PVE (or is gone again). */
export function releaseVmid(svc: StepServices, s: Pick<RunState, 'conn' | 'vmid'>): void {
  if (s.vmid !== undefined) svc.vmidsInFlight.delete(`${s.conn.id}/${s.vmid}`);
}



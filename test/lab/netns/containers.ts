// Container lifecycle for the netns backend: private root (create), namespaces + NICs + init + DHCP + lab-boot
// (start), hard stop, destroy, and the views other parts of the lab need (interfaces, exec argv, file paths).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LabContainerSpec, LabInterfaceInfo, LabNetSpec } from '../backend';
import { PveHttpError } from '../pve/types';
import { killAndWait, pidsInNetns } from './cleanup';
import {
  readInterfaces, setupLinks, teardownLinks, udhcpcArgv, udhcpcScript, validateNets,
} from './container-network';
import { mapContainerPath, seedRootfs, writeStartFiles } from './container-rootfs';
import { execArgv, startInit, stopInit, type ContainerInit, type ExecOptions } from './container-runtime';
import { ensureNoForwarding, type NodeNetwork } from './node-network';
import { run } from './run';

const HOSTNAME_RE = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const DNS_WORD_RE = /^[A-Za-z0-9.:_-]+$/;
const UDHCPC_SCRIPT = '/run/lab/udhcpc.script';

interface Running {
  init: ContainerInit;
  netns: string;
  nodeNs: string;
  nets: LabNetSpec[];
  stopping: boolean;
  booted: Promise<void>;
}

interface Container {
  node: string;
  vmid: number;
  dir: string;
  rootfs: string;
  running: Running | null;
  /** serialises start/stop/destroy of one container */
  queue: Promise<unknown>;
}

export interface ContainersOptions {
  prefix: string;
  runDir: string;
  userlandBinDir: string;
  templateDir?: string;
  gateway: string;
  /** network fault staleResolvConf: the resolver a starting container keeps instead of DHCP's (null: none) */
  staleResolver?: () => string | null;
}

export class Containers {
  private readonly cts = new Map<number, Container>();

  constructor(
    private readonly o: ContainersOptions,
    private readonly net: NodeNetwork,
  ) {}

  private serial<T>(ct: Container, fn: () => Promise<T>): Promise<T> {
    const next = ct.queue.then(fn, fn);
    ct.queue = next.catch(() => undefined);
    return next;
  }

  private get(node: string, vmid: number): Container | undefined {
    const ct = this.cts.get(vmid);
    return ct && ct.node === node ? ct : undefined;
  }

  private entry(node: string, vmid: number): Container {
    if (!Number.isInteger(vmid) || vmid < 100 || vmid > 999_999_999) throw new Error(`invalid vmid ${vmid}`);
    this.net.nodeIndex(node);
    let ct = this.cts.get(vmid);
    if (ct && ct.node !== node) throw new PveHttpError(500, `CT ${vmid} exists on node '${ct.node}', not '${node}'`);
    if (!ct) {
      const dir = path.join(this.o.runDir, 'ct', String(vmid));
      ct = { node, vmid, dir, rootfs: path.join(dir, 'rootfs'), running: null, queue: Promise.resolve() };
      this.cts.set(vmid, ct);
    }
    return ct;
  }

  async create(spec: LabContainerSpec): Promise<void> {
    const ct = this.entry(spec.node, spec.vmid);
    await this.serial(ct, async () => {
      if (ct.running) throw new PveHttpError(500, `CT ${spec.vmid} is running`);
      seedRootfs(ct.rootfs, this.o.templateDir);
    });
  }

  async start(spec: LabContainerSpec): Promise<void> {
    if (!HOSTNAME_RE.test(spec.hostname) || spec.hostname.length > 253) {
      throw new Error(`invalid hostname '${spec.hostname}'`);
    }
    validateNets(spec.vmid, spec.nets);
    const ct = this.entry(spec.node, spec.vmid);
    await this.serial(ct, async () => {
      if (ct.running) throw new PveHttpError(500, `CT ${spec.vmid} already running`);
      const nodeNs = this.net.nodeNs(spec.node);
      const bridges = await this.net.bridges(spec.node);
      for (const n of spec.nets) {
        if (!bridges.has(n.bridge)) throw new PveHttpError(500, `bridge '${n.bridge}' does not exist`);
      }
      if (!fs.existsSync(ct.rootfs)) seedRootfs(ct.rootfs, this.o.templateDir);
      const stale = this.o.staleResolver?.() ?? null;
      const keepResolv = !!(spec.nameserver || spec.searchdomain) || stale !== null;
      writeStartFiles(ct.rootfs, { hostname: spec.hostname, resolvConf: stale ? `search lab\nnameserver ${stale}\n` : this.resolvConf(spec) });
      // what the node is (lxc-pve, ZFS, privilege): the docker stand-in behaves accordingly (issue 12)
      fs.writeFileSync(path.join(ct.rootfs, 'run/lab/host.json'), `${JSON.stringify(spec.host ?? null)}\n`);
      fs.writeFileSync(path.join(ct.rootfs, UDHCPC_SCRIPT), udhcpcScript(keepResolv), { mode: 0o755 });
      const netns = this.net.names.container(spec.vmid);
      await run(['ip', 'netns', 'del', netns], { allowFail: true });
      await run(['ip', 'netns', 'add', netns]);
      let init: ContainerInit;
      try {
        await ensureNoForwarding(netns);
        await setupLinks(nodeNs, netns, spec.vmid, spec.nets);
        init = await startInit({
          netns,
          hostname: spec.hostname,
          rootfs: ct.rootfs,
          userlandBinDir: this.o.userlandBinDir,
          logFile: path.join(ct.dir, 'init.log'),
        });
      } catch (e) {
        await teardownLinks(nodeNs, spec.vmid, spec.nets);
        await run(['ip', 'netns', 'del', netns], { allowFail: true });
        throw e;
      }
      const running: Running = { init, netns, nodeNs, nets: spec.nets, stopping: false, booted: Promise.resolve() };
      ct.running = running;
      const pid = init.pid;
      const dhcp = spec.nets
        .filter((n) => n.ip === 'dhcp')
        .map((n) => this.spawnLogged(ct, pid, udhcpcArgv(n.name, UDHCPC_SCRIPT, spec.hostname), `udhcpc.${n.name}.log`));
      running.booted = Promise.all(dhcp).then(() => this.labBoot(ct, running));
      // The init dying on its own (killed from inside, OOM) stops the container as PVE would notice.
      void init.exited.then(() => {
        if (ct.running === running && !running.stopping) void this.serial(ct, () => this.teardown(ct, running));
      });
    });
  }

  /** PVE writes resolv.conf from nameserver/searchdomain, else copies the node's (the lab's upstream DNS). */
  private resolvConf(spec: LabContainerSpec): string {
    const words = (v: string | undefined, what: string) => {
      const list = (v ?? '').split(/[\s,;]+/).filter(Boolean);
      for (const w of list) if (!DNS_WORD_RE.test(w)) throw new Error(`invalid ${what} '${w}'`);
      return list;
    };
    if (spec.nameserver || spec.searchdomain) {
      const search = words(spec.searchdomain, 'searchdomain');
      const servers = words(spec.nameserver, 'nameserver');
      return [
        ...(search.length ? [`search ${search.join(' ')}`] : []),
        ...(servers.length ? servers : [this.o.gateway]).map((s) => `nameserver ${s}`),
        '',
      ].join('\n');
    }
    return `search lab\nnameserver ${this.o.gateway}\n`;
  }

  /** Run a command inside, output to /var/log/<logName> of the container; resolves when it exits. */
  private spawnLogged(ct: Container, initPid: number, argv: string[], logName: string): Promise<void> {
    const logPath = path.join(ct.rootfs, 'var/log', logName);
    const fd = fs.openSync(logPath, 'a');
    try {
      const [cmd, ...args] = execArgv(initPid, argv);
      const child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
      return new Promise((resolve) => {
        child.on('error', () => resolve());
        child.on('exit', () => resolve());
      });
    } finally {
      fs.closeSync(fd);
    }
  }

  /** After the network is up, the lab userland's boot script starts the services enabled in the container. */
  private async labBoot(ct: Container, running: Running): Promise<void> {
    if (ct.running !== running || running.stopping) return;
    if (!fs.existsSync(path.join(this.o.userlandBinDir, 'lab-boot'))) return;
    await this.spawnLogged(ct, running.init.pid, ['/usr/local/bin/lab-boot'], 'lab-boot.log');
  }

  async stop(node: string, vmid: number): Promise<void> {
    const ct = this.get(node, vmid);
    if (!ct) return;
    await this.serial(ct, async () => {
      if (ct.running) await this.teardown(ct, ct.running);
    });
  }

  private async teardown(ct: Container, r: Running): Promise<void> {
    r.stopping = true;
    await stopInit(r.init);
    // nsenter parents of commands that were running inside also hold the namespace; nothing may outlive stop.
    await killAndWait(pidsInNetns([r.netns]));
    await teardownLinks(r.nodeNs, ct.vmid, r.nets);
    await run(['ip', 'netns', 'del', r.netns], { allowFail: true });
    if (ct.running === r) ct.running = null;
  }

  async destroy(node: string, vmid: number): Promise<void> {
    const ct = this.get(node, vmid);
    if (!ct) return;
    await this.serial(ct, async () => {
      if (ct.running) await this.teardown(ct, ct.running);
      fs.rmSync(ct.dir, { recursive: true, force: true });
      this.cts.delete(vmid);
    });
  }

  async interfaces(node: string, vmid: number): Promise<LabInterfaceInfo[] | null> {
    const r = this.get(node, vmid)?.running;
    if (!r || r.stopping) return null;
    return readInterfaces(r.netns);
  }

  isRunning(node: string, vmid: number): boolean {
    const r = this.get(node, vmid)?.running;
    return !!r && !r.stopping;
  }

  execArgv(node: string, vmid: number, argv: string[], opts?: ExecOptions): string[] {
    const r = this.get(node, vmid)?.running;
    if (!r || r.stopping) throw new PveHttpError(500, `CT ${vmid} not running`);
    return execArgv(r.init.pid, argv, opts);
  }

  path(node: string, vmid: number, insidePath: string): string {
    const ct = this.get(node, vmid);
    if (!ct || !fs.existsSync(ct.rootfs)) throw new PveHttpError(500, `CT ${vmid} does not exist`);
    return mapContainerPath(ct.rootfs, insidePath);
  }

  netns(node: string, vmid: number): string | null {
    const r = this.get(node, vmid)?.running;
    return r ? r.netns : null;
  }

  async waitBooted(node: string, vmid: number, timeoutMs = 15_000): Promise<void> {
    const r = this.get(node, vmid)?.running;
    if (!r) throw new PveHttpError(500, `CT ${vmid} not running`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`CT ${vmid} did not finish booting within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([r.booted, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.cts.values()].map((ct) => this.stop(ct.node, ct.vmid).catch(() => undefined)));
  }
}

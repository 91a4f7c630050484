// Starts a whole lab: a backend (virtual or netns), the PVE API emulator on it, and (to be integrated) the
// simulated node's SSH server. `describe()` is the one JSON object `npm run lab` prints.
import { fileURLToPath } from 'node:url';
import type { LabBackend } from './backend';
import { createBackend, type BackendKind, type BackendOptions } from './backends';
import { createEmulator, type Emulator } from './pve/emulator';
import type { SchemaVersion } from './pve/schema';
import { startNodeSsh, type NodeSsh } from './node/ssh-server';
import { prepareUserland } from './userland/prepare-userland';
import type { NetnsBackend } from './netns/netns-backend';
import { NETWORK_FAULT_KINDS, type NetworkFaultSpec } from './netns/network-faults';

/** The Alpine userland (apk, OpenRC, docker stand-in) bound onto /usr/local/bin in netns containers. */
export const DEFAULT_USERLAND_BIN_DIR = fileURLToPath(new URL('./userland/bin', import.meta.url));

export interface LabOptions {
  backend?: BackendKind;
  backendOptions?: BackendOptions;
  nodes?: number | string[];
  taskSeconds?: number;
  schema?: SchemaVersion;
  pveVersion?: string;
  port?: number;
  /** delay of 401 answers; PVE uses 3000 (npm run lab default), tests want 0 */
  authFailureDelayMs?: number;
  /** lock_config timeout in ms (PVE and default: 10000) */
  lockTimeoutMs?: number;
  logger?: (line: string) => void;
  /** start the node's OpenSSH server with `pct`/`pveam` (default true; needs /usr/sbin/sshd) */
  ssh?: boolean;
}

export interface LabInfo {
  api: { url: string; fingerprint: string; user: string; password: string; tokenId: string; tokenSecret: string };
  nodes: string[];
  control: { url: string; token: string };
  backend: BackendKind;
  ssh?: { host: string; port: number; user: string; privateKeyPath: string; hostKeyFingerprint: string };
  /** netns only: the node's management address on vmbr0, where the API (8006) and SSH (22) also answer */
  management?: { address: string; apiUrl: string; sshPort: number };
  /** netns only: the LAN the host reaches through its one veth */
  network?: { cidr: string; gateway: string; host: string; internetUrl: string };
}

export interface Lab {
  emulator: Emulator;
  backend: LabBackend;
  info: LabInfo;
  close(): Promise<void>;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const kind = opts.backend ?? 'virtual';
  const userlandBinDir = opts.backendOptions?.userlandBinDir ?? DEFAULT_USERLAND_BIN_DIR;
  if (kind === 'netns') prepareUserland(userlandBinDir);
  const backend = await createBackend(kind, { ...opts.backendOptions, userlandBinDir });
  let emulator: Emulator;
  try {
    emulator = await createEmulator({
      backend,
      nodes: opts.nodes,
      taskSeconds: opts.taskSeconds,
      schema: opts.schema,
      pveVersion: opts.pveVersion,
      port: opts.port,
      authFailureDelayMs: opts.authFailureDelayMs ?? 0,
      lockTimeoutMs: opts.lockTimeoutMs,
      logger: opts.logger,
    });
  } catch (e) {
    await backend.close().catch(() => {});
    throw e;
  }

  // The simulated node: its OpenSSH server (pct/pveam act on the emulator's state) and, with real networking,
  // a management address on vmbr0 where the API and SSH answer as a real node's do.
  let ssh: NodeSsh | undefined;
  let management: LabInfo['management'];
  try {
    if (opts.ssh !== false) ssh = await startNodeSsh({ emulator, backend });
    if (kind === 'netns') {
      const netns = backend as NetnsBackend;
      // `POST /faults` also takes the LAN failures (network-faults.ts: upstreamDns, internetDown, staleResolvConf)
      emulator.extendFaults({
        name: 'network',
        kinds: NETWORK_FAULT_KINDS,
        apply: (spec) => netns.networkFaults.apply(spec as NetworkFaultSpec),
        clear: () => netns.networkFaults.clear(),
        summary: () => netns.networkFaults.summary(),
      });
      await netns.exposeOnManagement(8006, { host: '127.0.0.1', port: emulator.port });
      if (ssh) await netns.exposeOnManagement(22, { host: '127.0.0.1', port: ssh.port });
      const address = netns.managementAddress();
      management = { address, apiUrl: `https://${address}:8006`, sshPort: 22 };
    }
  } catch (e) {
    await ssh?.close().catch(() => {});
    await emulator.close().catch(() => {});
    throw e;
  }

  const info: LabInfo = {
    api: {
      url: emulator.url,
      fingerprint: emulator.fingerprint,
      user: emulator.user,
      password: emulator.password,
      tokenId: emulator.tokenId,
      tokenSecret: emulator.tokenSecret,
    },
    nodes: emulator.nodes,
    control: { url: emulator.control.url, token: emulator.control.token },
    backend: kind,
    ...(ssh && {
      ssh: { host: ssh.host, port: ssh.port, user: ssh.user, privateKeyPath: ssh.privateKeyPath, hostKeyFingerprint: ssh.hostKeyFingerprint },
    }),
    ...(management && { management }),
    ...(kind === 'netns' && { network: networkOf(backend as NetnsBackend) }),
  };

  let closing: Promise<void> | undefined;
  return {
    emulator,
    backend,
    info,
    // emulator.close() also closes the backend (it initialised it)
    close: () => (closing ??= (ssh ? ssh.close().catch(() => {}) : Promise.resolve()).then(() => emulator.close())),
  };
}

function networkOf(b: NetnsBackend): NonNullable<LabInfo['network']> {
  const { cidr, gateway, host, internetUrl } = b.subnet;
  return { cidr, gateway, host, internetUrl };
}

// Starts a whole lab: a backend (virtual or netns), the PVE API emulator on it, and (to be integrated) the
// simulated node's SSH server. `describe()` is the one JSON object `npm run lab` prints.
import type { LabBackend } from './backend';
import { createBackend, type BackendKind, type BackendOptions } from './backends';
import { createEmulator, type Emulator } from './pve/emulator';
import type { SchemaVersion } from './pve/schema';

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
  logger?: (line: string) => void;
}

export interface LabInfo {
  api: { url: string; fingerprint: string; user: string; password: string; tokenId: string; tokenSecret: string };
  nodes: string[];
  control: { url: string; token: string };
  backend: BackendKind;
  // ssh: { host, port, user, password/privateKeyPath, hostKeyFingerprint }  <- added when the node is integrated
}

export interface Lab {
  emulator: Emulator;
  backend: LabBackend;
  info: LabInfo;
  close(): Promise<void>;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const kind = opts.backend ?? 'virtual';
  const backend = await createBackend(kind, opts.backendOptions);
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
      logger: opts.logger,
    });
  } catch (e) {
    await backend.close().catch(() => {});
    throw e;
  }

  // ---- LEAD INTEGRATION POINT -------------------------------------------------------------------------
  // 1. Simulated node (H7): start its SSH server on the same state and register `POST /cli`, e.g.
  //      const ssh = await startNodeSsh({ emulator, backend, control: emulator.control, ... });
  //      registerNodeCli(emulator.control, cliHostFor(emulator));
  //    and add `ssh` to `info` below; close it in close() before the emulator.
  // 2. netns backend (H6): make the API reachable from the lab's networks, e.g.
  //      if (kind === 'netns') await (backend as NetnsBackend).exposeOnManagement(8006, { host: '127.0.0.1', port: emulator.port });
  //    and report the management address (backend.subnet.management) in `info`.
  // -----------------------------------------------------------------------------------------------------

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
  };

  let closing: Promise<void> | undefined;
  return {
    emulator,
    backend,
    info,
    // emulator.close() also closes the backend (it initialised it)
    close: () => (closing ??= emulator.close()),
  };
}

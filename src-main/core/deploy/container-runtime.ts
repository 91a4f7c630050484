// Docker inside the app's Alpine container, over the node's SSH (`pct exec`, `pct push`), as the seed did it but
// without its sleeps: installed with apk, enabled and started with OpenRC, ready when `docker info` answers.
import { z } from 'zod';
import { ProximityError } from '../errors';
import { hostnameLabelSchema } from '../network/strict-values';
import { pctExec, pctPush, type RemoteExec } from '../ssh/pct-commands';
import type { CommandResult } from '../ssh/remote-command';
import { waitFor } from './wait-for';

/** Where an app's compose project lives inside its container. */
export function composeDir(hostname: string): string {
  return `/opt/proximity/${hostnameLabelSchema.parse(hostname)}`;
}

export function composeFile(hostname: string): string {
  return `${composeDir(hostname)}/compose.yaml`;
}

export interface RuntimeOptions {
  signal?: AbortSignal;
  /** each output line of the commands (for the operation log) */
  onLine?: (line: string) => void;
  /** each command's start (for the operation log) */
  onCommand?: (argv: readonly string[]) => void;
  /** the whole wait for `docker info`, ms (default 60 000) */
  dockerReadyTimeoutMs?: number;
  /** per command, ms (default 300 000: apk on a slow mirror) */
  commandTimeoutMs?: number;
  /** ms spent waiting on commands inside the container is added here (bench: Proximity's own time) */
  waited?: { ms: number };
}

async function run(ssh: RemoteExec, vmid: number, argv: string[], o: RuntimeOptions, check = true): Promise<CommandResult> {
  o.onCommand?.(argv);
  const started = performance.now();
  try {
    return await pctExec(ssh, vmid, argv, { signal: o.signal, timeoutMs: o.commandTimeoutMs ?? 300_000, check, onLine: o.onLine ? (line) => o.onLine!(line) : undefined });
  } finally {
    if (o.waited) o.waited.ms += performance.now() - started;
  }
}

/**
 * Installs and starts Docker in CT `vmid`: `apk add docker docker-cli-compose`, `rc-update add docker default`,
 * `rc-service docker start`, then waits for `docker info` to answer. Throws COMMAND_FAILED (with apk's or
 * OpenRC's output), DOCKER_NOT_READY as PVE_TIMEOUT past the deadline, the SSH errors, CANCELLED.
 */
export async function installDocker(ssh: RemoteExec, vmid: number, o: RuntimeOptions = {}): Promise<void> {
  await run(ssh, vmid, ['apk', 'add', 'docker', 'docker-cli-compose'], o);
  await run(ssh, vmid, ['rc-update', 'add', 'docker', 'default'], o);
  await run(ssh, vmid, ['rc-service', 'docker', 'start'], o);
  await waitFor(
    async () => {
      const r = await run(ssh, vmid, ['docker', 'info', '--format', '{{.Driver}}'], { ...o, onLine: undefined, onCommand: undefined }, false);
      if (r.exitCode !== 0) throw new Error((r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.exitCode}`);
      return r.stdout.trim() || 'unknown';
    },
    { what: `Docker in CT ${vmid} to answer \`docker info\``, timeoutMs: o.dockerReadyTimeoutMs ?? 60_000, signal: o.signal, maxPollMs: 500 },
  ).then((driver) => {
    if (driver === 'vfs') o.onLine?.('WARNING: Docker uses the vfs storage driver (ZFS older than 2.2): images will fail to register.');
  });
}

/** Writes the compose file (mode 0600: it may hold secrets) and runs `docker compose up -d`. */
export async function composeUp(ssh: RemoteExec, vmid: number, hostname: string, yaml: string, o: RuntimeOptions = {}): Promise<void> {
  await run(ssh, vmid, ['mkdir', '-p', composeDir(hostname)], o);
  const started = performance.now();
  await pctPush(ssh, vmid, yaml, composeFile(hostname), 0o600, { signal: o.signal });
  if (o.waited) o.waited.ms += performance.now() - started;
  await run(ssh, vmid, ['docker', 'compose', '-f', composeFile(hostname), 'up', '-d'], o);
}

/** `docker compose <verb>` for the app's project (start, stop, restart, ps). */
export async function composeCommand(ssh: RemoteExec, vmid: number, hostname: string, verb: z.infer<typeof composeVerbSchema>, o: RuntimeOptions = {}): Promise<CommandResult> {
  const v = composeVerbSchema.parse(verb);
  if (!v) throw new ProximityError('VALIDATION', 'compose verb missing');
  return run(ssh, vmid, ['docker', 'compose', '-f', composeFile(hostname), v], o, false);
}

const composeVerbSchema = z.enum(['start', 'stop', 'restart', 'ps']);

// The fixed set of commands an operator may run in an app's container: each an argv array with typed, bounded
// parameters, its output capped, every run audit-logged. There is no way to run anything else.
import { z } from 'zod';
import { composeNameSchema } from '../catalog/compose-schema';
import { composeFile } from '../deploy/container-runtime';
import type { ConnectionLookup } from '../deploy/deployment-engine';
import type { DeployCore } from '../deploy/deploy-types';
import { ProximityError } from '../errors';
import { pctExec } from '../ssh/pct-commands';
import type { AppRecord } from './app-repository';

/** Output kept per run, bytes (stdout + stderr). */
export const SAFE_COMMAND_OUTPUT_BYTES = 64 * 1024;
/** Deadline per run, ms. */
export const SAFE_COMMAND_TIMEOUT_MS = 30_000;

/** One parameter as the UI shows it. */
export type SafeCommandParam =
  | { name: string; type: 'integer'; min: number; max: number; default: number; optional: false }
  | { name: string; type: 'string'; pattern: string; maxLength: number; optional: true };

interface CommandDef<P extends z.ZodType> {
  title: string;
  description: string;
  params: P;
  paramInfo: SafeCommandParam[];
  argv(app: AppRecord, p: z.output<P>): string[];
}

const noParams = z.object({}).strict();
const file = (app: AppRecord) => composeFile(app.hostname);
const def = <P extends z.ZodType>(d: CommandDef<P>) => d;

const COMMANDS = {
  logs: def({
    title: 'Logs',
    description: 'The last lines of the app’s logs (all services, or one).',
    params: z.object({ tail: z.number().int().min(1).max(1000).default(100), service: composeNameSchema.optional() }).strict(),
    paramInfo: [
      { name: 'tail', type: 'integer', min: 1, max: 1000, default: 100, optional: false },
      { name: 'service', type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 63, optional: true },
    ],
    argv: (app, p) => ['docker', 'compose', '-f', file(app), 'logs', '--no-color', '--tail', String(p.tail), ...(p.service ? [p.service] : [])],
  }),
  status: def({ title: 'Status', description: 'The compose services and their state.', params: noParams, paramInfo: [], argv: (app) => ['docker', 'compose', '-f', file(app), 'ps'] }),
  'disk-usage': def({ title: 'Disk usage', description: 'Free and used space of the container’s file systems.', params: noParams, paramInfo: [], argv: () => ['df', '-h'] }),
  processes: def({ title: 'Processes', description: 'The processes running in the container.', params: noParams, paramInfo: [], argv: () => ['ps', 'aux'] }),
  memory: def({ title: 'Memory', description: 'Memory use in MiB.', params: noParams, paramInfo: [], argv: () => ['free', '-m'] }),
  network: def({ title: 'Network', description: 'The container’s addresses.', params: noParams, paramInfo: [], argv: () => ['ip', 'addr', 'show'] }),
  'compose-services': def({ title: 'Compose services', description: 'The services of the app’s compose project.', params: noParams, paramInfo: [], argv: (app) => ['docker', 'compose', '-f', file(app), 'config', '--services'] }),
  'rendered-config': def({ title: 'Rendered config', description: 'The compose file Proximity wrote (may show the app’s secrets).', params: noParams, paramInfo: [], argv: (app) => ['cat', file(app)] }),
  'system-info': def({ title: 'System info', description: 'Kernel and OS of the container.', params: noParams, paramInfo: [], argv: () => ['uname', '-a'] }),
} as const;

export type SafeCommandId = keyof typeof COMMANDS;
export const SAFE_COMMAND_IDS = Object.keys(COMMANDS) as SafeCommandId[];
export const safeCommandIdSchema = z.enum(SAFE_COMMAND_IDS as [SafeCommandId, ...SafeCommandId[]]);

export interface SafeCommandInfo {
  id: SafeCommandId;
  title: string;
  description: string;
  params: SafeCommandParam[];
}

export interface SafeCommandResult {
  commandId: SafeCommandId;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** output past SAFE_COMMAND_OUTPUT_BYTES was dropped */
  truncated: boolean;
  durationMs: number;
}

export class SafeCommandService {
  constructor(
    private readonly core: Pick<DeployCore, 'apps' | 'audit'>,
    private readonly connections: ConnectionLookup,
    private readonly actor: () => string = () => 'operator',
  ) {}

  /** The commands and their parameters (the same for every app). */
  list(): SafeCommandInfo[] {
    return SAFE_COMMAND_IDS.map((id) => ({ id, title: COMMANDS[id].title, description: COMMANDS[id].description, params: COMMANDS[id].paramInfo }));
  }

  /**
   * Runs command `commandId` in the app's container with `params` (validated against the command's schema).
   * A non-zero exit is a result, not an error. Throws VALIDATION (unknown command, bad parameter), NOT_FOUND
   * (app), CONFLICT (no container yet), the SSH errors (SSH_TIMEOUT past SAFE_COMMAND_TIMEOUT_MS), CANCELLED.
   * Every run (and every refused request for an existing app) is audit-logged.
   */
  async run(appId: string, commandId: string, params: unknown = {}, signal?: AbortSignal): Promise<SafeCommandResult> {
    const app = this.core.apps.require(appId);
    const id = safeCommandIdSchema.safeParse(commandId);
    if (!id.success) {
      this.audit(app, String(commandId).slice(0, 100), params, { result: 'refused', reason: 'unknown command' });
      throw new ProximityError('VALIDATION', `There is no command "${String(commandId).slice(0, 100)}". Available: ${SAFE_COMMAND_IDS.join(', ')}.`);
    }
    const cmd = COMMANDS[id.data];
    const parsed = (cmd.params as z.ZodType).safeParse(params ?? {});
    if (!parsed.success) {
      this.audit(app, id.data, params, { result: 'refused', reason: 'invalid parameters' });
      throw new ProximityError('VALIDATION', `Invalid parameters for ${cmd.title}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`, { details: { issues: parsed.error.issues } });
    }
    if (!app.connectionId || !app.node || app.vmid === null) throw new ProximityError('CONFLICT', `${app.name} has no container yet.`, { details: { appId } });
    const argv = (cmd.argv as (a: AppRecord, p: unknown) => string[])(app, parsed.data);
    try {
      const r = await pctExec(this.connections(app.connectionId).ssh(app.node), app.vmid, argv, {
        check: false,
        maxOutputBytes: SAFE_COMMAND_OUTPUT_BYTES,
        timeoutMs: SAFE_COMMAND_TIMEOUT_MS,
        signal,
      });
      const result: SafeCommandResult = { commandId: id.data, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, truncated: r.truncated, durationMs: Math.round(r.durationMs) };
      this.audit(app, id.data, parsed.data, { result: r.exitCode === 0 ? 'succeeded' : 'failed', exitCode: r.exitCode, truncated: r.truncated });
      return result;
    } catch (e) {
      this.audit(app, id.data, parsed.data, { result: 'failed', error: (e as Error).message });
      throw e;
    }
  }

  private audit(app: AppRecord, command: string, params: unknown, details: Record<string, unknown>): void {
    let safeParams: unknown;
    try {
      safeParams = JSON.parse(JSON.stringify(params ?? null).slice(0, 2000)) as unknown;
    } catch {
      safeParams = '(not JSON)';
    }
    this.core.audit.append({ actor: this.actor(), action: 'commands.run', target: app.id, details: { command, params: safeParams, ...details } });
  }
}

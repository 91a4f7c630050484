// The emulator side of the node's CLI tools: one control endpoint `POST /cli` that the thin client
// (cli-client.mjs, started by the `pct`/`pveam` wrappers in an SSH session) calls with its argv.
import type { CliHost, CliRequest, CliResponse } from './cli-types.js';
import { runPct } from './pct-commands.js';
import { runPveam } from './pveam-commands.js';

export interface ControlLike {
  on(method: string, path: string, handler: (body: any) => Promise<unknown>): void;
}

export function parseCliRequest(body: unknown): CliRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  if (b.tool !== 'pct' && b.tool !== 'pveam' && b.tool !== 'pveversion') throw new Error(`unknown tool ${JSON.stringify(b.tool)}`);
  if (!Array.isArray(b.args) || !b.args.every((a) => typeof a === 'string')) throw new Error('args must be an array of strings');
  if (typeof b.cwd !== 'string' || !b.cwd.startsWith('/')) throw new Error('cwd must be an absolute path');
  return { tool: b.tool, args: b.args as string[], cwd: b.cwd };
}

export function runCli(host: CliHost, req: CliRequest): Promise<CliResponse> {
  if (req.tool === 'pveversion') return runPveversion(host);
  return req.tool === 'pct' ? runPct(host, req.args, req.cwd) : runPveam(host, req.args);
}

/** `pveversion`: `pve-manager/<version>/<repoid> (running kernel: ...)`, from the emulator's GET /version. */
async function runPveversion(host: CliHost): Promise<CliResponse> {
  const v = (await host.callApi('GET', '/version')) as { version?: string; repoid?: string };
  const kernel = String(v.version ?? '').startsWith('9.') ? '6.14.11-4-pve' : '6.8.12-15-pve';
  return { stdout: `pve-manager/${v.version}/${v.repoid} (running kernel: ${kernel})\n`, stderr: '', exitCode: 0 };
}

/** Registers `POST /cli` on the emulator's control server. */
export function registerNodeCli(control: ControlLike, host: CliHost): void {
  control.on('POST', '/cli', async (body) => runCli(host, parseCliRequest(body)));
}

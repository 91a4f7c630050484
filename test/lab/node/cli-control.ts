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
  if (b.tool !== 'pct' && b.tool !== 'pveam') throw new Error(`unknown tool ${JSON.stringify(b.tool)}`);
  if (!Array.isArray(b.args) || !b.args.every((a) => typeof a === 'string')) throw new Error('args must be an array of strings');
  if (typeof b.cwd !== 'string' || !b.cwd.startsWith('/')) throw new Error('cwd must be an absolute path');
  return { tool: b.tool, args: b.args as string[], cwd: b.cwd };
}

export function runCli(host: CliHost, req: CliRequest): Promise<CliResponse> {
  return req.tool === 'pct' ? runPct(host, req.args, req.cwd) : runPveam(host, req.args);
}

/** Registers `POST /cli` on the emulator's control server. */
export function registerNodeCli(control: ControlLike, host: CliHost): void {
  control.on('POST', '/cli', async (body) => runCli(host, parseCliRequest(body)));
}

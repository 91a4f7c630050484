// `pveam`, the appliance (container template) manager on the node (pve-manager PVE/CLI/pveam.pm). The API has
// the same operations (GET/POST /nodes/{node}/aplinfo, storage content); these are for when only SSH is at hand.
import { z } from 'zod';
import { parseOrThrow, type RemoteExec } from './pct-commands';
import type { CommandResult, ExecOptions } from './remote-command';

/** PVE's `pve-storage-id` format (pve-storage PVE/Storage/Plugin.pm `parse_storage_id`). */
export const storageIdSchema = z.string().max(100).regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i, 'not a PVE storage id');

/** A template file name as in the appliance index, e.g. `debian-12-standard_12.7-1_amd64.tar.zst`. */
export const templateNameSchema = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*\.tar\.(gz|xz|zst|bz2)$/, 'not a container template file name');

const SECTIONS = ['system', 'mail', 'turnkeylinux'] as const;
export type TemplateSection = (typeof SECTIONS)[number];

/** One line of `pveam available`. */
export interface AvailableTemplate {
  section: string;
  template: string;
}

/** Refreshes the node's appliance index (`pveam update`). Errors as NodeSshClient.exec (COMMAND_FAILED etc.). */
export async function pveamUpdate(ssh: RemoteExec, opts: Pick<ExecOptions, 'timeoutMs' | 'signal'> = {}): Promise<void> {
  await ssh.exec(['pveam', 'update'], { timeoutMs: opts.timeoutMs ?? 120_000, signal: opts.signal });
}

/**
 * The templates in the node's appliance index (`pveam available [--section s]`), parsed from its
 * `%-15s %s` lines. Throws `VALIDATION` for an unknown section; otherwise as NodeSshClient.exec.
 */
export async function pveamAvailable(ssh: RemoteExec, opts: { section?: TemplateSection } & Pick<ExecOptions, 'timeoutMs' | 'signal'> = {}): Promise<AvailableTemplate[]> {
  const argv = ['pveam', 'available'];
  if (opts.section !== undefined) argv.push('--section', parseOrThrow(z.enum(SECTIONS), opts.section, 'section'));
  const r = await ssh.exec(argv, { timeoutMs: opts.timeoutMs, signal: opts.signal });
  const out: AvailableTemplate[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s*$/.exec(line);
    if (m) out.push({ section: m[1]!, template: m[2]! });
  }
  return out;
}

/**
 * Volume ids of the templates stored on `storage` (`pveam list <storage>`), e.g.
 * `local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz`. Throws `VALIDATION` for a bad storage id,
 * `COMMAND_FAILED` when pveam refuses (`Storage does not support templates!`), otherwise as NodeSshClient.exec.
 */
export async function pveamList(ssh: RemoteExec, storage: string, opts: Pick<ExecOptions, 'timeoutMs' | 'signal'> = {}): Promise<string[]> {
  const id = parseOrThrow(storageIdSchema, storage, 'storage');
  const r = await ssh.exec(['pveam', 'list', id], { timeoutMs: opts.timeoutMs, signal: opts.signal });
  return r.stdout
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((v) => v.startsWith(`${id}:`));
}

/**
 * Downloads `template` from the appliance index onto `storage` (`pveam download <storage> <template>`), streaming
 * pveam's output lines to `onLine`. Default deadline 30 min. Throws `VALIDATION` (storage, template),
 * `COMMAND_FAILED` (details.stderr has pveam's reason, e.g. `400 Parameter verification failed.` or the task
 * error), otherwise as NodeSshClient.exec.
 */
export async function pveamDownload(
  ssh: RemoteExec,
  storage: string,
  template: string,
  opts: Pick<ExecOptions, 'timeoutMs' | 'signal' | 'onLine'> = {},
): Promise<CommandResult> {
  const id = parseOrThrow(storageIdSchema, storage, 'storage');
  const name = parseOrThrow(templateNameSchema, template, 'template');
  return ssh.exec(['pveam', 'download', id, name], { timeoutMs: opts.timeoutMs ?? 30 * 60_000, signal: opts.signal, onLine: opts.onLine });
}

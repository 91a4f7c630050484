// `pct` on the node (pve-container's PVE/CLI/pct.pm): run a program inside a container, copy a file into it.
// Every value is validated against a strict pattern and travels as its own argv word (buildShellCommand).
import { z } from 'zod';
import { ProximityError } from '../errors';
import type { CommandResult, ExecOptions } from './remote-command';

/** What the helpers need from a node's SSH (NodeSshClient implements it). */
export interface RemoteExec {
  exec(argv: readonly string[], opts?: ExecOptions): Promise<CommandResult>;
}

/** PVE's `pve-vmid` format: an integer 100..999999999 (pve-common JSONSchema.pm). */
export const vmidSchema = z.number().int().min(100).max(999_999_999);

/**
 * An absolute path inside a container: `/`-separated names of letters, digits and `._@+-`, no `.`/`..`
 * segment, no trailing `/`. Stricter than Linux, on purpose: it is all Proximity writes.
 */
export const containerPathSchema = z
  .string()
  .max(1024)
  .regex(/^(\/[A-Za-z0-9._@+-]+)+$/, 'a container path must be absolute, made of letters, digits and ._@+- only')
  .refine((p) => !p.split('/').some((seg) => seg === '.' || seg === '..'), 'a container path must not contain . or .. segments');

/** File mode bits for `pct push --perms`: 0..0o7777. */
export const fileModeSchema = z.number().int().min(0).max(0o7777);

const ownerSchema = z.string().regex(/^([a-z_][a-z0-9_-]{0,31}|\d{1,10})$/, 'owner must be a user/group name or a numeric id');

/** Largest file pctPush sends, bytes (it goes through the SSH channel's stdin). */
export const MAX_PUSH_BYTES = 64 * 1024 * 1024;

/**
 * Runs `pct exec <vmid> -- <argv...>` on the node: argv[0] inside the container, with argv[1..] as its arguments,
 * each arriving unchanged (one word each; see shell-quote.ts). The container must be running (pct says
 * `container '<vmid>' not running!`, exit 255). Resolves with the command's result; `check` (default true)
 * makes a non-zero exit throw `COMMAND_FAILED` (details: exitCode, stderr). Other errors as NodeSshClient.exec;
 * `VALIDATION` for a bad vmid or empty argv.
 */
export async function pctExec(ssh: RemoteExec, vmid: number, argv: readonly string[], opts?: ExecOptions): Promise<CommandResult> {
  const id = parseOrThrow(vmidSchema, vmid, 'vmid');
  if (!Array.isArray(argv) || argv.length === 0) throw new ProximityError('VALIDATION', 'pct exec needs a command to run inside the container.');
  return ssh.exec(['pct', 'exec', String(id), '--', ...argv], opts);
}

export interface PctPushOptions extends Pick<ExecOptions, 'timeoutMs' | 'signal'> {
  /** owner inside the container (`pct push --user`), a name or a numeric id */
  user?: string;
  /** group inside the container (`pct push --group`) */
  group?: string;
}

// Constant script (values arrive as positional parameters, never in the text). The content comes on stdin into a
// private temp file (mktemp: mode 0600) on the node, `pct push` copies it into the container (it opens the target
// inside the container's mount namespace, so symlinks there cannot redirect it onto the node), and the temp file
// is removed on every exit path the shell sees (not after SIGKILL: /tmp is then cleared at the node's next boot).
const PUSH_SCRIPT = [
  'set -eu',
  'vmid=$1; dest=$2; shift 2',
  'tmp=',
  "trap 'rm -f -- \"$tmp\"' EXIT",
  // a TERM from the run guard (deadline, cancel) would otherwise end sh without running the EXIT trap
  "trap 'exit 143' HUP INT TERM",
  'tmp=$(mktemp /tmp/proximity-push.XXXXXXXXXX)',
  'cat > "$tmp"',
  'pct push "$vmid" "$tmp" "$dest" "$@"',
].join('\n');

/**
 * Writes `content` to `path` inside running container `vmid` with permission bits `mode` (e.g. 0o644), through
 * a temp file on the node and `pct push <vmid> <tmp> <path> --perms <octal> [--user u] [--group g]`. The parent
 * directory must exist in the container; an existing file is replaced. Throws `VALIDATION` (vmid, path, mode,
 * owner, content over MAX_PUSH_BYTES), `COMMAND_FAILED` (pct's message in details.stderr, e.g. `can only push
 * files to a running CT`), or the SSH errors of NodeSshClient.exec.
 */
export async function pctPush(
  ssh: RemoteExec,
  vmid: number,
  content: string | Buffer,
  path: string,
  mode: number,
  opts: PctPushOptions = {},
): Promise<void> {
  const id = parseOrThrow(vmidSchema, vmid, 'vmid');
  const dest = parseOrThrow(containerPathSchema, path, 'path');
  const perms = parseOrThrow(fileModeSchema, mode, 'mode');
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (!Buffer.isBuffer(data)) throw new ProximityError('VALIDATION', 'pct push content must be a string or a Buffer.');
  if (data.length > MAX_PUSH_BYTES) {
    throw new ProximityError('VALIDATION', `The file for ${dest} is ${data.length} bytes; pushing is limited to ${MAX_PUSH_BYTES} bytes.`);
  }
  const extra = ['--perms', `0${perms.toString(8)}`];
  if (opts.user !== undefined) extra.push('--user', parseOrThrow(ownerSchema, opts.user, 'user'));
  if (opts.group !== undefined) extra.push('--group', parseOrThrow(ownerSchema, opts.group, 'group'));
  await ssh.exec(['sh', '-c', PUSH_SCRIPT, 'proximity-pct-push', String(id), dest, ...extra], {
    stdin: data,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
  });
}

/** Parses `value` or throws `VALIDATION` naming the field and the rule (values of these fields are not secret). */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => i.message).join('; ');
  throw new ProximityError('VALIDATION', `Invalid ${field} ${JSON.stringify(value)}: ${why}.`, { details: { field } });
}

import { ProximityError, type ErrorCode } from '../errors';
import type { CommandExecutor, CommandResult } from './command-executor';
import { parseStrict, plainPathSchema } from './strict-values';

/** How one config file of the appliance is replaced. Paths must be plain absolute paths (checked). */
export interface ConfigSwap {
  /** what the operator calls it, for messages: `Caddyfile`, `dnsmasq config` */
  what: string;
  /** the live file, e.g. `/etc/caddy/Caddyfile` */
  path: string;
  content: string;
  /** argv that checks a candidate file (e.g. `caddy validate --config <tmp> ...`); exit 0 = good */
  validateArgv: (candidatePath: string) => string[];
  /** argv that makes the daemon load the new config gracefully (after the swap); null = nothing to reload */
  reloadArgv: ((candidatePath: string) => string[]) | null;
  /** files the validator leaves beside the candidate (e.g. the adapted JSON), removed when done */
  scratchFiles?: (candidatePath: string) => string[];
  /** code when the candidate is refused by the validator */
  invalidCode: ErrorCode;
  /** code when the swap or reload fails */
  applyCode: ErrorCode;
  timeoutMs?: number;
}

/** What `swapConfigFile` did: `changed` false when the live file already held exactly this content. */
export interface ConfigSwapResult {
  changed: boolean;
  /** the path of the copy of the file that was live before (`<path>.previous`), when there was one */
  previousPath: string | null;
}

// Fixed scripts; the paths arrive as positional arguments ("$1", "$2", ...), never inside the script text.
// WRITE_AND_COMPARE prints `same` (and removes the candidate) when it equals the live file; SWAP prints `kept` when
// there was a live file to keep as the previous one. Two scripts, so a swap costs few round trips over SSH.
const WRITE_AND_COMPARE = 'umask 022 && mkdir -p "$(dirname "$1")" && cat > "$1" && if [ -f "$2" ] && cmp -s "$1" "$2"; then rm -f "$1" && echo same; fi';
const SWAP = 'if [ -f "$1" ]; then cp -p "$1" "$2" && echo kept; fi && mv -f "$3" "$1"';

/**
 * Replaces a daemon's config file without ever leaving a bad one live:
 * 1. writes the content to `<path>.proximity-new` (same directory, so the swap is an atomic rename);
 * 2. if it equals the live file, removes it (and `scratchFiles`) and returns `{ changed: false }` (re-runs
 *    change nothing);
 * 3. runs `validateArgv(candidate)`; on failure removes the candidate (and `scratchFiles`) and throws
 *    `invalidCode` with the validator's output: the live file is untouched;
 * 4. copies the live file to `<path>.previous`, renames the candidate over the live file (`mv -f`), in one command;
 * 5. runs `reloadArgv(candidate)` (the candidate path is gone by then; scratch files are not); on failure moves `<path>.previous` back and throws `applyCode` with the reload output.
 *    A daemon that refuses a reload keeps serving its old config (Caddy's config load is all-or-nothing).
 * Throws `VALIDATION` if a path is not a plain absolute path, `applyCode` if writing or renaming fails.
 */
export async function swapConfigFile(exec: CommandExecutor, spec: ConfigSwap): Promise<ConfigSwapResult> {
  const live = parseStrict(plainPathSchema, spec.path, 'VALIDATION', `${spec.what} path`);
  const candidate = `${live}.proximity-new`;
  const previous = `${live}.previous`;
  const t = { timeoutMs: spec.timeoutMs ?? 60_000 };
  const must = async (argv: string[], step: string, stdin?: string): Promise<CommandResult> => {
    const r = await exec.exec(argv, { ...t, stdin });
    if (r.code !== 0) throw new ProximityError(spec.applyCode, `${spec.what}: ${step} failed (exit ${r.code}): ${tail(r)}`, { details: { argv, ...r } });
    return r;
  };

  const scratch = spec.scratchFiles?.(candidate) ?? [];
  const written = await must(['sh', '-c', WRITE_AND_COMPARE, 'sh', candidate, live], `writing ${candidate}`, spec.content);
  if (written.stdout.includes('same')) {
    if (scratch.length) await exec.exec(['rm', '-f', ...scratch], t);
    return { changed: false, previousPath: null };
  }
  const check = await exec.exec(spec.validateArgv(candidate), t);
  if (check.code !== 0) {
    await exec.exec(['rm', '-f', candidate, ...scratch], t);
    throw new ProximityError(spec.invalidCode, `${spec.what} refused by its validator; the live config is unchanged: ${tail(check)}`, { details: { ...check } });
  }
  const kept = (await must(['sh', '-c', SWAP, 'sh', live, previous, candidate], `swapping ${candidate} in as ${live}`)).stdout.includes('kept');
  if (spec.reloadArgv) {
    const argv = spec.reloadArgv(candidate);
    const r = await exec.exec(argv, t);
    if (scratch.length) await exec.exec(['rm', '-f', ...scratch], t);
    if (r.code !== 0) {
      // back to the file that was live before this apply (none: remove the new one)
      const back = await exec.exec(kept ? ['mv', '-f', previous, live] : ['rm', '-f', live], t);
      const restored = back.code === 0 ? 'the previous file is back in place' : `restoring the previous file ALSO failed: ${tail(back)}`;
      throw new ProximityError(spec.applyCode, `${spec.what}: reload failed, ${restored}: ${tail(r)}`, { details: { argv, ...r } });
    }
  } else if (scratch.length) {
    await exec.exec(['rm', '-f', ...scratch], t);
  }
  return { changed: true, previousPath: kept ? previous : null };
}

/** The last lines of a command's output, for an error message (bounded: 800 characters). */
function tail(r: CommandResult): string {
  const text = `${r.stderr}\n${r.stdout}`.trim().split('\n').filter(Boolean).slice(-6).join('\n');
  return (text || `exit ${r.code}`).slice(-800);
}

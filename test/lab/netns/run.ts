// Argv-array process helpers for the netns backend. Nothing here goes through a shell: every command is an
// argv array, so names and addresses can never be reinterpreted as shell syntax.
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** written to stdin, then stdin is closed */
  input?: string;
  /** kill the process (SIGKILL) after this long; default 15 s */
  timeoutMs?: number;
  /** resolve with a non-zero exit code instead of throwing */
  allowFail?: boolean;
}

export class CommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly result: RunResult,
  ) {
    const why = result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`;
    super(`${argv.join(' ')}: ${why}`);
    this.name = 'CommandError';
  }
}

export function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (argv.length === 0) throw new Error('run: empty argv');
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${opts.timeoutMs ?? 15_000} ms)`;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 15_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    let done = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      const result = { code: code ?? (signal ? 128 : 1), stdout, stderr };
      if (result.code !== 0 && !opts.allowFail) reject(new CommandError(argv, result));
      else resolve(result);
    };
    child.on('close', finish);
    // A daemon started by the command may keep our stdout/stderr pipes open for ever: once the command itself
    // has exited, give the pipes a moment to drain and then stop waiting for them.
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 200));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** `ip` with `-n <netns>` when a namespace is given. */
export function ip(netns: string | null, args: string[], opts?: RunOptions): Promise<RunResult> {
  return run(netns ? ['ip', '-n', netns, ...args] : ['ip', ...args], opts);
}

/** Run several `ip` commands in one process (`ip -batch -`), for speed: each line is one argv array. */
export async function ipBatch(netns: string | null, lines: string[][]): Promise<void> {
  if (lines.length === 0) return;
  for (const line of lines) {
    for (const word of line) {
      // -batch splits on whitespace and treats quotes/# specially, so only plain words may go through it.
      if (!/^[A-Za-z0-9_.:/@+-]+$/.test(word)) throw new Error(`ipBatch: unsafe word ${JSON.stringify(word)}`);
    }
  }
  const argv = netns ? ['ip', '-n', netns, '-batch', '-'] : ['ip', '-batch', '-'];
  await run(argv, { input: lines.map((l) => l.join(' ')).join('\n') + '\n' });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes (then throws). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

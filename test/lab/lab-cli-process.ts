// Starting `npm run lab` (test/lab/cli.ts) as a child process from a test, failing AT ONCE with the lab's own
// start-up error: if the child exits before it printed its JSON line, the promise rejects with its exit code
// and stderr, instead of a test waiting out its timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LabCliProcess {
  child: ChildProcess;
  /** the parsed JSON line the lab printed (LabInfo) */
  info: any;
  /** everything the lab wrote to stderr so far */
  stderr(): string;
  /** SIGTERM (if still running) and the exit code; resolves at once when the child already exited */
  stop(): Promise<number | null>;
}

export class LabCliStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'LabCliStartError';
  }
}

/** The exit code of a child, waiting for it only while it still runs. */
export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Spawns `node --import tsx test/lab/cli.ts <args>` and resolves once it printed its JSON line.
 * Rejects with LabCliStartError (exit code + stderr in the message) as soon as the child exits or fails to
 * spawn before that, or when the first line is not JSON; `readyTimeoutMs` (default 120 s: generous, a loaded
 * 2-core CI machine needs seconds for tsx alone) only bounds a lab that hangs without exiting.
 */
export function startLabCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {},
): Promise<LabCliProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('test', 'lab', 'cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => (stderr += c));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exitOf(child);
  };
  return new Promise<LabCliProcess>((resolve, reject) => {
    let out = '';
    let settled = false;
    const settle = (err: Error | null, value?: LabCliProcess) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        void stop();
        reject(err);
      } else resolve(value!);
    };
    const timer = setTimeout(
      () => settle(new LabCliStartError(`lab printed nothing within ${opts.readyTimeoutMs ?? 120_000} ms; stderr: ${stderr}`, null, stderr)),
      opts.readyTimeoutMs ?? 120_000,
    );
    child.once('error', (err) => settle(new LabCliStartError(`lab could not be spawned: ${err.message}`, null, stderr)));
    // 'close' (not 'exit'): by then stderr is fully read, so the message carries the lab's own error
    child.once('close', (code, signal) =>
      settle(new LabCliStartError(`lab exited with ${code ?? signal} before it was ready: ${stderr.trim()}`, code, stderr)),
    );
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      try {
        settle(null, { child, info: JSON.parse(out.slice(0, nl)), stderr: () => stderr, stop });
      } catch {
        settle(new LabCliStartError(`lab printed a line that is not JSON: ${out.slice(0, nl)}; stderr: ${stderr}`, null, stderr));
      }
    });
  });
}

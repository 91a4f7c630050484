import { spawn } from 'node:child_process';

/** What a command left behind: its exit code (127 if it could not start, -1 if it was killed) and its output. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one argv (never a shell line) where the config lives: inside the appliance over SSH + `pct exec` in the
 * product, on this machine in tests (`LocalCommandExecutor`). Quoting for the remote shell is the SSH layer's
 * job, done by its one audited function; callers here only ever pass argv arrays of validated values.
 */
export interface CommandExecutor {
  exec(argv: readonly string[], opts?: { stdin?: string; timeoutMs?: number }): Promise<CommandResult>;
}

/**
 * Runs argv with `child_process.spawn` (no shell) on this machine; `env` is added to the inherited environment.
 * A command still running after `timeoutMs` (default 30 000 ms) is killed and reported with code -1.
 */
export class LocalCommandExecutor implements CommandExecutor {
  constructor(private readonly env: Record<string, string> = {}) {}

  exec(argv: readonly string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
    return new Promise((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...this.env }, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs ?? 30_000);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ code: 127, stdout: '', stderr: e.message });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: killed ? -1 : (code ?? -1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      child.stdin.on('error', () => {}); // a command that exits without reading its stdin
      child.stdin.end(opts.stdin ?? '');
    });
  }
}

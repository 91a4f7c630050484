import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { LabInfo } from '../../lab/lab';

/** The lab (virtual backend) in a child process: its description, its fault control endpoint, and a way to stop. */
export interface LabProcess {
  info: LabInfo;
  /** POSTs a fault to the control endpoint (`test/lab/README.md`, "Faults"); rejects on a non-2xx answer. */
  fault(body: Record<string, unknown>): Promise<void>;
  /** POSTs to any control path (e.g. `/access` to create a limited user) and returns the JSON answer. */
  control<T = unknown>(pathname: string, body: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Starts `test/lab/cli.ts` (what `npm run lab` runs) and waits for the one JSON line it prints. A child process
 * because component tests run under happy-dom, whose module transform breaks the lab's `import.meta.url` file
 * lookups; the lab itself is the same. Rejects when it exits first or prints nothing within `timeoutMs`.
 */
export function startLabProcess(args: string[] = ['--task-seconds', '0', '--fast-401'], timeoutMs = 60_000): Promise<LabProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/lab/cli.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => (child.kill('SIGTERM'), reject(new Error(`the lab printed nothing in ${timeoutMs} ms: ${stderr}`))), timeoutMs);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the lab exited (${code}) before starting: ${stderr}`))));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const info = JSON.parse(out.slice(0, nl)) as LabInfo;
      resolve({
        info,
        fault: async (body) => void (await post(`${info.control.url}/faults`, info.control.token, body)),
        control: async <T,>(pathname: string, body: Record<string, unknown>) => JSON.parse(await post(`${info.control.url}${pathname}`, info.control.token, body)) as T,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

function post(url: string, token: string, body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'X-Lab-Token': token, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve(text) : reject(new Error(`lab control ${url}: HTTP ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

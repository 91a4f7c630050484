// Host-side handle on an ns-agent-process.mjs process running inside a lab namespace (see ns-agent-process.mjs for the protocol).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const AGENT_SCRIPT = fileURLToPath(new URL('./ns-agent-process.mjs', import.meta.url));

type Reply = { id?: number; ok?: boolean; error?: string; ready?: boolean };

export class NsAgent {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    readonly netns: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {}

  /** `label` goes on the agent's command line so `pgrep -f <prefix>` finds it. */
  static async start(netns: string, label: string, timeoutMs = 10_000): Promise<NsAgent> {
    const child = spawn('ip', ['netns', 'exec', netns, process.execPath, AGENT_SCRIPT, label], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const agent = new NsAgent(netns, child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`ns-agent in ${netns} did not start within ${timeoutMs} ms: ${stderr}`));
      }, timeoutMs);
      const lines = readline.createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        let msg: Reply;
        try {
          msg = JSON.parse(line) as Reply;
        } catch {
          return;
        }
        if (msg.ready) {
          clearTimeout(timer);
          resolve();
          return;
        }
        const p = msg.id !== undefined ? agent.pending.get(msg.id) : undefined;
        if (!p || msg.id === undefined) return;
        agent.pending.delete(msg.id);
        if (msg.ok) p.resolve();
        else p.reject(new Error(msg.error ?? 'ns-agent request failed'));
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('exit', (code) => {
        agent.exited = true;
        clearTimeout(timer);
        const err = new Error(`ns-agent in ${netns} exited (${code}): ${stderr}`);
        reject(err);
        for (const p of agent.pending.values()) p.reject(err);
        agent.pending.clear();
      });
    });
    return agent;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  request(op: string, args: Record<string, unknown>, timeoutMs = 5_000): Promise<void> {
    if (this.exited) return Promise.reject(new Error(`ns-agent in ${this.netns} is not running`));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`ns-agent ${op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.stdin.write(JSON.stringify({ id, op, ...args }) + '\n');
    });
  }

  /** Closing stdin makes the agent exit; SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.exited || this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 1_000);
    await gone;
    clearTimeout(timer);
  }
}
